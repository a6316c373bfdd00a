"""`charter mcp` as a real process, through the MCP client SDK: over stdio and over streamable HTTP.

The server runs on a temporary SQLite file (an in-memory test database cannot be shared with a
subprocess): migrated, then filled by `mcp_world.build()` through `charter shell`.
"""

import asyncio
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.exceptions import MCPError

from charter.agents.mcp.auth import NOT_AUTHENTICATED, REFUSED

CHARTER = str(Path(sys.executable).with_name("charter"))
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Environment, database file and world (ids and tokens) of a migrated scratch installation."""
    data = tmp_path_factory.mktemp("mcp")
    # A scratch SQLite database of its own, whichever database the suite itself runs on.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"CHARTER_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])  # this checkout's code
    subprocess.run([CHARTER, "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=120)
    setup = "from charter.agents.tests.mcp_world import main; main()"
    out = subprocess.run([CHARTER, "shell", "-c", setup], env=env, check=True, capture_output=True, text=True)
    world = json.loads(out.stdout.strip().splitlines()[-1])
    return {"env": env, "db": data / "charter.sqlite3", "world": world}


def _leader_notified(db: Path, lead_id: int) -> bool:
    with sqlite3.connect(db) as conn:
        sql = "SELECT COUNT(*) FROM notifications_notification WHERE recipient_id = ? AND event = ?"
        return conn.execute(sql, (lead_id, "decision.needs_you")).fetchone()[0] > 0


async def _scenario(client, world) -> dict:
    """The agent's loop: list the tools, read the brief, check in, decide within and above its authority."""
    tools = {t.name for t in (await client.list_tools()).tools}
    brief = await client.call_tool("get_mission_brief", {"goal_id": world["goal_id"]})
    check_in = await client.call_tool(
        "record_check_in", {"key_result_id": world["key_result_id"], "value": 30, "confidence": 8}
    )
    outcomes = []
    for domain in ("free_domain_id", "held_domain_id"):
        result = await client.call_tool(
            "record_decision",
            {
                "team_id": world["team_id"],
                "domain_id": world[domain],
                "title": "Use a checklist",
                "decision": "Yes",
            },
        )
        outcomes.append(json.loads(result.content[0].text))
    return {"tools": tools, "brief": brief.content[0].text, "check_in": json.loads(check_in.content[0].text),
            "outcomes": outcomes}  # fmt: skip


def _assert_scenario(found, served):
    world = served["world"]
    assert {"get_mission_brief", "record_check_in", "record_decision", "search"} <= found["tools"]
    assert "Make deploys boring" in found["brief"]
    assert found["check_in"]["value"] == 30
    decided, proposed = found["outcomes"]
    assert decided["outcome"] == "decided"
    assert proposed["outcome"] == "proposed" and "Lena Lead" in proposed["message"]
    assert _leader_notified(served["db"], world["lead_id"])


def test_stdio(served):
    world = served["world"]

    def params(token):
        return StdioServerParameters(command=CHARTER, args=["mcp", "--token", token], env=served["env"])

    async def run():
        async with Client(params(world["token"])) as client:
            found = await _scenario(client, world)
        async with Client(params(world["other_token"])) as client:
            foreign = await client.call_tool("get_goal", {"goal_id": world["goal_id"]})
        return found, foreign

    found, foreign = asyncio.run(run())
    _assert_scenario(found, served)
    assert foreign.is_error and foreign.structured_content["detail"] == "No such goal."
    for name in ("revoked_token", "expired_token"):
        refused = subprocess.run(
            [CHARTER, "mcp", "--token", world[name]],
            env=served["env"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert refused.returncode == 1 and REFUSED in refused.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def http_url(served):
    port = _free_port()
    args = [CHARTER, "mcp", "--http", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(args, env=served["env"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/mcp"
    process.terminate()
    process.wait(timeout=10)


def _bearer(url, token):
    return Client(
        streamable_http_client(url, http_client=create_mcp_http_client({"Authorization": f"Bearer {token}"}))
    )


def test_streamable_http(served, http_url):
    world = served["world"]

    async def run():
        async with _bearer(http_url, world["token"]) as client:
            found = await _scenario(client, world)
        async with _bearer(http_url, world["other_token"]) as client:
            foreign = await client.call_tool("get_goal", {"goal_id": world["goal_id"]})
        return found, foreign

    found, foreign = asyncio.run(run())
    _assert_scenario(found, served)
    assert foreign.is_error and foreign.structured_content["detail"] == "No such goal."
    for headers in (
        {},
        *({"Authorization": f"Bearer {world[k]}"} for k in ("revoked_token", "expired_token")),
    ):
        response = httpx2.post(http_url, headers=headers, json={})
        assert response.status_code == 401 and REFUSED in response.text
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="charter"')
        assert ("invalid_token" in response.headers["WWW-Authenticate"]) is bool(headers)


def test_streamable_http_bad_token_is_an_authentication_error_in_the_sdk(served, http_url):
    """Not -32603 "Server returned an error": the SDK raises the server's own error, code and REST body."""

    async def run():
        try:
            async with _bearer(http_url, served["world"]["revoked_token"]) as client:
                await client.list_tools()
        except MCPError as error:
            return error
        except BaseExceptionGroup as group:  # the SDK's task group may wrap the handshake's failure
            return next(e for e in _leaves(group) if isinstance(e, MCPError))

    error = asyncio.run(run())
    assert (error.code, error.message) == (NOT_AUTHENTICATED, REFUSED)
    assert error.data == {"code": "not_authenticated", "detail": REFUSED, "errors": {}}


def _leaves(group):
    for error in group.exceptions:
        yield from _leaves(error) if isinstance(error, BaseExceptionGroup) else [error]


def test_an_agent_made_by_the_command_line_is_refused_over_http_once_its_token_is_revoked(served, http_url):
    """`charter agent` creates the agent and its token; over streamable HTTP it acts, and the call after
    `charter agent token revoke` (same session) is an authentication error the SDK raises as such."""
    world = served["world"]

    def charter(*args) -> str:
        run = subprocess.run(
            [CHARTER, "agent", *args, "--organization", world["org_slug"]],
            env=served["env"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return run.stdout.strip()

    agent_id = charter(
        "create", "HTTP bot", "--team", "Platform", "--sponsor", world["lead_email"], "--cap", "0"
    )
    raw = charter("token", "create", agent_id, "--name", "http", "--scope", "read", "--scope", "propose")

    async def run():
        async with _bearer(http_url, raw) as client:
            goals = await client.call_tool("list_my_goals", {})
            board = await client.call_tool("get_team_board", {})
            token_id = (await asyncio.to_thread(charter, "token", "list", agent_id)).split("\t")[0]
            await asyncio.to_thread(charter, "token", "revoke", agent_id, token_id)
            try:
                await client.call_tool("list_my_goals", {})
            except MCPError as error:
                return goals, board, error
        raise AssertionError("the revoked token was not refused")

    goals, board, error = asyncio.run(run())
    assert not goals.is_error and json.loads(board.content[0].text)["team"]["name"] == "Platform"
    assert (error.code, error.message) == (NOT_AUTHENTICATED, REFUSED)
