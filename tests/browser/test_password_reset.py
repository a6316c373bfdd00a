"""Password reset in a real browser: the link on the sign-in page, the email (read from a real local SMTP
server), the new password, signed in; the used link refused."""

import pytest

from tests.smtp import smtp_server  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "a-brand-new-passphrase-9"


def test_forgot_password_to_signed_in(page, owner, shot, settings, live_server, smtp_server):  # noqa: F811
    settings.CHARTER_BASE_URL = live_server.url
    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url("**/password-reset/")
    page.get_by_label("Email").fill(owner.user.email)
    shot(page, "password-reset-1-ask")
    page.get_by_role("button", name="Email me a link").click()
    page.wait_for_url("**/password-reset/sent/")
    shot(page, "password-reset-2-sent")

    link = smtp_server.link_in(smtp_server.wait_for(to=owner.user.email), r"/password-reset/")
    assert link.startswith(live_server.url)
    page.goto(link)
    page.wait_for_url("**/set-password/")  # the token left the address bar
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    shot(page, "password-reset-3-new-password")
    page.get_by_role("button", name="Set password").click()
    page.wait_for_url(live_server.url + "/")
    page.get_by_text("Your password was changed, and you are signed in.").wait_for()
    shot(page, "password-reset-4-signed-in")

    page.goto(link)  # used once: refused with a clear page
    page.get_by_text("This link no longer works").wait_for()
    shot(page, "password-reset-5-link-used")
