"""Two-factor sign-in: enrol with a code computed from the enrolled secret, sign in in two steps, wrong
and reused codes refused, recovery codes used once, an organization that requires it."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from charter.core.models import AuditEvent
from charter.organizations.models import Organization, Role, User
from charter.organizations.tests.factories import PASSWORD, make_person

from .helpers import code_for, secret_from

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp_delay(settings):
    """django-otp's own delay after a wrong code (1 s, doubling) is real time; the tests type fast."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def enrol(client) -> tuple[bytes, list[str]]:
    """Enrol the signed-in client's person; the key and the recovery codes."""
    page = client.get(reverse("two_factor_enrol"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    key = secret_from(html)
    done = client.post(reverse("two_factor_enrol"), {"code": code_for(key)})
    assert done.status_code == 200, done.content.decode()[:2000]
    return key, done.context["codes"]


def sign_in(email, password=PASSWORD, *, next_url=""):
    client = Client()
    data = {"email": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client, client.post(reverse("login"), data)


def test_enrol_shows_a_qr_code_and_the_key_and_needs_a_code_before_it_is_on(client, owner, login):
    login(owner)
    page = client.get(reverse("two_factor_enrol")).content.decode()
    key = secret_from(page)
    device = TOTPDevice.objects.get(user=owner.user)
    assert device.bin_key == key and not device.confirmed
    assert not User.objects.get(pk=owner.user.pk).two_factor
    wrong = client.post(
        reverse("two_factor_enrol"), {"code": "000000" if code_for(key) != "000000" else "111111"}
    )
    assert wrong.status_code == 422
    assert "not right" in wrong.context["form"].errors["code"][0]
    assert not User.objects.get(pk=owner.user.pk).two_factor
    # The page again shows the same key: one authenticator waits for its code.
    assert secret_from(client.get(reverse("two_factor_enrol")).content.decode()) == key
    done = client.post(reverse("two_factor_enrol"), {"code": code_for(key)})
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'download="charter-recovery-codes.txt"' in done.content.decode()
    assert User.objects.get(pk=owner.user.pk).two_factor
    assert TOTPDevice.objects.get(user=owner.user).confirmed
    assert AuditEvent.objects.for_org(owner.organization).filter(action="user.two_factor_enable").exists()


def test_sign_in_asks_for_the_code_and_signs_in_only_when_it_is_right(client, owner, login):
    login(owner)
    key, _ = enrol(client)
    browser, response = sign_in(owner.user.email, next_url=reverse("goal_list"))
    assert response.status_code == 302 and response["Location"] == reverse("login_code")
    assert SESSION_KEY not in browser.session  # not signed in before the code
    assert browser.get(reverse("home")).status_code == 302

    page = browser.get(reverse("login_code"))
    assert page.status_code == 200 and "authenticator app" in page.content.decode()
    wrong = browser.post(reverse("login_code"), {"code": "123456" if code_for(key) != "123456" else "654321"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    assert SESSION_KEY not in browser.session

    right = browser.post(reverse("login_code"), {"code": code_for(key, steps_ahead=1)})
    assert right.status_code == 302 and right["Location"] == reverse("goal_list")
    assert browser.session[SESSION_KEY] == str(owner.user.pk)
    assert browser.get(reverse("home")).status_code == 200


def test_a_code_used_once_is_refused_the_second_time(client, owner, login):
    login(owner)
    key, _ = enrol(client)
    code = code_for(key, steps_ahead=1)
    first, _ = sign_in(owner.user.email)
    assert first.post(reverse("login_code"), {"code": code}).status_code == 302
    second, _ = sign_in(owner.user.email)
    reused = second.post(reverse("login_code"), {"code": code})
    assert reused.status_code == 200 and "already used" in reused.content.decode()
    assert SESSION_KEY not in second.session


def test_a_recovery_code_works_once(client, owner, login):
    login(owner)
    _, codes = enrol(client)
    first, _ = sign_in(owner.user.email)
    used = first.post(reverse("login_code"), {"code": codes[0].upper()})
    assert used.status_code == 302 and first.session[SESSION_KEY] == str(owner.user.pk)
    assert StaticToken.objects.filter(device__user=owner.user).count() == 9
    assert AuditEvent.objects.for_org(owner.organization).filter(action="user.recovery_code_use").exists()
    second, _ = sign_in(owner.user.email)
    again = second.post(reverse("login_code"), {"code": codes[0]})
    assert again.status_code == 200 and SESSION_KEY not in second.session
    assert second.post(reverse("login_code"), {"code": codes[1]}).status_code == 302


def test_wrong_codes_are_throttled_with_429(client, owner, login, settings):
    settings.CHARTER_TWO_FACTOR_FAILURES_PER_ACCOUNT = 3
    login(owner)
    key, _ = enrol(client)
    browser, _ = sign_in(owner.user.email)
    bad = "000000" if code_for(key) != "000000" else "111111"
    for _ in range(3):
        assert browser.post(reverse("login_code"), {"code": bad}).status_code == 200
    blocked = browser.post(reverse("login_code"), {"code": code_for(key, steps_ahead=1)})
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    assert SESSION_KEY not in browser.session


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client):
    response = client.get(reverse("login_code"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_the_password_throttle_still_answers_429_before_the_code(owner, client, login, settings):
    settings.CHARTER_LOGIN_FAILURES_PER_ACCOUNT = 2
    login(owner)
    enrol(client)
    for _ in range(2):
        assert sign_in(owner.user.email, "wrong-password")[1].status_code == 200
    assert sign_in(owner.user.email)[1].status_code == 429


def test_regenerate_and_disable(client, owner, login):
    login(owner)
    key, codes = enrol(client)
    without = client.post(reverse("two_factor_recovery_codes"), {"password": "not-it"})
    assert without.status_code == 422
    assert without.context["regenerate_form"].errors["password"] == ["This is not your current password."]
    renewed = client.post(reverse("two_factor_recovery_codes"), {"password": PASSWORD})
    assert renewed.status_code == 200
    new_codes = renewed.context["codes"]
    assert not set(new_codes) & set(codes)
    refused = client.post(reverse("two_factor_disable"), {"password": "not-it"})
    assert refused.status_code == 422 and User.objects.get(pk=owner.user.pk).two_factor
    with_code = client.post(reverse("two_factor_disable"), {"code": new_codes[0]})
    assert with_code.status_code == 302
    assert not User.objects.get(pk=owner.user.pk).two_factor
    assert not TOTPDevice.objects.filter(user=owner.user).exists()
    _, response = sign_in(owner.user.email)
    assert response["Location"] == reverse("home")  # one step again


def test_wrong_codes_to_turn_it_off_are_throttled_too(client, owner, login, settings):
    settings.CHARTER_TWO_FACTOR_FAILURES_PER_ACCOUNT = 2
    login(owner)
    key, _ = enrol(client)
    bad = "000000" if code_for(key, steps_ahead=1) != "000000" else "111111"
    for _ in range(2):
        assert client.post(reverse("two_factor_disable"), {"code": bad}).status_code == 422
    blocked = client.post(reverse("two_factor_disable"), {"code": code_for(key, steps_ahead=1)})
    assert blocked.status_code == 429
    assert User.objects.get(pk=owner.user.pk).two_factor


def test_an_organization_that_requires_it_sends_a_person_without_it_to_enrol_first(owner, client):
    member = make_person(owner, Role.MEMBER)
    owner_client = Client()
    assert owner_client.login(email=owner.user.email, password=PASSWORD)
    form = {"name": "Acme", "stale_days": 14, "attainment_mark": 0.7, "require_two_factor": "on"}
    response = owner_client.post(reverse("organization_settings"), form)
    assert response.status_code == 302
    assert Organization.objects.get(pk=owner.organization_id).require_two_factor
    settings_page = owner_client.get(reverse("organization_settings"), follow=True)
    assert settings_page.redirect_chain[-1][0] == reverse("two_factor_enrol")  # the owner too

    assert client.login(email=member.user.email, password=PASSWORD)
    for name in ("home", "goal_list", "account"):
        sent = client.get(reverse(name))
        assert sent.status_code == 302 and sent["Location"] == reverse("two_factor_enrol"), name
    htmx = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == reverse("two_factor_enrol")
    assert client.post(reverse("logout")).status_code == 302  # signing out stays open
    assert client.login(email=member.user.email, password=PASSWORD)
    enrol(client)
    assert client.get(reverse("home")).status_code == 200


def test_api_tokens_are_not_affected_by_the_requirement(owner):
    from charter.organizations.services import token_create

    Organization.objects.filter(pk=owner.organization_id).update(require_two_factor=True)
    _, raw = token_create(actor=owner, name="ci")
    response = Client().get("/api/v1/goals", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
