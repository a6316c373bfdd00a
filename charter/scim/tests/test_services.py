"""The services SCIM writes through, and the settings page of the SCIM tokens."""

import pytest
from django.test import Client

from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.core.models import AuditEvent
from charter.organizations.models import ApiToken, Role, Team
from charter.organizations.services import (
    person_identity_update,
    person_update,
    scim_token_create,
    scim_token_revoke,
    team_provision,
    team_unprovision,
    token_actor,
    token_create,
)
from charter.organizations.tests.factories import PASSWORD, make_org, make_person, make_team

pytestmark = pytest.mark.django_db


def test_a_scim_token_acts_at_scim_only_and_a_personal_token_never_does():
    owner = make_org()
    _, raw = scim_token_create(actor=owner, name="Okta")
    actor = token_actor(raw, via="scim", scim=True)
    assert actor.allowed == {"people.manage", "team.manage"} and actor.via == "scim"
    assert token_actor(raw) is None  # not at the REST API or MCP
    _, personal = token_create(actor=owner, name="mine")
    assert token_actor(personal, scim=True) is None
    with pytest.raises(ValidationError):
        token_create(actor=owner, name="sneaky", scopes=["scim"])


def test_only_those_who_manage_people_make_or_revoke_scim_tokens():
    owner = make_org()
    leader = make_person(owner, Role.LEADER)
    with pytest.raises(PermissionDenied):
        scim_token_create(actor=leader, name="Okta")
    admin = make_person(owner, Role.ADMIN)
    token, raw = scim_token_create(actor=owner, name="Okta")
    assert ApiToken.objects.for_org(owner.organization).get(pk=token.pk).token_hash != raw  # only a hash
    scim_token_revoke(actor=admin, token_id=token.pk)  # another admin may revoke it
    assert token_actor(raw, scim=True) is None
    personal, _ = token_create(actor=owner, name="mine")
    with pytest.raises(NotFound):
        scim_token_revoke(actor=owner, token_id=personal.pk)
    other = make_org()
    theirs, _ = scim_token_create(actor=other, name="Okta")
    with pytest.raises(NotFound):
        scim_token_revoke(actor=owner, token_id=theirs.pk)


def test_identity_changes_only_for_an_account_no_other_organization_shares():
    owner = make_org()
    person = make_person(owner, full_name="Ada Lovelace")
    person_identity_update(actor=owner, user_id=person.user.pk, full_name="Ada King", external_id="x1")
    person.user.refresh_from_db()
    assert person.user.full_name == "Ada King"
    assert AuditEvent.objects.for_org(owner.organization).filter(action="person.identity_update").exists()
    # Shared with another organization: this one may not rename it or move its address.
    other = make_org(owner=None)
    from charter.organizations.services import person_add

    person_add(actor=other, email=person.user.email, full_name="whatever")
    with pytest.raises(PermissionDenied):
        person_identity_update(actor=owner, user_id=person.user.pk, email="elsewhere@example.org")
    # Unchanged values are no change: its own id for them still moves.
    person_identity_update(
        actor=owner, user_id=person.user.pk, email=person.user.email, full_name="Ada King", external_id="x2"
    )
    taken = make_person(owner)
    alone = make_person(owner)
    with pytest.raises(Conflict):
        person_identity_update(actor=owner, user_id=alone.user.pk, email=taken.user.email)
    with pytest.raises(ValidationError):
        person_identity_update(actor=owner, user_id=alone.user.pk, email="not an address")


def test_deactivation_in_the_last_organization_signs_out_but_not_elsewhere():
    owner = make_org()
    person = make_person(owner)
    generation = person.user.session_generation
    other = make_org()
    from charter.organizations.services import person_add

    person_add(actor=other, email=person.user.email, full_name="x")
    person_update(actor=owner, user_id=person.user.pk, role=Role.MEMBER, title="", is_active=False)
    person.user.refresh_from_db()
    assert person.user.session_generation == generation  # still active in the other organization
    person_update(actor=other, user_id=person.user.pk, role=Role.MEMBER, title="", is_active=False)
    person.user.refresh_from_db()
    assert person.user.session_generation == generation + 1


def test_a_team_is_provisioned_linked_and_let_go():
    owner = make_org()
    existing = make_team(owner, name="Sales")
    team, created = team_provision(actor=owner, name="SALES", external_id="g1")
    assert (team.pk, created, team.provisioned) == (existing.pk, False, True)
    with pytest.raises(Conflict):
        team_provision(actor=owner, name="sales")
    new, created = team_provision(actor=owner, name="Support")
    assert created
    team_unprovision(actor=owner, team_id=team.pk)
    team.refresh_from_db()
    assert (team.provisioned, team.external_id) == (False, "")
    with pytest.raises(NotFound):
        team_unprovision(actor=owner, team_id=team.pk)
    assert Team.objects.for_org(owner.organization).count() == 2
    member = make_person(owner)
    with pytest.raises(PermissionDenied):
        team_provision(actor=member, name="Rogue")


def test_the_settings_page_shows_a_new_token_once_and_revokes_it():
    owner = make_org()
    client = Client()
    assert client.login(email=owner.user.email, password=PASSWORD)
    assert b"/settings/scim/" in client.get("/settings/").content
    page = client.get("/settings/scim/")
    assert page.status_code == 200 and b"/scim/v2/" in page.content
    made = client.post("/settings/scim/tokens/", {"name": "Okta"})
    assert made.status_code == 200
    token = ApiToken.objects.for_org(owner.organization).get(name="Okta")
    assert token.scopes == ["scim"]
    assert b"chr_" + token.prefix.encode() in made.content and b'id="raw-token"' in made.content
    assert b'id="raw-token"' not in client.get("/settings/scim/").content
    assert client.post("/settings/scim/tokens/", {"name": ""}).status_code == 422
    revoked = client.post(f"/settings/scim/tokens/{token.pk}/revoke/")
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
