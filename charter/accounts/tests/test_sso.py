"""Single sign-on against a real OpenID Connect provider on 127.0.0.1 (tests/oidc_provider.py): the
code flow with PKCE, the ID token's checks, linking and joining, SSO-only, deactivated members, the
settings page and its audit."""

from urllib.parse import urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from charter.accounts import oidc, services
from charter.accounts.models import SingleSignOn
from charter.core import queries
from charter.core.errors import ValidationError
from charter.core.models import AuditEvent
from charter.organizations.models import Membership, Organization, Role, User
from charter.organizations.tests.factories import PASSWORD, make_org, make_person, make_user

from .oidc_provider import LocalProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    oidc._documents.clear()
    oidc._keys.clear()
    with LocalProvider() as running:
        yield running


@pytest.fixture
def global_sso(settings, provider):
    settings.CHARTER_OIDC_ISSUER = provider.issuer
    settings.CHARTER_OIDC_CLIENT_ID = provider.client_id
    settings.CHARTER_OIDC_CLIENT_SECRET = provider.client_secret
    settings.CHARTER_OIDC_NAME = "Acme ID"
    settings.CHARTER_OIDC_ALLOW_PRIVATE = True  # the provider listens on 127.0.0.1
    settings.CHARTER_BASE_URL = "http://testserver"
    return provider


@pytest.fixture
def ada(db):
    """Ada, owner of Acme, whose provider account has the same (verified) address."""
    return make_org("Acme", owner=make_user("Ada Lovelace", "ada@acme.example"))


def round_trip(client, provider, start=None):
    """Start at Charter, approve at the provider over HTTP, come back: the callback's response."""
    response = client.get(start or reverse("sso_start"))
    assert response.status_code == 302, response
    authorize = response["Location"]
    assert authorize.startswith(provider.issuer + "/authorize?")
    callback = urlsplit(provider.approve(authorize))
    assert callback.path == reverse("sso_callback")
    return client.get(f"{callback.path}?{callback.query}")


def shown(client, response) -> str:
    """The sign-in page's message after a refused single sign-on."""
    assert response.status_code == 302 and response["Location"] == reverse("login")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    return " ".join(str(m) for m in get_messages(page.wsgi_request)) or page.content.decode()


def signed_in_user(client):
    return User.objects.filter(pk=client.session.get("_auth_user_id")).first()


# ---- the flow -------------------------------------------------------------------------------------


def test_first_sign_in_links_the_existing_account_by_verified_email(client, global_sso, ada):
    users = User.objects.count()
    response = round_trip(client, global_sso)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_user(client) == ada.user
    assert User.objects.count() == users  # linked, no duplicate
    assert client.get(reverse("home")).status_code == 200
    # The code flow with PKCE S256 as the provider saw it.
    (asked,) = global_sso.authorize_requests
    assert asked["code_challenge_method"] == "S256" and asked["scope"] == "openid email profile"
    assert asked["redirect_uri"] == "http://testserver/login/sso/callback/"
    (exchange,) = global_sso.token_requests
    assert len(exchange["code_verifier"]) >= 43 and "client_secret" not in exchange  # HTTP Basic instead
    event = AuditEvent.objects.for_org(ada.organization).get(action="user.sso_sign_in")
    assert event.actor_id == ada.user.pk and event.changes["subject"] == "person-1"


def test_the_sign_in_page_shows_the_provider_button_only_when_configured(client, settings, global_sso):
    assert b"Sign in with Acme ID" in client.get(reverse("login")).content
    settings.CHARTER_OIDC_ISSUER = ""
    assert b"Sign in with" not in client.get(reverse("login")).content
    response = client.get(reverse("sso_start"))
    assert "Single sign-on is not set up" in shown(client, response)


def test_the_answer_is_used_once(client, global_sso, ada):
    response = client.get(reverse("sso_start"))
    callback = urlsplit(global_sso.approve(response["Location"]))
    assert client.get(f"{callback.path}?{callback.query}")["Location"] == reverse("home")
    client.logout()
    again = client.get(f"{callback.path}?{callback.query}")
    assert "without a sign-in started here" in shown(client, again)
    assert signed_in_user(client) is None


def test_an_organizations_own_provider_with_its_secret_encrypted_at_rest(client, settings, provider, ada):
    settings.CHARTER_BASE_URL = "http://testserver"
    services.sso_settings_update(
        actor=ada, name="Acme Keycloak", issuer=provider.issuer, client_id=provider.client_id,
        client_secret=provider.client_secret, allow_private=True,
    )  # fmt: skip
    row = queries.fetch_one(
        "SELECT client_secret FROM accounts_singlesignon WHERE organization_id = %(organization_id)s",
        {"organization_id": ada.organization_id},
    )
    assert row[0].startswith("enc1:") and provider.client_secret not in row[0]
    page = client.get(reverse("login") + "?org=" + ada.organization.slug)
    assert b"Sign in with Acme Keycloak" in page.content
    response = round_trip(client, provider, reverse("sso_start") + "?org=" + ada.organization.slug)
    assert response["Location"] == reverse("home")
    assert signed_in_user(client) == ada.user
    assert client.session["organization_id"] == ada.organization_id


# ---- refusals, each with its message on the sign-in page -------------------------------------------


@pytest.mark.parametrize(
    "fault, message",
    [
        ("audience", "issued for another application"),
        ("expired", "The ID token has expired"),
        ("unverified", "has not verified the email address ada@acme.example"),
        ("state", "does not belong to the sign-in Charter started (state)"),
        ("nonce", "does not belong to the sign-in Charter started (nonce)"),
        ("signature", "signature is not valid"),
        ("issuer", "comes from another issuer"),
    ],
)
def test_a_bad_answer_is_refused_with_a_clear_message(client, global_sso, ada, fault, message):
    global_sso.faults.add(fault)
    response = round_trip(client, global_sso)
    assert message in shown(client, response)
    assert signed_in_user(client) is None
    assert not AuditEvent.objects.for_org(ada.organization).filter(action="user.sso_sign_in").exists()


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(client, global_sso, ada):
    response = client.get(reverse("sso_start"))
    session = client.session
    session["_charter_sso_pending"]["verifier"] = "x" * 64  # not the one whose hash the provider holds
    session.save()
    callback = urlsplit(global_sso.approve(response["Location"]))
    answer = client.get(f"{callback.path}?{callback.query}")
    assert "refused to exchange the sign-in code (invalid_grant)" in shown(client, answer)
    assert signed_in_user(client) is None


def test_a_provider_error_is_shown(client, global_sso, ada):
    client.get(reverse("sso_start"))
    state = client.session["_charter_sso_pending"]["state"]
    answer = client.get(reverse("sso_callback"), {"state": state, "error": "access_denied"})
    assert "did not sign you in (access_denied)" in shown(client, answer)


def test_an_unknown_issuer_is_refused_at_the_start(client, settings, global_sso):
    settings.CHARTER_OIDC_ISSUER = global_sso.issuer + "/nowhere"
    assert "discovery document answered HTTP 404" in shown(client, client.get(reverse("sso_start")))


# ---- who may sign in --------------------------------------------------------------------------------


def test_an_address_no_organization_knows_is_refused(client, global_sso, ada):
    global_sso.person["email"] = "stranger@elsewhere.example"
    users = User.objects.count()
    assert "No organization on this Charter knows stranger@elsewhere.example" in shown(
        client, round_trip(client, global_sso)
    )
    assert User.objects.count() == users


def test_the_sign_up_domain_joins_by_sso_as_a_member_when_allowed(client, global_sso, ada):
    Organization.objects.filter(pk=ada.organization_id).update(signup_domain="acme.example")
    ada.organization.refresh_from_db()
    services.sso_settings_update(actor=ada, join_by_sso=True)
    global_sso.person.update(email="grace@acme.example", name="Grace Hopper", roles=["admin"], sub="p-2")
    response = round_trip(client, global_sso)
    assert response["Location"] == reverse("home")
    grace = User.objects.get(email="grace@acme.example")
    assert grace.full_name == "Grace Hopper" and not grace.has_usable_password()
    membership = Membership.objects.for_org(ada.organization).get(user=grace)
    assert membership.role == Role.MEMBER  # roles stay Charter's, whatever the token claims
    actions = set(AuditEvent.objects.for_org(ada.organization).values_list("action", flat=True))
    assert {"person.join_by_sso", "user.sso_sign_in"} <= actions
    # Another domain does not join.
    client.logout()
    global_sso.person.update(email="eve@evil.example", sub="p-3")
    assert "No organization on this Charter knows" in shown(client, round_trip(client, global_sso))


def test_a_deactivated_membership_cannot_sign_in_by_sso(client, global_sso, ada):
    member = make_person(ada)
    Membership.objects.for_org(ada.organization).filter(user=member.user).update(is_active=False)
    global_sso.person["email"] = member.user.email
    message = shown(client, round_trip(client, global_sso))
    assert "membership in Acme is deactivated" in message
    assert signed_in_user(client) is None


def test_sso_stands_for_charters_two_factor_step(client, global_sso, ada):
    User.objects.filter(pk=ada.user_id).update(two_factor=True)
    Organization.objects.filter(pk=ada.organization_id).update(require_two_factor=True)
    assert round_trip(client, global_sso)["Location"] == reverse("home")  # no code step
    assert client.get(reverse("home")).status_code == 200  # and no enrolment asked


# ---- SSO only -----------------------------------------------------------------------------------------


def test_sso_only_refuses_a_members_password_but_keeps_the_owners_break_glass(client, global_sso, ada):
    member = make_person(ada)
    services.sso_settings_update(actor=ada, sso_only=True)
    data = {"email": member.user.email, "password": PASSWORD}
    response = client.post(reverse("login"), data)
    assert response.status_code == 403
    assert "Acme signs in with single sign-on only" in response.content.decode()
    assert signed_in_user(client) is None
    response = client.post(reverse("login"), {"email": ada.user.email, "password": PASSWORD})
    assert response.status_code == 302 and signed_in_user(client) == ada.user
    assert AuditEvent.objects.for_org(ada.organization).filter(action="user.sso_break_glass").count() == 1
    # The member signs in by single sign-on.
    client.logout()
    global_sso.person["email"] = member.user.email
    assert round_trip(client, global_sso)["Location"] == reverse("home")
    assert signed_in_user(client) == member.user


def test_sso_only_lapses_when_the_provider_is_removed(client, settings, global_sso, ada):
    """The installation's provider gone, an organization that relied on it is not locked out."""
    member = make_person(ada)
    services.sso_settings_update(actor=ada, sso_only=True)
    data = {"email": member.user.email, "password": PASSWORD}
    assert client.post(reverse("login"), data).status_code == 403
    settings.CHARTER_OIDC_ISSUER = ""
    assert client.post(reverse("login"), data).status_code == 302


# ---- settings -----------------------------------------------------------------------------------------


def test_the_settings_page_saves_and_audits_without_the_secret(client, ada):
    client.login(email=ada.user.email, password=PASSWORD)
    data = {
        "name": "Okta",
        "issuer": "https://acme.okta.com",
        "client_id": "0oa-charter",
        "client_secret": "okta-secret-value",
    }
    response = client.post(reverse("sso_settings"), data)
    assert response.status_code == 302
    row = SingleSignOn.objects.for_org(ada.organization).get()
    assert row.client_secret == "okta-secret-value"
    event = AuditEvent.objects.for_org(ada.organization).get(action="organization.sso_update")
    assert event.changes["client_secret"] == "changed" and "okta-secret-value" not in str(event.changes)
    page = client.get(reverse("sso_settings"))
    assert b"okta-secret-value" not in page.content and b"A client secret is saved" in page.content
    assert b"/login/sso/callback/" in page.content
    # An empty secret keeps the saved one.
    client.post(reverse("sso_settings"), {**data, "client_secret": "", "sso_only": "on"})
    row.refresh_from_db()
    assert row.client_secret == "okta-secret-value" and row.sso_only


def test_the_settings_refuse_what_would_lock_people_out(client, ada):
    with pytest.raises(ValidationError) as refused:
        services.sso_settings_update(actor=ada, sso_only=True)
    assert "Set up a provider first" in refused.value.errors["sso_only"][0]
    with pytest.raises(ValidationError) as refused:
        services.sso_settings_update(actor=ada, join_by_sso=True)
    assert "sign-up domain first" in refused.value.errors["join_by_sso"][0]
    with pytest.raises(ValidationError) as refused:
        services.sso_settings_update(
            actor=ada, issuer="http://10.0.0.5/realms/x", client_id="c", client_secret="s"
        )
    assert "private or reserved" in refused.value.errors["issuer"][0]
    client.login(email=ada.user.email, password=PASSWORD)
    page = client.post(reverse("sso_settings"), {"issuer": "https://idp.example.com"})
    assert page.status_code == 422
    assert "The client ID the provider gave" in page.content.decode()


def test_a_member_may_not_change_single_sign_on(client, ada):
    member = make_person(ada)
    client.login(email=member.user.email, password=PASSWORD)
    assert client.get(reverse("sso_settings")).status_code == 403


def test_another_organizations_provider_is_not_used(client, settings, provider, ada):
    """Globex's own provider signs no one in to Acme: the sign-in names Globex only."""
    settings.CHARTER_BASE_URL = "http://testserver"
    globex = make_org("Globex")
    services.sso_settings_update(
        actor=globex, issuer=provider.issuer, client_id=provider.client_id,
        client_secret=provider.client_secret, allow_private=True,
    )  # fmt: skip
    response = round_trip(client, provider, reverse("sso_start") + "?org=" + globex.organization.slug)
    assert "No organization on this Charter knows ada@acme.example" in shown(client, response)
    assert not AuditEvent.objects.unscoped().filter(action="user.sso_sign_in").exists()
