"""Agent members: creation, the badge, no web sign-in, scoped tokens, revocation, the audited token."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charter.agents import selectors, services
from charter.core.errors import NotFound, PermissionDenied, ValidationError
from charter.core.models import AuditEvent
from charter.goals.tests.factories import make_goal, make_key_result
from charter.organizations.models import ApiToken, Role
from charter.organizations.services import token_actor
from charter.organizations.tests.factories import make_person, make_team

from .factories import make_agent, make_agent_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(owner):
    return make_team(owner, "Support")


@pytest.fixture
def sponsor(owner, team):
    return make_person(owner, Role.MEMBER, team=team, full_name="Sam Sponsor")


@pytest.fixture
def agent(owner, team, sponsor):
    return make_agent(owner, team.pk, sponsor=sponsor, name="Triage bot")


def test_an_agent_is_a_member_of_its_team_with_a_sponsor(agent, team, sponsor):
    user = agent.user
    assert user.kind == "agent" and not user.has_usable_password()
    assert agent.sponsor_id == sponsor.user_id and agent.team_id == team.pk
    assert user.memberships.get().role == Role.MEMBER
    assert list(user.team_memberships.values_list("team_id", flat=True)) == [team.pk]


def test_members_may_not_create_agents_and_bad_input_says_where(owner, team, sponsor):
    with pytest.raises(PermissionDenied):
        services.agent_create(actor=sponsor, name="X", sponsor_id=sponsor.user_id, team_id=team.pk)
    with pytest.raises(ValidationError) as exc:
        services.agent_create(actor=owner, name=" ", sponsor_id=999999, team_id=999999)
    assert set(exc.value.errors) == {"name", "sponsor_id", "team_id"}


def test_an_agent_cannot_sponsor_an_agent(owner, team, agent):
    with pytest.raises(ValidationError) as exc:
        services.agent_create(actor=owner, name="Y", sponsor_id=agent.user_id, team_id=team.pk)
    assert "sponsor_id" in exc.value.errors


def test_agents_never_sign_in_to_the_web(client, agent):
    response = client.post(reverse("login"), {"email": agent.user.email, "password": "anything"})
    assert "agents never sign in to the web" in response.content.decode()
    client.force_login(agent.user)  # even with a session, an agent gets no actor
    assert client.get(reverse("goal_list")).status_code == 403


def test_a_read_token_cannot_check_in_a_check_in_token_can(client, owner, cycle, team, agent):
    goal = make_goal(owner, cycle, "Answer faster", team_id=team.pk)
    kr = make_key_result(
        owner, goal, "First reply hours", kind="decrease", start=10, target=2, owner_id=agent.user_id
    )
    _, read = make_agent_token(owner, agent, scopes=["read"])
    _, writer = make_agent_token(owner, agent, scopes=["read", "check_in"])
    url, body = f"/api/v1/key-results/{kr.pk}/check-ins", {"value": 8, "confidence": 6}
    refused = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {read}")
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "This token's scopes (read) do not allow it to check_in create; "
        "your role (member) does: use a token with a scope that covers it."
    )
    assert client.get(f"/api/v1/goals/{goal.pk}", HTTP_AUTHORIZATION=f"Bearer {read}").status_code == 200
    done = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert done.status_code == 201, done.content
    event = AuditEvent.objects.for_org(owner.organization).filter(action="check_in.create").get()
    assert event.actor_id == agent.user_id and event.token.prefix == writer.split("_")[1]
    page = selectors.agent_page(actor=owner, agent_id=agent.user_id)
    assert page["actions"][0].token_id == event.token_id


def test_personal_tokens_keep_all_their_roles_actions(owner):
    from charter.organizations.services import token_create

    _, raw = token_create(actor=owner, name="mine")
    actor = token_actor(raw)
    assert actor.allowed == owner.allowed and actor.token_id is not None


def test_revoked_and_expired_tokens_are_refused(client, owner, agent, sponsor):
    token, raw = make_agent_token(sponsor, agent, scopes=["read"])
    assert client.get("/api/v1/me/brief", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    services.agent_token_revoke(actor=sponsor, agent_id=agent.user_id, token_id=token.pk)
    assert client.get("/api/v1/me/brief", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    old, raw_old = make_agent_token(owner, agent, scopes=["read"])
    ApiToken.objects.for_org(owner.organization).filter(pk=old.pk).update(expires_at=timezone.now())
    assert client.get("/api/v1/me/brief", HTTP_AUTHORIZATION=f"Bearer {raw_old}").status_code == 401


def test_only_the_sponsor_or_an_admin_manages_tokens(owner, team, agent):
    other = make_person(owner, Role.LEADER, team=team)
    with pytest.raises(PermissionDenied):
        make_agent_token(other, agent)
    with pytest.raises(ValidationError):
        services.agent_token_create(actor=owner, agent_id=agent.user_id, name="t", scopes=[])
    with pytest.raises(ValidationError):
        services.agent_token_create(actor=owner, agent_id=agent.user_id, name="t", scopes=["root"])


def test_another_organizations_agent_is_not_found(other_owner, agent):
    with pytest.raises(NotFound):
        selectors.agent_get(actor=other_owner, agent_id=agent.user_id)


def test_sponsor_revokes_from_the_agent_page(client, login, owner, agent, sponsor):
    token, _ = make_agent_token(owner, agent)
    login(sponsor)
    page = client.get(reverse("agent_detail", args=[agent.user_id]))
    assert page.status_code == 200 and "Triage bot" in page.content.decode()
    url = reverse("agent_token_revoke", args=[agent.user_id, token.pk])
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_list_shows_what_each_agent_may_decide(client, login, owner, team, agent):
    from charter.organizations.models import Membership, Organization

    login(owner)
    assert (
        "only proposes decisions (the organization's cap)"
        in client.get(reverse("agent_list")).content.decode()
    )
    Organization.objects.filter(pk=owner.organization.pk).update(agent_decision_cap=3)
    Membership.objects.for_org(owner.organization).filter(user=agent.user).update(decision_cap=6)
    # its own cap never lifts it above the organization's
    listed = client.get(reverse("agent_list")).content.decode()
    assert "decides alone up to level 3 (its own cap)" in listed


def test_create_page_and_badges(client, login, owner, team, sponsor, agent):
    login(owner)
    response = client.post(
        reverse("agent_create"), {"name": "Planner", "sponsor_id": sponsor.user_id, "team_id": team.pk}
    )
    assert response.status_code == 302
    assert "Planner" in client.get(reverse("agent_list")).content.decode()
    for url in (reverse("person_list"), reverse("team_detail", args=[team.pk])):
        assert ">Agent</span>" in client.get(url).content.decode(), url


def test_agent_list_keeps_a_constant_number_of_queries(client, login, owner, team):
    login(owner)
    make_agent(owner, team.pk)
    _count(client)
    few = _count(client)
    for _ in range(10):
        make_agent(owner, team.pk)
    assert _count(client) == few


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("agent_list")).status_code == 200
    return len(ctx)


def test_change_cap_and_deactivate_from_the_agent_pages(client, login, owner, team, agent, sponsor):
    from charter.organizations.models import Membership, Organization

    Organization.objects.filter(pk=owner.organization.pk).update(agent_decision_cap=4)
    other_team = make_team(owner, "Billing")
    login(owner)
    edit = reverse("agent_edit", args=[agent.user_id])
    assert "the organization&#x27;s (4)" in client.get(edit).content.decode()
    fields = {"name": "Triage bot", "sponsor_id": sponsor.user_id, "team_id": other_team.pk, "purpose": ""}
    above = client.post(edit, fields | {"decision_cap": 5})
    assert above.status_code == 422 and "above the organization" in above.content.decode()
    assert client.post(edit, fields | {"decision_cap": 2}).status_code == 302
    agent.refresh_from_db()
    assert agent.team_id == other_team.pk
    assert list(agent.user.team_memberships.values_list("team_id", flat=True)) == [other_team.pk]
    assert Membership.objects.for_org(owner.organization).get(user=agent.user).decision_cap == 2
    page = client.get(reverse("agent_detail", args=[agent.user_id])).content.decode()
    assert "decides alone up to level 2" in page and "(its own cap)" in page
    listed = client.get(reverse("agent_list")).content.decode()
    assert "decides alone up to level 2 (its own cap)" in listed
    token, raw = make_agent_token(owner, agent)
    assert client.post(reverse("agent_deactivate", args=[agent.user_id])).status_code == 302
    assert (
        token_actor(raw) is None
        and "Deactivated" in client.get(reverse("agent_detail", args=[agent.user_id])).content.decode()
    )
    # changing an agent is for leaders and admins, as creating one is; not for its sponsor, a member
    with pytest.raises(PermissionDenied):
        services.agent_update(actor=sponsor, agent_id=agent.user_id, name="Mine")
