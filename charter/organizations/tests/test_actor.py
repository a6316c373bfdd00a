"""Who is asking: the actor read in one query for a session or a token, exact on every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charter.organizations.models import Role
from charter.organizations.selectors import actor_for, session_actor
from charter.organizations.services import (
    person_update,
    team_member_remove,
    team_member_set,
    team_update,
    token_actor,
    token_authenticate,
    token_create,
    token_revoke,
)
from charter.organizations.tests.factories import make_org, make_person, make_team


@pytest.fixture
def tree(owner):
    """Department > squad > pod, a second department, and a lead of the first one."""
    dept = make_team(owner, "Department")
    squad = make_team(owner, "Squad", parent=dept)
    pod = make_team(owner, "Pod", parent=squad)
    other = make_team(owner, "Other department")
    lead = make_person(owner, team=dept, is_lead=True)
    team_member_set(actor=owner, team_id=other.pk, user_id=lead.user_id)
    return {"dept": dept, "squad": squad, "pod": pod, "other": other, "lead": lead}


def _teams(actor):
    return actor.role, actor.team_ids, actor.lead_team_ids


def test_a_lead_leads_every_team_below(owner, tree):
    lead = actor_for(user=tree["lead"].user, organization=owner.organization)

    assert lead.team_ids == {tree["dept"].pk, tree["other"].pk}
    assert lead.lead_team_ids == {tree["dept"].pk, tree["squad"].pk, tree["pod"].pk}
    assert lead.role == Role.MEMBER and lead.can("check_in.create")


def test_a_member_leads_nothing_and_a_lead_of_a_leaf_only_the_leaf(owner, tree):
    member = make_person(owner, team=tree["squad"])
    pod_lead = make_person(owner, team=tree["pod"], is_lead=True)

    assert (member.team_ids, member.lead_team_ids) == ({tree["squad"].pk}, frozenset())
    assert (pod_lead.team_ids, pod_lead.lead_team_ids) == ({tree["pod"].pk}, {tree["pod"].pk})
    assert (owner.team_ids, owner.lead_team_ids) == (frozenset(), frozenset())


def test_a_moved_team_is_led_by_its_new_department_lead(owner, tree):
    team_update(
        actor=owner, team_id=tree["squad"].pk, name="Squad", description="", parent_id=tree["other"].pk
    )
    other_lead = make_person(owner, team=tree["other"], is_lead=True)

    lead = actor_for(user=tree["lead"].user, organization=owner.organization)

    assert lead.lead_team_ids == {tree["dept"].pk}
    assert other_lead.lead_team_ids == {tree["other"].pk, tree["squad"].pk, tree["pod"].pk}


def test_session_token_and_selector_give_the_same_actor(owner, tree):
    lead = tree["lead"]
    _, raw = token_create(actor=lead, name="same", days=1)

    by_session = session_actor(user=lead.user, organization_id=owner.organization.pk, request_id="r1")
    by_token = token_actor(raw, request_id="r2")

    fresh = actor_for(user=lead.user, organization=owner.organization)
    assert _teams(by_session) == _teams(by_token) == _teams(fresh)
    assert fresh.team_ids == {tree["dept"].pk, tree["other"].pk}
    assert by_session.organization == by_token.organization == owner.organization
    assert by_session.organization.__dict__.keys() == owner.organization.__dict__.keys()  # only fields
    assert (by_session.request_id, by_session.via, by_session.token_id) == ("r1", "web", None)
    assert (by_token.request_id, by_token.via, by_token.user) == ("r2", "api", lead.user)
    assert by_token.token_id == token_authenticate(raw).pk


def test_teams_of_another_organization_never_count(owner, other_owner, tree):
    lead = tree["lead"]
    elsewhere = make_team(other_owner, "Elsewhere")
    below = make_team(other_owner, "Below", parent=elsewhere)
    person_add_elsewhere = make_person(other_owner, team=elsewhere, is_lead=True)
    assert person_add_elsewhere.lead_team_ids == {elsewhere.pk, below.pk}

    assert session_actor(user=lead.user, organization_id=other_owner.organization.pk) is None
    assert actor_for(user=lead.user, organization=other_owner.organization) is None
    assert not (lead.team_ids | lead.lead_team_ids) & {elsewhere.pk, below.pk}


def test_one_query_for_the_session_actor_and_one_for_the_token(owner, tree):
    lead = tree["lead"]
    _, raw = token_create(actor=lead, name="count", days=1)
    token_actor(raw)  # the first use writes last_used_at (once a minute)

    with CaptureQueriesContext(connection) as by_session:
        session_actor(user=lead.user, organization_id=owner.organization.pk)
    with CaptureQueriesContext(connection) as by_token:
        actor = token_actor(raw)
    with CaptureQueriesContext(connection) as using_it:
        assert actor.organization.stale_days and actor.user.email and actor.can("check_in.create")

    assert (len(by_session), len(by_token), len(using_it)) == (1, 1, 0)


def test_changes_count_on_the_next_request(owner, tree):
    """Nothing is kept between requests: a new role, a removed team or membership, a revoked token."""
    lead = tree["lead"]
    _, raw = token_create(actor=lead, name="changes", days=1)
    org_id = owner.organization.pk

    person_update(actor=owner, user_id=lead.user_id, role=Role.LEADER, title="", is_active=True)
    assert session_actor(user=lead.user, organization_id=org_id).role == Role.LEADER
    assert token_actor(raw).role == Role.LEADER

    team_member_remove(actor=owner, team_id=tree["dept"].pk, user_id=lead.user_id)
    assert _teams(session_actor(user=lead.user, organization_id=org_id))[1:] == ({tree["other"].pk}, set())
    assert token_actor(raw).lead_team_ids == frozenset()

    person_update(actor=owner, user_id=lead.user_id, role=Role.LEADER, title="", is_active=False)
    assert session_actor(user=lead.user, organization_id=org_id) is None
    assert token_actor(raw) is None

    person_update(actor=owner, user_id=lead.user_id, role=Role.MEMBER, title="", is_active=True)
    assert token_actor(raw) is not None
    token_revoke(actor=lead, token_id=token_authenticate(raw).pk)
    assert token_actor(raw) is None


def test_an_inactive_user_has_no_token_actor(owner, tree):
    lead = tree["lead"]
    _, raw = token_create(actor=lead, name="inactive", days=1)
    lead.user.is_active = False
    lead.user.save(update_fields=["is_active"])

    assert token_actor(raw) is None
    assert token_actor("chr_unknown") is None and token_actor("") is None


def test_an_organization_without_teams(db):
    solo = make_org("Solo")

    again = actor_for(user=solo.user, organization=solo.organization)

    assert (again.role, again.team_ids, again.lead_team_ids) == (Role.OWNER, frozenset(), frozenset())


def test_the_token_row_reads_every_field_as_the_orm_does(owner, tree):
    from charter.core.crypto import token_hash as _hash
    from charter.organizations.models import ApiToken, Organization, User
    from charter.organizations.permissions import SCOPES

    scope = sorted(SCOPES)[0]
    token, raw = token_create(actor=tree["lead"], name="fields", days=30, scopes=[scope])
    token_actor(raw)  # sets last_used_at: a moment read back too

    read = token_authenticate(raw)

    def fields(instance):
        return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}

    assert _hash(raw) == read.token_hash and read.scopes == [scope]
    assert fields(read) == fields(ApiToken.objects.unscoped().get(pk=token.pk))
    assert fields(read.user) == fields(User.objects.get(pk=tree["lead"].user_id))
    assert fields(read.organization) == fields(Organization.objects.get(pk=owner.organization.pk))
    assert read.last_used_at is not None and read.expires_at.tzinfo is not None
    assert token_actor(raw).allowed <= SCOPES[scope]


def test_the_session_user_comes_with_the_actor_in_one_query(owner, tree, client, login):
    """Two queries before a signed-in view: the session, then the user with the actor of the session's
    organization; switching organizations, a removed membership and a new password count at once."""
    from django.urls import reverse

    from charter.organizations.actors import session_user
    from charter.organizations.models import Organization, User

    lead = tree["lead"]
    login(lead)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("notification_list"))
    assert response.status_code == 200
    first, second = (q["sql"] for q in ctx.captured_queries[:2])
    assert "django_session" in first and "organizations_user" in second and "WITH RECURSIVE" in second
    assert response.wsgi_request.actor.lead_team_ids == {tree["dept"].pk, tree["squad"].pk, tree["pod"].pk}

    # Every field read as the ORM reads it; a missing organization leaves the actor to be read apart.
    user = session_user(lead.user_id, owner.organization.pk)
    fields = lambda i: {f.attname: getattr(i, f.attname) for f in type(i)._meta.concrete_fields}  # noqa: E731
    assert fields(user) == fields(User.objects.get(pk=lead.user_id))
    assert fields(user.session_organization[0]) == fields(Organization.objects.get(pk=owner.organization.pk))
    assert session_user(lead.user_id, 10**9).session_organization is False
    assert session_user(10**9, owner.organization.pk) is None

    # Removed from the organization: no actor on the next request (the page refuses, it does not show).
    person_update(actor=owner, user_id=lead.user_id, role=Role.MEMBER, title="", is_active=False)
    assert client.get(reverse("notification_list")).wsgi_request.actor is None

    # A new password ends the other sessions: Django's check of the session still runs.
    person_update(actor=owner, user_id=lead.user_id, role=Role.MEMBER, title="", is_active=True)
    user = User.objects.get(pk=lead.user_id)
    user.set_password("a-new-and-long-passphrase-1")
    user.save()
    assert client.get(reverse("notification_list")).wsgi_request.user.is_authenticated is False
