"""A local HTTP server standing in for slack.com/api and Slack's response URLs, requests signed the way
Slack signs them (slack_sdk's own signer), and a structural check of every Block Kit payload."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from slack_sdk.models.blocks import Block
from slack_sdk.signature import SignatureVerifier

from charter.organizations.tests.factories import make_org
from charter.slack.services import installation_save

SECRET_ACME = "8f742231b10e8888abcd99yyyzzz85a5"
SECRET_GLOBEX = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"


@dataclass
class FakeSlack:
    """What Charter sent, and the Slack users (id -> email) the workspace has."""

    base: str = ""
    users: dict = field(default_factory=dict)
    calls: list = field(default_factory=list)

    def sent(self, method: str) -> list[dict]:
        return [c["data"] for c in self.calls if c["path"] == f"/api/{method}"]

    def responses(self) -> list[dict]:
        return [c["data"] for c in self.calls if c["path"].startswith("/hooks/")]

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base}/hooks/{name}"


def _server(fake: FakeSlack):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, data: dict, status: int = 200):
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self):
            parts = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if "json" in (self.headers.get("Content-Type") or ""):
                data = json.loads(raw or b"{}")
            else:
                data = {k: v[0] for k, v in parse_qs(raw.decode() or parts.query).items()}
            data.update({k: v[0] for k, v in parse_qs(parts.query).items()})
            fake.calls.append({"path": parts.path, "data": data, "auth": self.headers.get("Authorization")})
            method = parts.path.removeprefix("/api/")
            if parts.path.startswith("/hooks/"):
                return self._answer({"ok": True})
            if method == "users.info":
                email = fake.users.get(data.get("user"))
                if email is None:
                    return self._answer({"ok": False, "error": "user_not_found"})
                return self._answer({"ok": True, "user": {"id": data["user"], "profile": {"email": email}}})
            if method == "users.lookupByEmail":
                found = [u for u, e in fake.users.items() if e == data.get("email")]
                if not found:
                    return self._answer({"ok": False, "error": "users_not_found"})
                return self._answer({"ok": True, "user": {"id": found[0]}})
            if method == "conversations.open":
                return self._answer({"ok": True, "channel": {"id": f"D{data.get('users')}"}})
            if method in ("chat.postMessage", "views.open"):
                return self._answer({"ok": True})
            return self._answer({"ok": False, "error": "unknown_method"})

        do_GET = do_POST = _handle

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture
def slack(settings):
    fake = FakeSlack()
    server = _server(fake)
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CHARTER_SLACK_API_URL = f"{fake.base}/api/"
    settings.CHARTER_SLACK_RESPONSE_URL_PREFIX = f"{fake.base}/hooks/"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def acme():
    return make_org("Acme")


@pytest.fixture
def acme_slack(acme):
    return installation_save(
        actor=acme, team_id="TACME", bot_token="xoxb-acme-token", signing_secret=SECRET_ACME
    )


def signed_post(path: str, body: str, *, secret: str, timestamp: int | None = None, signature: str = ""):
    """POST `body` as Slack does: its timestamp and the v0 signature slack_sdk computes with `secret`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = signature or SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body)
    return Client().post(
        path,
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers={"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature},
    )


def command(text: str, *, team: str = "TACME", user: str = "U1", response_url: str = "", trigger="tr1"):
    fields = {
        "team_id": team,
        "user_id": user,
        "command": "/charter",
        "text": text,
        "trigger_id": trigger,
        "response_url": response_url,
    }
    return urlencode(fields)


def interaction(payload: dict, *, team: str = "TACME", user: str = "U1") -> str:
    payload = {"team": {"id": team}, "user": {"id": user}, **payload}
    return urlencode({"payload": json.dumps(payload)})


# ---- Block Kit, checked -------------------------------------------------------------------------------

TEXT_LIMITS = {"section": 3000, "header": 150, "context": 2000}
MESSAGE_BLOCKS, MODAL_BLOCKS = 50, 100


def check_blocks(blocks: list[dict], *, limit: int = MESSAGE_BLOCKS) -> list[dict]:
    """Slack's limits on blocks, checked: types, ids, text lengths; and each block read back by slack_sdk's
    own classes (which refuse what Slack refuses) to the same JSON."""
    assert 0 < len(blocks) <= limit
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids)), "block ids repeat"
    for b in blocks:
        assert b["type"] in {"section", "context", "actions", "input", "divider", "header"}, b["type"]
        assert len(b.get("block_id", "")) <= 255
        if b["type"] == "section":
            assert b["text"]["type"] in ("mrkdwn", "plain_text") and 0 < len(b["text"]["text"]) <= 3000
        if b["type"] == "context":
            assert all(len(e["text"]) <= 2000 for e in b["elements"]) and 0 < len(b["elements"]) <= 10
        if b["type"] == "actions":
            assert 0 < len(b["elements"]) <= 25
            for e in b["elements"]:
                assert e["type"] == "button" and 0 < len(e["text"]["text"]) <= 75
                assert len(e["action_id"]) <= 255 and len(e.get("value", "")) <= 2000
        if b["type"] == "input":
            assert 0 < len(b["label"]["text"]) <= 2000 and len(b["element"]["action_id"]) <= 255
        assert Block.parse(b).to_dict() == b
    return blocks


def check_view(view: dict) -> dict:
    assert view["type"] == "modal" and 0 < len(view["title"]["text"]) <= 24
    assert len(view.get("private_metadata", "")) <= 3000 and len(view.get("callback_id", "")) <= 255
    check_blocks(view["blocks"], limit=MODAL_BLOCKS)
    return view


def actions_of(blocks: list[dict]) -> dict[str, str]:
    """{action_id: value} of the buttons in a message."""
    return {
        e["action_id"]: e.get("value", "") for b in blocks if b["type"] == "actions" for e in b["elements"]
    }
