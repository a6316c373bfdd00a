"""Security sweeps over every API write operation of the OpenAPI document:

- CSRF: a write with the session cookie but no CSRF token is refused (403) and writes nothing;
- unknown fields: a body that also names the organization, a role or an author is refused (422 naming
  the field) and writes nothing;
- audit: each write, done once validly, leaves at least one AuditEvent.
"""

import json
import re

import pytest
from django.test import Client

from charter.core.models import AuditEvent
from charter.organizations.models import Role
from charter.organizations.tests.factories import PASSWORD
from tests.test_api_sweeps import OPERATIONS, SCHEMA, _call, _valid_body
from tests.world import build_world

WRITES = [o for o in OPERATIONS if o[1] in ("POST", "PUT", "PATCH", "DELETE")]
WITH_BODY = [o for o in WRITES if "requestBody" in o[2]]
SMUGGLED = ["organization", "organization_id", "author_id", "role"]

# Writes that leave no audit event on purpose, each with its reason.
NOT_AUDITED = {
    "notification_mark_read": "marks the caller's own inbox row read; no one else's data changes",
    "notification_mark_all_read": "marks the caller's own inbox rows read; no one else's data changes",
    "pulse_round_answer": "pulse answers are anonymous by design: an audit row would time-stamp who answered",
}


def _audit_count() -> int:
    return AuditEvent.objects.unscoped().count()


def test_there_are_writes_to_sweep():
    assert len(WRITES) >= 30 and len(WITH_BODY) >= 25


# ---- CSRF -------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("operation", WRITES, ids=lambda o: o[2]["operationId"])
def test_a_session_write_without_the_csrf_token_is_403(operation):
    path, method, op = operation
    world = build_world("Acme")
    client = Client(enforce_csrf_checks=True)
    assert client.login(email=world.owner.user.email, password=PASSWORD)
    url = re.sub(r"\{(\w+)\}", lambda m: str(world.ids[m.group(1)]), path)
    body = _valid_body(op["operationId"], world.ids) or {}
    before = _audit_count()
    response = client.generic(method, url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 403, f"{op['operationId']}: {response.status_code} without a CSRF token"
    assert _audit_count() == before


@pytest.mark.django_db
def test_the_same_session_write_with_the_csrf_token_passes():
    """The control of the sweep above: the session itself is accepted once the token is sent."""
    world = build_world("Acme")
    client = Client(enforce_csrf_checks=True)
    assert client.login(email=world.owner.user.email, password=PASSWORD)
    client.get("/api/v1/docs")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/ideas",
        data=json.dumps({"title": "With the token"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content


# ---- unknown fields ---------------------------------------------------------------------------------


def _declares(op, field) -> bool:
    """Whether the operation's body takes `field` as an input of its own (an invitation's role: the
    service decides who may give which)."""
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    ref = schema.get("$ref") or schema.get("items", {}).get("$ref", "")
    properties = SCHEMA["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
    return field in properties


def _smuggle(body, field, value):
    if isinstance(body, list):
        return [{**item, field: value} for item in body]
    return {**(body or {}), field: value}


@pytest.mark.django_db
@pytest.mark.parametrize("field", SMUGGLED)
@pytest.mark.parametrize("operation", WITH_BODY, ids=lambda o: o[2]["operationId"])
def test_a_write_that_names_the_organization_a_role_or_an_author_is_refused(client, operation, field):
    path, method, op = operation
    if _declares(op, field):
        return
    mine, theirs = build_world("Acme"), build_world("Globex")
    value = {"organization": theirs.owner.organization_id, "organization_id": theirs.owner.organization_id}
    value |= {"author_id": theirs.owner.user_id, "role": Role.OWNER}
    body = _smuggle(_valid_body(op["operationId"], mine.ids), field, value[field])
    before = _audit_count()
    response = _call(client, method, path, mine.ids, mine.tokens[Role.MEMBER], body)
    assert response.status_code == 422, f"{op['operationId']} accepted {field!r}: {response.status_code}"
    named = response.json()["errors"]
    assert any(key.split(".")[-1] == field for key in named), f"{op['operationId']}: {named}"
    assert _audit_count() == before


# ---- audit ------------------------------------------------------------------------------------------


def _prepare(op_id: str, world, client, monkeypatch) -> str:
    """Bring the world into the state where this write is valid once; the token to write with."""
    owner = world.tokens[Role.OWNER]
    if op_id == "back_brief_submit":  # the world's back-brief is submitted; ask again, its team writes
        from charter.organizations.models import User
        from charter.organizations.services import token_create
        from charter.organizations.tests.factories import refresh_actor

        path = "/api/v1/back-briefs/{back_brief_id}/clarification"
        body = {"message": "Say more"}
        assert _call(client, "POST", path, world.ids, owner, body).status_code == 200
        writer = refresh_actor(User.objects.get(full_name="Acme writer"), world.owner.organization)
        return token_create(actor=writer, name="writer")[1]
    elif op_id == "poker_set_level":  # the level is set from turned cards
        assert (
            _call(client, "POST", "/api/v1/delegation-poker/{poker_id}/reveal", world.ids, owner).status_code
            == 200
        )
    elif op_id == "idea_unvote":
        assert _call(client, "POST", "/api/v1/ideas/{idea_id}/vote", world.ids, owner).status_code == 200
    elif op_id == "pulse_round_open":
        from charter.pulse.services import survey_create

        questions = [{"text": "I know why my work matters", "kind": "scale5"}]
        survey = survey_create(actor=world.owner, title="Not yet open", questions=questions)
        world.ids["survey_id"] = survey.pk
    elif op_id == "source_run":
        from charter.metrics import pulling

        body = {"name": "Pulled", "kind": "json", "url": "https://data.example.com/x.json", "json_path": "v"}
        body["metric_id"] = world.ids["metric_id"]
        created = _call(client, "POST", "/api/v1/sources", world.ids, owner, body)
        assert created.status_code == 201, created.content
        world.ids["source_id"] = created.json()["id"]
        monkeypatch.setattr(pulling, "fetch", lambda url, allow_private: b'{"v": 42}')
    return owner


@pytest.mark.django_db
@pytest.mark.parametrize("operation", WRITES, ids=lambda o: o[2]["operationId"])
def test_every_write_leaves_an_audit_event(client, operation, monkeypatch):
    path, method, op = operation
    if op["operationId"] in NOT_AUDITED:
        return
    world = build_world("Acme")
    token = _prepare(op["operationId"], world, client, monkeypatch)
    before = _audit_count()
    response = _call(client, method, path, world.ids, token, _valid_body(op["operationId"], world.ids))
    assert response.status_code < 300, f"{op['operationId']}: {response.status_code} {response.content[:200]}"
    assert _audit_count() > before, f"{op['operationId']} wrote without an audit event"


def test_the_unaudited_writes_exist():
    """A stale exemption would hide a write that should be audited."""
    assert set(NOT_AUDITED) <= {o[2]["operationId"] for o in WRITES}


# ---- a read-only token ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_read_only_token_is_refused_every_write(client):
    """Issue 15, finding 17: a `read` token changed notification preferences and marked all read."""
    from charter.organizations.services import token_create

    world = build_world("Acme")
    _, raw = token_create(actor=world.owner, name="reader", scopes=["read"])
    before = _audit_count()
    passed = []
    for path, method, op in WRITES:
        body = _valid_body(op["operationId"], world.ids)
        response = _call(client, method, path, world.ids, raw, body)
        if response.status_code != 403:
            passed.append((op["operationId"], response.status_code))
    assert passed == []
    assert _audit_count() == before
