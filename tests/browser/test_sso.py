"""Single sign-on in a real browser: Charter's sign-in page, the provider's page (a real OpenID Connect
provider on 127.0.0.1, tests' own: charter/accounts/tests/oidc_provider.py), back to Charter signed in;
then an expired ID token refused with its message on the sign-in page. Screenshots of each step."""

import re

import pytest

from charter.accounts import oidc
from charter.accounts.tests.oidc_provider import LocalProvider
from charter.core.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(settings, live_server):
    oidc._documents.clear()
    oidc._keys.clear()
    with LocalProvider() as running:
        settings.CHARTER_OIDC_ISSUER = running.issuer
        settings.CHARTER_OIDC_CLIENT_ID = running.client_id
        settings.CHARTER_OIDC_CLIENT_SECRET = running.client_secret
        settings.CHARTER_OIDC_NAME = "Acme ID"
        settings.CHARTER_OIDC_ALLOW_PRIVATE = True
        settings.CHARTER_BASE_URL = live_server.url
        yield running


def test_sign_in_with_the_provider_then_an_expired_token_refused(page, owner, provider, shot):
    provider.person["email"] = owner.user.email
    page.goto("/login/")
    shot(page, "sso-1-sign-in-page")
    page.get_by_role("link", name="Sign in with Acme ID").click()
    page.wait_for_url(f"{provider.issuer}/authorize?**")
    shot(page, "sso-2-provider")
    page.get_by_role("button", name=f"Continue as {owner.user.email}").click()
    page.wait_for_url(re.compile(r":\d+/$"))  # Charter's home page
    assert page.get_by_role("button", name=owner.organization.name).is_visible()
    shot(page, "sso-3-signed-in")
    (asked,) = provider.authorize_requests
    assert asked["code_challenge_method"] == "S256"
    assert AuditEvent.objects.for_org(owner.organization).filter(action="user.sso_sign_in").count() == 1

    page.get_by_role("button", name=owner.organization.name).click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/")
    provider.faults.add("expired")
    page.get_by_role("link", name="Sign in with Acme ID").click()
    page.get_by_role("button", name=f"Continue as {owner.user.email}").click()
    page.wait_for_url("**/login/")
    alert = page.get_by_text("The ID token has expired")
    alert.wait_for()
    shot(page, "sso-4-expired-token-refused")
    assert AuditEvent.objects.for_org(owner.organization).filter(action="user.sso_sign_in").count() == 1
