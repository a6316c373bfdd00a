"""Invitations: made, resent and revoked by owners and admins (web, API, command line), emailed with a
single-use link that expires, accepted by a new person or an existing account."""

import json
import re
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from charter.core.crypto import token_hash
from charter.core.errors import NotFound, PermissionDenied, ValidationError
from charter.core.models import AuditEvent
from charter.organizations.models import Invitation, Membership, Role, TeamMembership, User
from charter.organizations.services import (
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    token_create,
)
from charter.organizations.tests.factories import PASSWORD, make_person, make_team, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "an-invited-passphrase-31"


def _path(link: str) -> str:
    return urlsplit(link).path


def _token(link: str) -> str:
    return _path(link).rstrip("/").rsplit("/", 1)[-1]


def _invite(actor, *emails, role=Role.MEMBER, team_id=None):
    return invitation_create(actor=actor, emails=list(emails), role=role, team_id=team_id)


@pytest.fixture
def admin(owner):
    return make_person(owner, Role.ADMIN)


# ---- services -------------------------------------------------------------------------------------


def test_many_addresses_from_a_textarea_are_each_invited_once(owner):
    member = make_person(owner)
    sent = invitation_create(
        actor=owner, emails=f"a@example.org, B@example.org\nc@example.org;a@example.org {member.user.email}"
    )
    assert [inv.email for inv, _ in sent.sent] == ["a@example.org", "b@example.org", "c@example.org"]
    assert sent.already_members == [member.user.email]
    stored = Invitation.objects.for_org(owner.organization).get(email="a@example.org")
    raw = _token(sent.sent[0][1])
    assert raw not in {stored.token_hash, stored.token_salt}  # only the hash is kept
    assert stored.token_hash == token_hash(raw)
    assert stored.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert AuditEvent.objects.for_org(owner.organization).filter(action="invitation.create").count() == 3


def test_a_bad_address_is_named_and_nobody_is_invited(owner):
    with pytest.raises(ValidationError, match="“ada@” is not a valid email address") as caught:
        invitation_create(actor=owner, emails="grace@example.org ada@")
    assert caught.value.field == "emails"
    assert not Invitation.objects.for_org(owner.organization).exists()
    with pytest.raises(ValidationError, match="at least one"):
        invitation_create(actor=owner, emails=" ,\n")


def test_a_pending_invitation_is_renewed_not_duplicated(owner, client):
    team = make_team(owner, "Sales")
    (first, first_link), *_ = _invite(owner, "ada@example.org").sent
    (again, again_link), *_ = _invite(owner, "ada@example.org", role=Role.LEADER, team_id=team.pk).sent
    assert again.pk == first.pk
    assert Invitation.objects.for_org(owner.organization).count() == 1
    again.refresh_from_db()
    assert (again.role, again.team_id) == (Role.LEADER, team.pk)
    assert client.get(_path(first_link)).status_code == 404  # the old link stopped working
    assert client.get(_path(again_link)).status_code == 200


def test_who_may_invite_whom(owner, admin):
    member = make_person(owner)
    with pytest.raises(PermissionDenied):
        _invite(member, "x@example.org")
    with pytest.raises(PermissionDenied, match="Only an owner may invite an owner"):
        _invite(admin, "x@example.org", role=Role.OWNER)
    assert _invite(admin, "x@example.org", role=Role.ADMIN).sent
    assert _invite(owner, "y@example.org", role=Role.OWNER).sent
    with pytest.raises(ValidationError):
        _invite(owner, "z@example.org", role="emperor")


def test_another_organizations_team_or_invitation_is_missing(owner, other_owner):
    their_team = make_team(other_owner, "Theirs")
    with pytest.raises(NotFound):
        _invite(owner, "x@example.org", team_id=their_team.pk)
    (theirs, _), *_ = _invite(other_owner, "x@example.org").sent
    with pytest.raises(NotFound):
        invitation_resend(actor=owner, invitation_id=theirs.pk)
    with pytest.raises(NotFound):
        invitation_revoke(actor=owner, invitation_id=theirs.pk)


# ---- the email ------------------------------------------------------------------------------------


def test_the_email_carries_a_working_link(owner, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (invitation, link), *_ = _invite(owner, "ada@example.org").sent
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ada@example.org"]
    assert owner.organization.name in email.subject
    assert link in email.body and link.startswith("http://")
    assert link in email.alternatives[0][0]
    found = re.search(r"https?://\S+/invitations/\S+/", email.body).group(0)
    page = client.get(_path(found))
    assert page.status_code == 200 and f"Join {owner.organization.name}" in page.content.decode()


def test_a_resend_emails_the_new_link_and_a_revoked_one_sends_nothing(
    owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (invitation, first), *_ = _invite(owner, "ada@example.org").sent
    with django_capture_on_commit_callbacks(execute=True):
        _, second = invitation_resend(actor=owner, invitation_id=invitation.pk)
    assert first != second
    assert first in mail.outbox[0].body and second in mail.outbox[1].body
    invitation_revoke(actor=owner, invitation_id=invitation.pk)
    from charter.organizations.tasks import invitation_email_send

    assert invitation_email_send.call(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 2


# ---- accepting --------------------------------------------------------------------------------------


def test_a_new_person_sets_a_name_and_password_and_lands_in_the_organization(owner, client):
    team = make_team(owner, "Ops")
    (invitation, link), *_ = _invite(owner, "newbie@example.org", role=Role.LEADER, team_id=team.pk).sent
    page = client.get(_path(link))
    assert page.status_code == 200
    assert "newbie@example.org" in page.content.decode()

    bad = {"full_name": "Newbie", "password": NEW_PASSWORD, "password_again": "other-passphrase-99"}
    response = client.post(_path(link), bad)
    assert response.status_code == 422 and "differ" in response.content.decode()
    response = client.post(_path(link), bad | {"password": "123", "password_again": "123"})
    assert response.status_code == 422 and not User.objects.filter(email="newbie@example.org").exists()

    good = {"full_name": "Nina Newbie", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    response = client.post(_path(link), good)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(email="newbie@example.org")
    assert user.full_name == "Nina Newbie" and user.check_password(NEW_PASSWORD)
    assert Membership.objects.for_org(owner.organization).get(user=user).role == Role.LEADER
    assert TeamMembership.objects.for_org(owner.organization).filter(team=team, user=user).exists()
    home = client.get(reverse("home"))  # signed in, in the organization
    assert home.status_code == 200 and owner.organization.name in home.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    event = AuditEvent.objects.for_org(owner.organization).get(action="invitation.accept")
    assert event.actor_id == user.pk

    client.logout()
    used = client.get(_path(link))
    assert used.status_code == 410 and "already used" in used.content.decode()
    assert client.post(_path(link), good).status_code == 410


def test_an_existing_account_signs_in_first_and_comes_back_to_join(owner, other_owner, client):
    person = other_owner.user
    (_, link), *_ = _invite(owner, person.email, role=Role.VIEWER).sent
    page = client.get(_path(link))
    text = page.content.decode()
    assert page.status_code == 200 and "Sign in to join" in text
    assert client.post(_path(link), {"full_name": "Hijack", "password": NEW_PASSWORD}).status_code == 200
    assert not Membership.objects.for_org(owner.organization).filter(user=person).exists()

    signed_in = client.post(
        reverse("login"), {"email": person.email, "password": PASSWORD, "next": _path(link)}
    )
    assert signed_in["Location"] == _path(link)
    page = client.get(_path(link))
    assert page.status_code == 200 and f"Join {owner.organization.name}" in page.content.decode()
    response = client.post(_path(link))
    assert response.status_code == 302
    assert Membership.objects.for_org(owner.organization).get(user=person).role == Role.VIEWER
    assert client.session["organization_id"] == owner.organization_id
    assert Membership.objects.for_org(other_owner.organization).get(user=person).role == Role.OWNER


def test_signed_in_as_someone_else_the_invitation_is_refused(owner, other_owner, client, login):
    (_, link), *_ = _invite(owner, "someone@example.org").sent
    login(other_owner)
    page = client.get(_path(link))
    assert page.status_code == 403 and "Sign out, then open the link again" in page.content.decode()
    assert client.post(_path(link)).status_code == 403
    assert not Membership.objects.for_org(owner.organization).filter(user=other_owner.user).exists()
    with pytest.raises(PermissionDenied):
        invitation_accept(raw_token=_token(link), user=other_owner.user)


@pytest.mark.parametrize(
    ("state", "words"),
    [("expired", "expired on"), ("revoked", "was withdrawn"), ("accepted", "already used")],
)
def test_an_unusable_invitation_says_which_and_what_to_do(owner, client, state, words):
    (invitation, link), *_ = _invite(owner, "late@example.org").sent
    if state == "expired":
        Invitation.objects.for_org(owner.organization).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    elif state == "revoked":
        invitation_revoke(actor=owner, invitation_id=invitation.pk)
    else:
        invitation_accept(raw_token=_token(link), full_name="Late", password=NEW_PASSWORD)
    response = client.get(_path(link))
    assert response.status_code == 410
    text = response.content.decode()
    assert words in text
    if state != "accepted":
        assert "for a new one" in text and owner.user.email in text
    assert client.post(_path(link), {"full_name": "X", "password": NEW_PASSWORD}).status_code == 410
    assert User.objects.filter(email="late@example.org").count() == (1 if state == "accepted" else 0)


def test_an_unknown_link_is_404(client, owner):
    response = client.get(reverse("invitation_accept", args=["x" * 64]))
    assert response.status_code == 404 and "not known" in response.content.decode()


# ---- the People page -------------------------------------------------------------------------------


def test_an_admin_invites_from_the_people_page_and_sees_the_links_once(
    admin, client, login, django_capture_on_commit_callbacks
):
    login(admin)
    page = client.get(reverse("person_list")).content.decode()
    assert "Invite people" in page and "Pending invitations" in page
    assert '<option value="owner"' not in page  # an admin cannot invite an owner
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitation_create"),
            {"emails": f"ada@example.org\ngrace@example.org, {admin.user.email}", "role": "member"},
        )
    assert response.status_code == 200
    text = response.content.decode()
    sent = Invitation.objects.for_org(admin.organization)
    assert sent.count() == 2 and len(mail.outbox) == 2
    for invitation in sent:
        assert invitation.email in text
    links = f"{settings.CHARTER_BASE_URL}/invitations/"
    assert text.count(links) == 2 and "Already in" in text and admin.user.email in text
    assert links not in client.get(reverse("person_list")).content.decode()  # shown once

    response = client.post(reverse("invitation_create"), {"emails": "ok@example.org bad@", "role": "member"})
    assert response.status_code == 422 and "“bad@” is not a valid email address" in response.content.decode()


def test_resend_and_revoke_from_the_people_page(owner, client, login):
    (invitation, link), *_ = _invite(owner, "ada@example.org").sent
    login(owner)
    response = client.post(reverse("invitation_resend", args=[invitation.pk]))
    assert response.status_code == 200
    new_link = re.search(r'value="(http[^"]+/invitations/[^"]+/)"', response.content.decode()).group(1)
    assert new_link != link and client.get(_path(link)).status_code == 404
    response = client.post(reverse("invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    assert client.get(_path(new_link)).status_code == 410
    actions = AuditEvent.objects.for_org(owner.organization).values_list("action", flat=True)
    assert {"invitation.resend", "invitation.revoke"} <= set(actions)


def test_a_member_inviting_an_admin_gets_403_and_an_admin_inviting_an_owner_too(owner, admin, client, login):
    member = make_person(owner)
    login(member)
    assert "Invite people" not in client.get(reverse("person_list")).content.decode()
    data = {"emails": "boss@example.org", "role": "admin"}
    assert client.post(reverse("invitation_create"), data).status_code == 403
    client.logout()
    login(admin)
    assert client.post(reverse("invitation_create"), data | {"role": "owner"}).status_code == 403
    assert not Invitation.objects.for_org(owner.organization).exists()


def test_another_organizations_invitation_id_is_404(owner, other_owner, client, login):
    (theirs, link), *_ = _invite(other_owner, "x@example.org").sent
    login(owner)
    assert client.post(reverse("invitation_resend", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("invitation_revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_pending


# ---- the REST API ---------------------------------------------------------------------------------


def _api(client, method, path, token, body=None):
    return client.generic(
        method,
        f"/api/v1{path}",
        data=json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_the_api_lists_creates_resends_and_revokes(owner, admin, other_owner, client):
    token = token_create(actor=admin, name="t")[1]
    member = make_person(owner)
    body = {"emails": ["ada@example.org", "grace@example.org", member.user.email], "role": "leader"}
    created = _api(client, "POST", "/invitations", token, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert [i["email"] for i in data["invitations"]] == ["ada@example.org", "grace@example.org"]
    assert data["already_members"] == [member.user.email]
    first = data["invitations"][0]
    assert first["state"] == "pending" and first["role"] == "leader"
    assert client.get(_path(first["link"])).status_code == 200

    listed = _api(client, "GET", "/invitations", token)
    assert listed.status_code == 200 and listed.json()["count"] == 2
    assert "link" not in listed.json()["items"][0] and "token_hash" not in listed.content.decode()

    resent = _api(client, "POST", f"/invitations/{first['id']}/resend", token)
    assert resent.status_code == 200 and resent.json()["link"] != first["link"]
    revoked = _api(client, "POST", f"/invitations/{first['id']}/revoke", token)
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert _api(client, "GET", "/invitations?pending=true", token).json()["count"] == 1

    (theirs, _), *_ = _invite(other_owner, "x@example.org").sent
    assert _api(client, "POST", f"/invitations/{theirs.pk}/resend", token).status_code == 404
    assert _api(client, "POST", f"/invitations/{theirs.pk}/revoke", token).status_code == 404

    bad = _api(client, "POST", "/invitations", token, {"emails": ["fine@example.org", "nope"]})
    assert bad.status_code == 422 and "“nope”" in bad.json()["detail"]


def test_the_api_refuses_a_member_inviting_an_admin_and_an_admin_inviting_an_owner(owner, admin, client):
    member_token = token_create(actor=make_person(owner), name="t")[1]
    body = {"emails": ["boss@example.org"], "role": "admin"}
    assert _api(client, "POST", "/invitations", member_token, body).status_code == 403
    assert _api(client, "GET", "/invitations", member_token).status_code == 403
    admin_token = token_create(actor=admin, name="t")[1]
    assert _api(client, "POST", "/invitations", admin_token, body | {"role": "owner"}).status_code == 403
    assert not Invitation.objects.for_org(owner.organization).exists()


# ---- charter invite ----------------------------------------------------------------------------------


def test_charter_invite_prints_each_link(owner, client, django_capture_on_commit_callbacks):
    team = make_team(owner, "Field Ops")
    admin = make_person(owner, Role.ADMIN)
    out, err = StringIO(), StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "invite",
            "ada@example.org",
            "grace@example.org",
            "--organization",
            owner.organization.slug,
            "--role",
            "leader",
            "--team",
            "field ops",
            "--invited-by",
            admin.user.email,
            stdout=out,
            stderr=err,
        )
    lines = out.getvalue().strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["ada@example.org", "grace@example.org"]
    assert "2 invitation(s)" in err.getvalue()
    assert len(mail.outbox) == 2
    invitation = Invitation.objects.for_org(owner.organization).get(email="ada@example.org")
    assert (invitation.role, invitation.team, invitation.invited_by) == (Role.LEADER, team, admin.user)
    link = lines[0].split("\t")[1]
    assert client.get(_path(link)).status_code == 200
    assert (
        AuditEvent.objects.for_org(owner.organization).filter(action="invitation.create", via="cli").exists()
    )


def test_charter_invite_reports_errors_in_one_line(owner):
    member = make_person(owner)
    slug = owner.organization.slug
    with pytest.raises(CommandError, match="No team called 'Nowhere'"):
        call_command("invite", "a@example.org", "--organization", slug, "--team", "Nowhere")
    with pytest.raises(CommandError, match="may not people invite"):
        call_command("invite", "a@example.org", "--organization", slug, "--invited-by", member.user.email)
    with pytest.raises(CommandError, match="not a valid email address"):
        call_command("invite", "a@", "--organization", slug)
    assert not Invitation.objects.for_org(owner.organization).exists()
    assert make_user()  # the factories still work after the refusals


# ---- sign-up by email domain (off by default) ----------------------------------------------------------


def _take_signups(owner, domain="acme.example"):
    from charter.organizations.services import organization_update

    org = owner.organization
    organization_update(
        actor=owner, name=org.name, stale_days=org.stale_days, attainment_mark=org.attainment_mark,
        signup_domain=domain,
    )  # fmt: skip


def test_sign_up_is_off_by_default(owner, client):
    assert owner.organization.signup_domain == ""
    assert client.get(reverse("signup", args=[owner.organization.slug])).status_code == 404
    assert (
        client.post(reverse("signup", args=[owner.organization.slug]), {"email": "a@b.org"}).status_code
        == 404
    )


def test_an_address_at_the_domain_is_emailed_a_link_to_join_as_member(
    owner, client, django_capture_on_commit_callbacks
):
    _take_signups(owner, "@Acme.Example ")
    owner.organization.refresh_from_db()
    assert owner.organization.signup_domain == "acme.example"
    url = reverse("signup", args=[owner.organization.slug])
    assert "acme.example" in client.get(url).content.decode()

    refused = client.post(url, {"email": "eve@evil.example"})
    assert refused.status_code == 422 and "Only addresses at acme.example" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Sam@acme.example"})
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sam@acme.example"]
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[0].body).group(0)
    assert "asked" in mail.outbox[0].body
    invitation = Invitation.objects.for_org(owner.organization).get(email="sam@acme.example")
    assert invitation.role == Role.MEMBER and invitation.invited_by is None
    assert AuditEvent.objects.for_org(owner.organization).filter(action="invitation.signup").exists()

    data = {"full_name": "Sam Signup", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert client.post(_path(link), data).status_code == 302
    sam = User.objects.get(email="sam@acme.example")
    assert Membership.objects.for_org(owner.organization).get(user=sam).role == Role.MEMBER

    # A member asking again gets the same page and no email (nobody learns who is a member).
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"email": "sam@acme.example"})
    assert again.status_code == 200 and "Check your email" in again.content.decode()
    assert len(mail.outbox) == 1


def test_sign_up_emails_are_throttled(owner, client, django_capture_on_commit_callbacks):
    _take_signups(owner)
    url = reverse("signup", args=[owner.organization.slug])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            assert client.post(url, {"email": "pat@acme.example"}).status_code == 200
    assert len(mail.outbox) == 3  # a day's worth for one address
    assert Invitation.objects.for_org(owner.organization).count() == 1


def test_a_bad_sign_up_domain_is_refused_beside_the_field(owner, client, login):
    login(owner)
    org = owner.organization
    data = {"name": org.name, "stale_days": 14, "attainment_mark": 0.7, "agent_decision_cap": 0}
    response = client.post(reverse("organization_settings"), data | {"signup_domain": "not a domain"})
    assert response.status_code == 200 and "signup_domain" in response.context["form"].errors
    assert (
        client.post(reverse("organization_settings"), data | {"signup_domain": "acme.example"}).status_code
        == 302
    )
    page = client.get(reverse("organization_settings")).content.decode()
    assert reverse("signup", args=[org.slug]) in page
