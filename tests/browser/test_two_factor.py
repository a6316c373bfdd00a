"""Two-factor sign-in in a real browser: enrol from the account page with a code computed from the key
the page shows, then sign in in two steps (a wrong code refused first). Screenshots of each step."""

import re

import pytest

from charter.accounts.tests.helpers import code_for
from charter.organizations.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _key_from(page) -> bytes:
    from base64 import b32decode

    raw = page.locator("#two-factor-secret").inner_text().replace(" ", "").strip()
    return b32decode(raw + "=" * (-len(raw) % 8))


def test_enrol_and_sign_in_with_a_computed_code(page, owner, shot, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the test types the right code right after the wrong one
    page.goto("/login/")
    page.get_by_label("Email").fill(owner.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r":\d+/$"))  # the home page, not any URL ending in a slash

    # The user menu leads to the account page.
    page.get_by_role("button", name=owner.organization.name).click()
    page.get_by_role("link", name="Your account").click()
    page.wait_for_url("**/account/")
    shot(page, "two-factor-1-account")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    page.wait_for_url("**/account/two-factor/")
    qr = page.locator("#two-factor-qr")
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())
    shot(page, "two-factor-2-enrol")

    key = _key_from(page)
    page.get_by_label("Code from your app").fill(code_for(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    codes = page.locator("#recovery-codes li")
    codes.first.wait_for()
    assert codes.count() == 10
    shot(page, "two-factor-3-recovery-codes")
    page.get_by_role("link", name="I have saved them").click()
    page.wait_for_url("**/account/")
    assert page.get_by_role("button", name="Turn two-factor off").is_visible()
    shot(page, "two-factor-3b-account-with-two-factor")

    page.get_by_role("button", name=owner.organization.name).click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/")

    page.get_by_label("Email").fill(owner.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/login/code/")
    wrong = "000000" if code_for(key, steps_ahead=1) != "000000" else "111111"
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("That code is not right").wait_for()
    shot(page, "two-factor-4-wrong-code")
    page.get_by_label("Code").fill(code_for(key, steps_ahead=1))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r":\d+/$"))  # the home page, not any URL ending in a slash
    assert page.get_by_role("button", name=owner.organization.name).is_visible()
    shot(page, "two-factor-5-signed-in")
