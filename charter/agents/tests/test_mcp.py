"""The MCP server through the real MCP client SDK, in memory: tools, authority, tokens, isolation, parity."""

import json
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.db import OperationalError
from django.utils import timezone
from mcp import Client
from mcp.shared.exceptions import MCPError

from charter.agents.mcp import tools
from charter.agents.mcp.auth import NOT_AUTHENTICATED, REFUSED
from charter.agents.mcp.server import build_server
from charter.notifications.models import Notification
from charter.organizations.models import ApiToken, Organization, User
from charter.organizations.services import token_create
from charter.organizations.tests.factories import refresh_actor
from charter.search.services import reindex

from .mcp_world import build

pytestmark = pytest.mark.django_db

TOOLS = {
    "transition",
    "get_mission_brief",
    "list_my_goals",
    "get_goal",
    "get_team_board",
    "record_check_in",
    "submit_back_brief",
    "record_decision",
    "list_waiting_decisions",
    "list_delegation_advice",
    "accept_delegation_advice",
    "dismiss_delegation_advice",
    "respond_to_decision",
    "propose_idea",
    "add_comment",
    "search",
    "list_poker_sessions",
    "get_poker_session",
    "pick_in_poker",
    "similar_goals",
    "likely_parents",
}
READ_ONLY = {
    "transition",
    "get_mission_brief",
    "list_my_goals",
    "get_goal",
    "get_team_board",
    "search",
    "similar_goals",
    "likely_parents",
    "list_waiting_decisions",
    "list_delegation_advice",
    "list_poker_sessions",
    "get_poker_session",
}


@pytest.fixture
def world():
    return build()


def session(token, steps):
    """Run `steps(client)` against an in-memory server acting with `token`.

    async_to_sync from the test thread makes the tools' sync_to_async calls run on this same thread,
    so they see the test's database transaction.
    """

    async def run():
        async with Client(build_server(token)) as client:
            return await steps(client)

    return async_to_sync(run)()


def call(token, name, **arguments):
    """(is_error, text) of one tool call."""

    async def steps(client):
        result = await client.call_tool(name, arguments)
        return result.is_error, result.content[0].text

    return session(token, steps)


def fail(token, name, **arguments) -> dict:
    """The structured error of a tool call that fails: the REST error body."""

    async def steps(client):
        return await client.call_tool(name, arguments)

    result = session(token, steps)
    assert result.is_error, result
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def refused(token, name, **arguments) -> MCPError:
    """The protocol error a tool call raises in the client (caught inside the session, as a client would)."""

    async def steps(client):
        try:
            result = await client.call_tool(name, arguments)
        except MCPError as error:
            return error
        raise AssertionError(f"{name} was not refused: {result}")

    return session(token, steps)


def ok(token, name, **arguments):
    is_error, text = call(token, name, **arguments)
    assert not is_error, text
    return json.loads(text) if text[:1] in "[{" else text


def test_tools_are_listed_with_read_only_hints(world):
    async def steps(client):
        return (await client.list_tools()).tools

    tools = {t.name: t for t in session(world["token"], steps)}
    assert set(tools) == TOOLS
    for name, tool in tools.items():
        assert tool.annotations.read_only_hint is (name in READ_ONLY), name
    # Input schemas come from the domain In-schemas: constraints and descriptions included.
    check_in = tools["record_check_in"].input_schema["properties"]
    assert check_in["confidence"]["maximum"] == 10 and "certain" in check_in["confidence"]["description"]
    assert set(tools["record_decision"].input_schema["required"]) == {
        "team_id",
        "domain_id",
        "title",
        "decision",
    }


def test_mission_brief_goal_and_resources(world):
    brief = ok(world["token"], "get_mission_brief", goal_id=world["goal_id"])
    assert "Make deploys boring" in brief and "Tooling" in brief
    goals = ok(world["token"], "list_my_goals")
    assert [g["id"] for g in goals] == [world["goal_id"]]
    assert (
        ok(world["token"], "get_goal", goal_id=world["goal_id"])["key_results"][0]["id"]
        == world["key_result_id"]
    )
    reindex(organization_id=world["org_id"])  # writes index in background tasks; here at once
    hits = ok(world["token"], "search", query="deploys", types=["goal"])["items"]
    assert [(h["type"], h["object_id"]) for h in hits] == [("goal", world["goal_id"])]

    async def steps(client):
        mission = await client.read_resource("charter://mission")
        goal = await client.read_resource(f"charter://goals/{world['goal_id']}")
        return mission.contents[0].text, goal.contents[0].text

    mission, goal = session(world["token"], steps)
    assert "Mission" in mission and "Make deploys boring" in goal


def test_check_in(world):
    check_in = ok(
        world["token"], "record_check_in", key_result_id=world["key_result_id"], value=40, confidence=7
    )
    assert (check_in["value"], check_in["confidence"], check_in["author_id"]) == (40, 7, world["member_id"])
    assert ok(world["token"], "get_goal", goal_id=world["goal_id"])["key_results"][0]["current"] == 40


def _decide(world, domain):
    return ok(
        world["token"],
        "record_decision",
        team_id=world["team_id"],
        domain_id=world[domain],
        title="Adopt a deploy checklist",
        decision="Every deploy follows the checklist.",
        goal_ids=[world["goal_id"]],
    )


def test_decision_within_authority_is_decided(world):
    result = _decide(world, "free_domain_id")
    assert result["outcome"] == "decided" and result["decision"]["decided_by_id"] == world["member_id"]


def test_decision_above_authority_becomes_a_proposal_and_the_leader_is_told(world):
    result = _decide(world, "held_domain_id")
    assert result["outcome"] == "proposed"
    assert "proposal" in result["message"] and "Lena Lead" in result["message"]
    assert (
        Notification.objects.unscoped()
        .filter(recipient_id=world["lead_id"], event="decision.needs_you")
        .exists()
    )


def test_domain_errors_are_tool_errors_with_the_rest_error_body(world, client):
    """{code, detail, errors} as the structured content of an isError result, the same as REST answers."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    assert fail(world["token"], "get_goal", goal_id=999_999) == {
        "code": "not_found",
        "detail": "No such goal.",
        "errors": {},
    }
    assert (
        fail(world["token"], "get_goal", goal_id=999_999) == client.get("/api/v1/goals/999999", **auth).json()
    )
    by_mcp = fail(world["token"], "propose_idea", title=" ")
    by_rest = client.post("/api/v1/ideas", {"title": " "}, content_type="application/json", **auth).json()
    assert by_mcp == by_rest and by_mcp["code"] == "validation_error" and "title" in by_mcp["errors"]
    assert (
        "No back-brief"
        in fail(world["token"], "submit_back_brief", goal_id=world["goal_id"], intent="x")["detail"]
    )


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_revoked_or_expired_token_is_an_authentication_error(world, how):
    change = (
        {"revoked_at": timezone.now()} if how == "revoked" else {"expires_at": timezone.now() - timedelta(1)}
    )
    ApiToken.objects.unscoped().filter(organization_id=world["org_id"]).update(**change)
    error = refused(world["token"], "list_my_goals")
    assert (error.code, error.message) == (NOT_AUTHENTICATED, REFUSED)
    assert error.data == {"code": "not_authenticated", "detail": REFUSED, "errors": {}}


def test_another_organization_sees_nothing(world):
    token = world["other_token"]
    assert ok(token, "list_my_goals") == []
    assert ok(token, "search", query="deploys")["items"] == []
    for name, arguments in [
        ("get_goal", {"goal_id": world["goal_id"]}),
        ("get_mission_brief", {"goal_id": world["goal_id"]}),
    ]:
        assert fail(token, name, **arguments)["detail"] == "No such goal."
    error = fail(token, "record_check_in", key_result_id=world["key_result_id"], value=1, confidence=1)
    assert error["code"] == "not_found" and "No such key result" in error["detail"]
    assert fail(token, "get_team_board", team_id=world["team_id"])["detail"] == "No such team."


def test_an_agent_drafting_a_goal_finds_its_likely_parents_and_a_goals_similar_goals(world, client):
    """The same selectors as the goal page's panels and the goal form's suggestions, the same JSON as REST,
    the same error for another organization's goal."""
    from charter.goals.models import Goal
    from charter.goals.tests.factories import make_goal
    from charter.organizations.models import Membership
    from charter.organizations.selectors import actor_for

    goal = Goal.objects.unscoped().select_related("cycle").get(pk=world["goal_id"])
    cycle = goal.cycle
    member = Membership.objects.unscoped().get(organization_id=world["org_id"], user_id=world["member_id"])
    actor = actor_for(user=member.user, organization=member.organization)
    twin = make_goal(actor, cycle, "Make our deploys boring")  # the same purpose and end state
    reindex(organization_id=world["org_id"])
    token, auth = world["token"], {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}

    draft = {"title": "Ship releases without drama", "purpose": "Deploying should be dull.", "limit": 3}
    by_mcp = ok(token, "likely_parents", cycle_id=cycle.pk, **draft)
    assert by_mcp["meaning_on"] and by_mcp["items"][0]["goal_id"] in {goal.pk, twin.pk}
    assert all(i["similarity"] >= by_mcp["threshold"] for i in by_mcp["items"])
    by_rest = client.get("/api/v1/search/likely-parents", {**draft, "cycle_id": cycle.pk}, **auth).json()
    assert by_mcp == by_rest

    similar = ok(token, "similar_goals", goal_id=goal.pk, limit=5)
    assert [i["goal_id"] for i in similar["items"]] == [twin.pk] and similar["goal_id"] == goal.pk
    assert similar == client.get(f"/api/v1/goals/{goal.pk}/similar", **auth).json()

    other = world["other_token"]
    assert fail(other, "similar_goals", goal_id=goal.pk)["detail"] == "No such goal."
    foreign = client.get(f"/api/v1/goals/{goal.pk}/similar", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert foreign.status_code == 404 and foreign.json()["detail"] == "No such goal."
    assert ok(other, "likely_parents", **draft)["items"] == []
    assert fail(token, "likely_parents", title="x" * 301)["code"] == "validation_error"


def test_mcp_and_rest_give_the_same_results(world, client):
    """The same actions through MCP and through the REST API answer the same JSON."""
    token, auth = world["token"], {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    api = "/api/v1"
    assert (
        ok(token, "get_goal", goal_id=world["goal_id"])
        == client.get(f"{api}/goals/{world['goal_id']}", **auth).json()
    )

    body = {"value": 25, "confidence": 6, "note": "Half way."}
    by_mcp = ok(token, "record_check_in", key_result_id=world["key_result_id"], **body)
    url = f"{api}/key-results/{world['key_result_id']}/check-ins"
    by_rest = client.post(url, body, content_type="application/json", **auth).json()
    assert _without(by_mcp, "id", "checked_at") == _without(by_rest, "id", "checked_at")

    decision = {
        "team_id": world["team_id"],
        "domain_id": world["held_domain_id"],
        "title": "Hire",
        "decision": "Yes",
    }
    by_mcp = ok(token, "record_decision", **decision)
    by_rest = client.post(f"{api}/decisions", decision, content_type="application/json", **auth).json()
    assert (by_mcp["outcome"], by_mcp["message"]) == (by_rest["outcome"], by_rest["message"])
    times = ("id", "proposed_at", "decided_at")
    assert _without(by_mcp["decision"], *times) == _without(by_rest["decision"], *times)


def _without(data: dict, *keys) -> dict:
    return {k: v for k, v in data.items() if k not in keys}


def test_no_status_until_a_first_check_in_and_no_tool_writes_a_key_results_numbers(world):
    """The key-result rule (an increase or decrease whose target equals its start is refused) lives in the
    goals service; MCP has no tool that creates or edits a key result, so an agent cannot get around it.
    A goal never checked in reads "none" (no status yet) until the agent's first check-in."""
    assert not {name for name in TOOLS if "key_result" in name and not name.startswith(("get", "list"))}
    assert ok(world["token"], "get_goal", goal_id=world["goal_id"])["status"] == "none"
    brief = ok(world["token"], "get_mission_brief", goal_id=world["goal_id"])
    assert "no status yet" in brief
    ok(world["token"], "record_check_in", key_result_id=world["key_result_id"], value=40, confidence=7)
    assert ok(world["token"], "get_goal", goal_id=world["goal_id"])["status"] != "none"


def test_an_agent_lists_what_waits_for_it_and_answers_through_the_same_service(world, client):
    """MCP on a par with REST: the decisions waiting for me and a response, each like its REST call."""
    lead_token = token_create(actor=_actor(world, "lead_id"), name="lead")[1]
    proposal = _decide(world, "held_domain_id")  # the member's proposal, to Lena Lead
    waiting = ok(lead_token, "list_waiting_decisions")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {lead_token}"}
    rest = client.get("/api/v1/decisions?waiting_for_me=true", **auth).json()["items"]
    assert [d["id"] for d in waiting] == [d["id"] for d in rest] == [proposal["decision"]["id"]]
    assert waiting == rest
    assert ok(world["token"], "list_waiting_decisions") == []  # the member waits for nobody
    decision_id = proposal["decision"]["id"]
    is_error, text = call(world["token"], "respond_to_decision", decision_id=decision_id, action="decide")
    assert is_error and "waits for the leader's decision (Lena Lead), not for you" in text
    answered = ok(lead_token, "respond_to_decision", decision_id=decision_id, action="decide", note="Go")
    assert (answered["outcome"], answered["message"]) == ("decided", "Decided.")
    assert ok(lead_token, "list_waiting_decisions") == []


def test_the_response_tools_check_the_scopes_rest_checks(world):
    member = _actor(world, "member_id")
    proposal = _decide(world, "held_domain_id")["decision"]["id"]
    read_only = token_create(actor=member, name="read", scopes=["read"])[1]
    is_error, text = call(read_only, "respond_to_decision", decision_id=proposal, action="withdraw")
    assert is_error and "scopes (read) do not allow it to decision respond" in text
    no_read = token_create(actor=member, name="decide", scopes=["decide"])[1]
    is_error, text = call(no_read, "list_waiting_decisions")
    assert is_error and "scopes (decide) do not allow it to organization view" in text
    withdrawn = ok(no_read, "respond_to_decision", decision_id=proposal, action="withdraw")
    assert withdrawn["decision"]["status"] == "withdrawn"


def _actor(world, key):
    user = User.objects.get(pk=world[key])
    return refresh_actor(user, Organization.objects.get(pk=world["org_id"]))


def test_database_out_of_reach_is_a_retryable_tool_error(world, monkeypatch):
    """A lost connection is REST's 503 body with `retry_after`; a wrong query stays a fault (not hidden)."""

    def lost(actor):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(tools, "list_my_goals", lost)
    body = fail(world["token"], "list_my_goals")
    assert body["code"] == "unavailable" and body["retry_after"] == 3 and "retry" in body["detail"]

    def wrong(actor):
        raise OperationalError("no such table: nowhere")

    monkeypatch.setattr(tools, "list_my_goals", wrong)
    is_error, text = call(world["token"], "list_my_goals")
    assert is_error and "unavailable" not in text


def test_transition_for_owners_and_admins_only(world):
    """A member is refused as REST refuses; another organization's owner gets its own (empty) picture and a
    404 for this organization's team."""
    assert fail(world["token"], "transition")["code"] == "permission_denied"
    own = ok(world["other_token"], "transition")
    assert (own["min_people"], own["team_id"], own["teams"]) == (5, None, [])  # no teams there yet
    assert fail(world["other_token"], "transition", team=world["team_id"])["code"] == "not_found"
    assert fail(world["other_token"], "transition", cycles=13)["code"] == "validation_error"


def test_a_decision_takes_its_decide_by_day_and_refuses_a_past_one_on_the_field(world):
    due = (timezone.localdate() + timedelta(days=7)).isoformat()

    async def steps(client):
        return {t.name: t for t in (await client.list_tools()).tools}

    schema = session(world["token"], steps)["record_decision"].input_schema
    assert "Decide by" in schema["properties"]["needed_by"]["description"]
    assert "needed_by" not in schema["required"]
    base = {"team_id": world["team_id"], "domain_id": world["held_domain_id"], "title": "Buy a tool"}
    result = ok(world["token"], "record_decision", **base, decision="We buy it.", needed_by=due)
    assert result["decision"]["needed_by"] == due and result["decision"]["overdue"] is False
    error = fail(world["token"], "record_decision", **base, decision="We buy it.", needed_by="2001-01-01")
    assert error["code"] == "validation_error" and "already past" in error["errors"]["needed_by"][0]
