"""The sweep: every MCP tool, resource and prompt is refused to a token without the scope its REST
counterpart needs, with the REST API's error body; with that scope alone it is not refused.

Everything is enumerated from the running server, so a new tool fails here until it has a row in
`REQUIRED`: the scope it needs and arguments that reach it.
"""

import pytest
from asgiref.sync import async_to_sync
from mcp import Client
from mcp.shared.exceptions import MCPError

from charter.agents.mcp.auth import PERMISSION_DENIED
from charter.agents.mcp.server import CharterMCP
from charter.organizations.models import Membership
from charter.organizations.permissions import SCOPES
from charter.organizations.selectors import actor_for
from charter.organizations.services import token_issue

from .mcp_world import build

pytestmark = pytest.mark.django_db

# tool name, resource URI (template) or "prompt:NAME" -> (the scope it needs, its arguments from the world)
REQUIRED = {
    "get_mission_brief": ("read", lambda w: {"goal_id": w["goal_id"]}),
    "list_my_goals": ("read", lambda w: {}),
    "get_goal": ("read", lambda w: {"goal_id": w["goal_id"]}),
    "get_team_board": ("read", lambda w: {}),
    "search": ("read", lambda w: {"query": "deploys"}),
    "similar_goals": ("read", lambda w: {"goal_id": w["goal_id"]}),
    "likely_parents": ("read", lambda w: {"title": "Boring deploys"}),
    "record_check_in": (
        "check_in",
        lambda w: {"key_result_id": w["key_result_id"], "value": 5, "confidence": 6},
    ),
    "submit_back_brief": ("propose", lambda w: {"goal_id": w["goal_id"], "intent": "Boring deploys."}),
    "record_decision": (
        "propose",
        lambda w: {"team_id": w["team_id"], "domain_id": w["free_domain_id"], "title": "T", "decision": "D"},
    ),
    "list_waiting_decisions": ("read", lambda w: {}),
    "respond_to_decision": ("decide", lambda w: {"decision_id": 999_999, "action": "agree"}),
    "list_delegation_advice": ("read", lambda w: {}),
    "accept_delegation_advice": (
        "delegate",
        lambda w: {"team_id": w["team_id"], "domain_id": w["held_domain_id"], "kind": "raise"},
    ),
    "dismiss_delegation_advice": (
        "delegate",
        lambda w: {
            "team_id": w["team_id"],
            "domain_id": w["held_domain_id"],
            "kind": "raise",
            "reason": "No",
        },
    ),
    "propose_idea": ("propose", lambda w: {"title": "Canary deploys"}),
    "transition": ("read", lambda w: {"team": w["team_id"], "cycles": 2}),
    "list_poker_sessions": ("read", lambda w: {}),
    "get_poker_session": ("read", lambda w: {"poker_id": 999_999}),
    "pick_in_poker": ("propose", lambda w: {"poker_id": 999_999, "domain_id": 1, "level": 4}),
    "add_comment": ("comment", lambda w: {"target_type": "goal", "target_id": w["goal_id"], "body": "Hi"}),
    "charter://mission": ("read", lambda w: {}),
    "charter://goals/{goal_id}": ("read", lambda w: {"goal_id": w["goal_id"]}),
    "prompt:start_work": ("read", lambda w: {"goal_id": str(w["goal_id"])}),
}


@pytest.fixture
def world():
    world = build()
    member = Membership.objects.unscoped().get(organization_id=world["org_id"], user_id=world["member_id"])
    world["actor"] = actor_for(user=member.user, organization=member.organization)
    return world


LEADERS_ONLY = {"delegate"}  # scopes whose actions a member's role lacks: tried with the team's lead
ADMINS_ONLY = {"transition"}  # tools whose action only owners and admins hold: tried with the owner


def _token(world, scopes, actor=None) -> str:
    actor = actor or world["actor"]
    return token_issue(actor=actor, user=actor.user, name="sweep", days=1, scopes=sorted(scopes))[1]


def _surface(token) -> set[str]:
    async def run():
        async with Client(CharterMCP(token).server) as client:
            tools = [t.name for t in (await client.list_tools()).tools]
            resources = [str(r.uri) for r in (await client.list_resources()).resources]
            templates = [t.uri_template for t in (await client.list_resource_templates()).resource_templates]
            prompts = [f"prompt:{p.name}" for p in (await client.list_prompts()).prompts]
        return {*tools, *resources, *templates, *prompts}

    return async_to_sync(run)()


def _attempt(token, name, arguments) -> dict | None:
    """The REST error body of the attempt (from an isError result or a protocol error), or None."""

    async def run():
        async with Client(CharterMCP(token).server) as client:
            try:
                if name.startswith("prompt:"):
                    await client.get_prompt(name.removeprefix("prompt:"), arguments)
                    return None
                if "://" in name:
                    await client.read_resource(name.format(**arguments))
                    return None
                result = await client.call_tool(name, arguments)
            except MCPError as error:
                assert error.code != PERMISSION_DENIED or error.data["code"] == "permission_denied"
                return error.data
            return result.structured_content if result.is_error else None

    return async_to_sync(run)()


def test_every_tool_resource_and_prompt_has_a_row(world):
    surface = _surface(_token(world, SCOPES))
    assert surface == set(REQUIRED), "Give each new MCP tool, resource or prompt a row in REQUIRED."
    assert set(CharterMCP("").counterparts) == surface


def test_the_scope_in_the_table_is_what_the_rest_counterpart_needs(client):
    """The REST operation each names declares an action that its scope (and only it, here) grants."""
    operations = {
        op["operationId"]: op.get("x-charter-action")
        for path in client.get("/api/v1/openapi.json").json()["paths"].values()
        for op in path.values()
    }
    for name, rest in CharterMCP("").counterparts.items():
        assert operations[rest.operation] == rest.action, name
        scope = REQUIRED[name][0]
        assert [s for s, actions in SCOPES.items() if rest.action in actions] == [scope], name


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_refused_without_the_scope_and_allowed_with_it(world, name):
    scope, arguments = REQUIRED[name]
    actor, role = world["actor"], "member"
    if scope in LEADERS_ONLY:
        lead = Membership.objects.unscoped().get(organization_id=world["org_id"], user_id=world["lead_id"])
        actor, role = actor_for(user=lead.user, organization=lead.organization), "leader"
    if name in ADMINS_ONLY:
        owner = Membership.objects.unscoped().get(organization_id=world["org_id"], user_id=world["owner_id"])
        actor, role = actor_for(user=owner.user, organization=owner.organization), "owner"
    without = _attempt(_token(world, set(SCOPES) - {scope}, actor), name, arguments(world))
    assert without is not None and without["code"] == "permission_denied", without
    # The refusal names what refused: the token's scopes, not the role, which allows it.
    assert without["detail"].startswith("This token's scopes ("), without
    assert scope not in without["detail"].split(")")[0] and f"your role ({role}) does" in without["detail"]
    with_it = _attempt(_token(world, {scope}, actor), name, arguments(world))
    assert with_it is None or with_it["code"] != "permission_denied", with_it
