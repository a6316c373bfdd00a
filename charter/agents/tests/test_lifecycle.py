"""An agent's life through REST, the command line and MCP (the real client SDK, in memory): created,
given a token, capped, acting, its token revoked (REST 401, an MCP authentication error, refused
mid-session on the next call), changed and deactivated. Bad input answers the same everywhere."""

import json
from io import StringIO

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.management import call_command
from django.core.management.base import CommandError
from mcp import Client
from mcp.shared.exceptions import MCPError

from charter.agents.mcp.auth import NOT_AUTHENTICATED, REFUSED
from charter.agents.mcp.server import build_server
from charter.core.models import AuditEvent
from charter.delegation import services as delegation_services
from charter.goals.tests.factories import make_goal, make_key_result
from charter.notifications.models import Notification
from charter.organizations.models import Organization, Role
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_person, make_team

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def world(owner, cycle):
    team = make_team(owner, "Platform")
    lead = make_person(owner, Role.LEADER, team=team, is_lead=True, full_name="Lena Lead")
    sponsor = make_person(owner, Role.LEADER, team=team, full_name="Sam Sponsor")
    goal = make_goal(owner, cycle, "Make deploys boring", team_id=team.pk)
    kr = make_key_result(owner, goal, "Deploys without incident")
    domain = delegation_services.domain_create(actor=owner, name="Tooling")
    delegation_services.delegation_set(
        actor=owner, team_id=team.pk, domain_id=domain.pk, level=7, reason="Ours"
    )
    Organization.objects.filter(pk=owner.organization.pk).update(agent_decision_cap=5)
    return {
        "owner": owner, "team": team, "lead": lead, "sponsor": sponsor, "goal": goal, "kr": kr,
        "domain": domain, "sponsor_token": token_create(actor=sponsor, name="rest")[1],
    }  # fmt: skip


class Rest:
    def __init__(self, client, raw):
        self.client, self.auth = client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def __call__(self, method, path, body=None):
        send = getattr(self.client, method)
        if body is None:
            return send(f"{API}{path}", **self.auth)
        return send(f"{API}{path}", json.dumps(body), content_type="application/json", **self.auth)


def mcp(token, steps):
    """`steps(client)` in one MCP session acting with `token` (the real SDK client, in memory)."""

    async def run():
        async with Client(build_server(token)) as client:
            return await steps(client)

    return async_to_sync(run)()


def test_the_lifecycle_through_rest_and_mcp(client, world):
    rest = Rest(client, world["sponsor_token"])
    sponsor, team = world["sponsor"], world["team"]

    # created: a member of its team, with its sponsor, following the organization's cap
    body = {"name": "Deploy bot", "sponsor_id": sponsor.user_id, "team_id": team.pk, "purpose": "Deploys."}
    created = rest("post", "/agents", body)
    assert created.status_code == 201, created.json()
    agent = created.json()
    assert (agent["team"], agent["sponsor"], agent["is_active"]) == ("Platform", "Sam Sponsor", True)
    assert (agent["decision_cap"], agent["effective_decision_cap"]) == (None, 5)
    assert rest("get", "/agents").json() == [agent]

    # capped: above the organization's cap is a field error; within, it bounds the agent
    above = rest("patch", f"/agents/{agent['id']}", {"decision_cap": 6})
    assert above.status_code == 422 and above.json()["code"] == "validation_error"
    assert "above the organization's (5)" in above.json()["errors"]["decision_cap"][0]
    out_of_range = rest("patch", f"/agents/{agent['id']}", {"decision_cap": 8})
    assert out_of_range.status_code == 422 and "decision_cap" in out_of_range.json()["errors"]
    capped = rest("patch", f"/agents/{agent['id']}", {"decision_cap": 3})
    assert (capped.json()["decision_cap"], capped.json()["effective_decision_cap"]) == (3, 3)

    # a token with scopes and an expiry, listed without its value
    issued = rest(
        "post", f"/agents/{agent['id']}/tokens", {"name": "CI", "scopes": ["read", "check_in", "propose"]}
    )
    assert issued.status_code == 201, issued.json()
    raw, token_id = issued.json()["token"], issued.json()["id"]
    assert issued.json()["scopes"] == ["read", "check_in", "propose"] and issued.json()["expires_at"]
    listed = rest("get", f"/agents/{agent['id']}/tokens").json()["items"]
    assert [(t["id"], t["revoked_at"]) for t in listed] == [(token_id, None)] and "token" not in listed[0]

    # acting over MCP: its brief shows its own cap; above the cap a decision is a proposal to the lead
    def act(client):
        async def steps(client):
            brief = await client.call_tool(
                "get_mission_brief", {"goal_id": world["goal"].pk, "format": "json"}
            )
            check_in = await client.call_tool(
                "record_check_in", {"key_result_id": world["kr"].pk, "value": 3, "confidence": 7}
            )
            decision = await client.call_tool(
                "record_decision",
                {"team_id": team.pk, "domain_id": world["domain"].pk, "title": "Canary", "decision": "Yes"},
            )
            board = await client.call_tool("get_team_board", {})
            # the sponsor revokes the token (over REST) while the session is open: the next call is refused
            revoked = await sync_to_async(rest)("delete", f"/agents/{agent['id']}/tokens/{token_id}")
            try:
                await client.call_tool("list_my_goals", {})
            except MCPError as error:
                refused = error
            return brief, check_in, decision, board, revoked, refused

        return steps(client)

    brief, check_in, decision, board, revoked, refused = mcp(raw, act)
    assert json.loads(brief.content[0].text)["agent_decision_cap"] == 3
    assert json.loads(check_in.content[0].text)["author_id"] == agent["id"]
    result = json.loads(decision.content[0].text)
    assert result["outcome"] == "proposed" and "Lena Lead" in result["message"]
    assert Notification.objects.unscoped().filter(recipient_id=world["lead"].user_id).exists()
    board = json.loads(board.content[0].text)
    assert board["team"]["name"] == "Platform" and [c["level"] for c in board["cells"]] == [7]
    assert [g["title"] for g in board["goals"]] == ["Make deploys boring"]
    assert revoked.status_code == 204
    assert (refused.code, refused.message) == (NOT_AUTHENTICATED, REFUSED)

    # revoked: REST answers 401, and a new MCP session is refused as well
    denied = Rest(client, raw)("get", "/agents")
    assert denied.status_code == 401 and denied.json()["code"] == "not_authenticated"
    assert denied["WWW-Authenticate"] == "Bearer"

    async def again(client):
        try:
            await client.call_tool("list_my_goals", {})
        except MCPError as error:
            return error

    assert mcp(raw, again).code == NOT_AUTHENTICATED

    # changed, then deactivated: every token revoked, the agent listed as inactive
    second = rest(
        "post", f"/agents/{agent['id']}/tokens", {"name": "Other", "scopes": ["read"], "days": None}
    )
    assert second.json()["expires_at"] is None
    changed = rest("patch", f"/agents/{agent['id']}", {"name": "Release bot", "decision_cap": None})
    assert (
        changed.json()["name"],
        changed.json()["decision_cap"],
        changed.json()["effective_decision_cap"],
    ) == (
        "Release bot",
        None,
        5,
    )
    gone = rest("post", f"/agents/{agent['id']}/deactivate")
    assert gone.status_code == 200 and gone.json()["is_active"] is False
    assert all(t["revoked_at"] for t in rest("get", f"/agents/{agent['id']}/tokens").json()["items"])
    assert Rest(client, second.json()["token"])("get", "/agents").status_code == 401
    actions = set(AuditEvent.objects.for_org(world["owner"].organization).values_list("action", flat=True))
    assert {"agent.create", "agent.update", "agent.deactivate", "token.create", "token.revoke"} <= actions


def test_who_may_manage_an_agent_over_rest(client, world, other_owner):
    sponsor, team = world["sponsor"], world["team"]
    member = make_person(world["owner"], Role.MEMBER, team=team)
    as_member = Rest(client, token_create(actor=member, name="m")[1])
    body = {"name": "Bot", "sponsor_id": sponsor.user_id, "team_id": team.pk}
    refused = as_member("post", "/agents", body)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    agent = Rest(client, world["sponsor_token"])("post", "/agents", body).json()
    # a member may not change it; the lead (a leader) may, but gives it tokens only as its sponsor
    assert as_member("patch", f"/agents/{agent['id']}", {"purpose": "x"}).status_code == 403
    as_lead = Rest(client, token_create(actor=world["lead"], name="l")[1])
    assert as_lead("patch", f"/agents/{agent['id']}", {"purpose": "x"}).status_code == 200
    no_token = as_lead("post", f"/agents/{agent['id']}/tokens", {"name": "x", "scopes": ["read"]})
    assert no_token.status_code == 403 and "Sam Sponsor (the sponsor)" in no_token.json()["detail"]
    # bad input says where; another organization sees nothing
    bad = Rest(client, world["sponsor_token"])(
        "post", "/agents", {"name": " ", "sponsor_id": 0, "team_id": 0}
    )
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"name", "sponsor_id", "team_id"}
    stranger = Rest(client, token_create(actor=other_owner, name="o")[1])
    for method, path, payload in [
        ("get", f"/agents/{agent['id']}", None),
        ("patch", f"/agents/{agent['id']}", {"name": "Mine"}),
        ("post", f"/agents/{agent['id']}/deactivate", None),
        ("get", f"/agents/{agent['id']}/tokens", None),
        ("post", f"/agents/{agent['id']}/tokens", {"name": "x", "scopes": ["read"]}),
    ]:
        assert stranger(method, path, payload).status_code == 404, path
    # an agent's own token (scoped) cannot manage agents, whatever its scopes
    every = {"name": "all", "scopes": ["read", "check_in", "propose", "decide", "comment"]}
    token = Rest(client, world["sponsor_token"])("post", f"/agents/{agent['id']}/tokens", every)
    as_agent = Rest(client, token.json()["token"])
    assert as_agent("patch", f"/agents/{agent['id']}", {"decision_cap": 0}).status_code == 403


def _cli(*args):
    out, err = StringIO(), StringIO()
    call_command("agent", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_lifecycle_through_the_command_line(world):
    sponsor, slug = world["sponsor"], world["owner"].organization.slug
    as_sponsor = ["--organization", slug, "--acting-as", sponsor.user.email]
    agent_id, said = _cli(
        "create",
        "Deploy bot",
        "--team",
        "platform",
        "--sponsor",
        sponsor.user.email,
        "--cap",
        "2",
        *as_sponsor,
    )
    assert "decides alone up to level 2" in said
    with pytest.raises(CommandError, match=r"cannot be above the organization's \(5\)"):
        _cli("update", agent_id, "--cap", "6", *as_sponsor)
    with pytest.raises(CommandError, match="No team called 'Nowhere'"):
        _cli("update", agent_id, "--team", "Nowhere", *as_sponsor)
    _cli("update", agent_id, "--cap", "org", "--purpose", "Ships releases.", *as_sponsor)
    rows = json.loads(_cli("list", "--json", *as_sponsor)[0])
    assert [(r["id"], r["decision_cap"], r["effective_decision_cap"], r["purpose"]) for r in rows] == [
        (int(agent_id), None, 5, "Ships releases.")
    ]
    raw, said = _cli("token", "create", agent_id, "--name", "CI", "--scope", "read", "--scope", "check_in",
                     "--days", "30", *as_sponsor)  # fmt: skip
    assert raw.startswith("chr_") and raw not in said and "shown only now" in said

    async def goals(client):
        return await client.call_tool("list_my_goals", {})

    assert not mcp(raw, goals).is_error
    token_id = _cli("token", "list", agent_id, *as_sponsor)[0].split("\t")[0]
    _cli("token", "revoke", agent_id, token_id, *as_sponsor)
    assert "\trevoked" in _cli("token", "list", agent_id, *as_sponsor)[0]

    async def refused(client):
        try:
            await client.call_tool("list_my_goals", {})
        except MCPError as error:
            return error

    assert mcp(raw, refused).code == NOT_AUTHENTICATED
    _cli("deactivate", agent_id, *as_sponsor)
    assert "deactivated" in _cli("list", *as_sponsor)[0]
    member = make_person(world["owner"], Role.MEMBER)
    with pytest.raises(CommandError, match="may not agent manage"):
        _cli("update", agent_id, "--name", "X", "--organization", slug, "--acting-as", member.user.email)
