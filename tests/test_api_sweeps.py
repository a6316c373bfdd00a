"""Sweeps over every operation of the OpenAPI document: each names an action of the permission
matrix, each role's token gets what the matrix says, another organization's ids answer 404 like
missing ones, and no list shows another organization's rows."""

import json
import re

import pytest

from charter.api.main import api
from charter.organizations.models import Role
from charter.organizations.permissions import MATRIX
from tests.world import build_world, names_an_object

MISSING = 987654321
SCHEMA = api.get_openapi_schema()
OPERATIONS = sorted(
    ((path, method.upper(), op) for path, ops in SCHEMA["paths"].items() for method, op in ops.items()),
    key=lambda o: o[2]["operationId"],
)


def _valid_body(operation_id: str, ids: dict) -> dict | None:
    """A body each write accepts, so that only authority decides the answer."""
    return {
        "token_create": {"name": "sweep"},
        "mission_update": {"statement": "Serve", "vision": "", "values": [], "reason": "sweep"},
        "cycle_create": {"name": "Sweep cycle", "starts_on": "2030-01-01", "ends_on": "2030-03-31"},
        "goal_create": {"cycle_id": ids["cycle_id"], "title": "Sweep goal", "team_id": ids["team_id"]},
        "goal_update": {"title": "Swept goal"},
        "key_result_create": {"title": "Sweep KR", "kind": "increase", "start": 0, "target": 1},
        "key_result_update": {"title": "Swept KR"},
        "check_in_create": {"value": 5, "confidence": 7},
        "notification_preference_set": [{"event": "mention", "in_app": True, "email": False}],
        "webhook_create": {"name": "Sweep hook", "url": "https://hooks.example.com/x", "events": ["mention"]},
        "webhook_update": {"name": "Swept hook"},
        "back_brief_submit": {"intent": "Why", "plan": "How", "concerns": "None", "needs": "Nothing"},
        "back_brief_request_clarification": {"message": "What does success look like?"},
        "comment_create": {"target_type": "goal", "target_id": ids["goal_id"], "body": "Sweep"},
        "comment_update": {"body": "Swept"},
        "decision_domain_create": {"name": "Sweep domain"},
        "delegation_set": {"level": 5, "reason": "sweep"},
        "delegation_advice_dismiss": {"reason": "sweep"},
        "delegation_advice_settings_update": {"thresholds": {"min_history": 1}},
        "decision_create": {
            "team_id": ids["team_id"],
            "domain_id": ids["domain_id"],
            "title": "Sweep decision",
            "decision": "Do it",
        },
        "decision_respond": {"action": "decide", "note": "sweep"},
        "poker_open": {"team_id": ids["team_id"], "domain_ids": [ids["domain_id"]]},
        "poker_pick": {"level": 4},
        "poker_set_level": {"level": 4, "reason": "sweep"},
        "idea_create": {"title": "Sweep idea"},
        "idea_move": {"to_status": "exploring", "reason": "sweep"},
        "idea_update": {"title": "Swept idea"},
        "pulse_survey_create": {"title": "Sweep pulse"},
        "pulse_round_answer": {"answers": [{"question_id": ids["question_id"], "value": 4}]},
        "cycle_review_write": {"team_id": ids["team_id"], "what_worked": "Sweep"},
        "cycle_review_update": {"what_worked": "Swept"},
        "goal_grade": {"grade": 0.5},
        "goal_adapt": {"adaptation": "drop", "reason": "sweep"},
        "lint_settings_update": {"disabled": ["CH007"], "thresholds": {"CH004": {"max_key_results": 6}}},
        "metric_create": {"name": "Sweep metric"},
        "metric_update": {"name": "Swept metric"},
        "metric_value_create": {"value": 1},
        "source_create": {"name": "Sweep source", "kind": "inbound", "metric_id": ids["metric_id"]},
        "invitation_create": {"emails": ["sweep@example.org"], "role": "member"},
        "agent_create": {"name": "Sweep bot", "sponsor_id": ids["user_id"], "team_id": ids["team_id"]},
        "agent_update": {"purpose": "Swept"},
        "agent_token_create": {"name": "Sweep token", "scopes": ["read"]},
    }.get(operation_id)


# Roles of an operation's matrix row that an object rule refuses (403) in the sweeps' world, by design:
# operation -> (roles, the words of the refusal). The world's agent is sponsored by its member.
OBJECT_RULE_REFUSALS = {
    "agent_token_create": ({Role.LEADER, Role.VIEWER}, "(the sponsor) or an admin"),
    "agent_token_revoke": ({Role.LEADER, Role.VIEWER}, "(the sponsor) or an admin"),
}


def _call(client, method, path, ids, token, body=None):
    url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
    headers = {"Authorization": f"Bearer {token}"}
    if method == "GET":
        return client.get(url, headers=headers)
    return client.generic(
        method, url, data=json.dumps(body or {}), content_type="application/json", headers=headers
    )


def test_the_document_has_operations():
    assert len(OPERATIONS) >= 20


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o[2]["operationId"])
def test_every_operation_has_a_row_in_the_permission_matrix(operation):
    action = operation[2].get("x-charter-action")
    assert action in MATRIX, f"{operation[2]['operationId']}: {action!r} is not in the permission matrix"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "operation",
    [o for o in OPERATIONS if names_an_object(re.findall(r"\{(\w+)\}", o[0]))],
    ids=lambda o: o[2]["operationId"],
)
def test_another_organizations_object_is_404_like_a_missing_one(client, operation):
    path, method, op = operation
    mine, theirs = build_world("Acme"), build_world("Globex")
    token = mine.tokens[Role.OWNER]
    body = _valid_body(op["operationId"], mine.ids)
    foreign = _call(client, method, path, {**mine.ids, **theirs.ids}, token, body)
    missing = _call(client, method, path, dict.fromkeys(mine.ids, MISSING), token, body)
    assert foreign.status_code == 404, f"{op['operationId']}: {foreign.status_code}"
    assert missing.status_code == 404
    assert foreign.json() == missing.json()


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role.values))
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o[2]["operationId"])
def test_each_role_gets_what_the_matrix_says(client, operation, role):
    path, method, op = operation
    world = build_world("Acme")
    response = _call(
        client, method, path, world.ids, world.tokens[role], _valid_body(op["operationId"], world.ids)
    )
    refused_roles, words = OBJECT_RULE_REFUSALS.get(op["operationId"], (set(), ""))
    if role in refused_roles:
        assert response.status_code == 403 and words in response.json()["detail"], op["operationId"]
    elif role in MATRIX[op["x-charter-action"]]:
        assert response.status_code not in (401, 403), (
            f"{op['operationId']}: {role} got {response.status_code}"
        )
        assert response.status_code < 500
    else:
        assert response.status_code == 403, f"{op['operationId']}: {role} got {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "operation",
    [o for o in OPERATIONS if o[1] == "GET" and "{" not in o[0]],
    ids=lambda o: o[2]["operationId"],
)
def test_no_list_shows_another_organizations_rows(client, operation):
    path, method, op = operation
    mine = build_world("Acme")
    build_world("Globex")
    response = _call(client, method, path, mine.ids, mine.tokens[Role.OWNER])
    assert response.status_code == 200
    text = response.content.decode()
    assert "Globex" not in text, f"{op['operationId']} shows another organization's rows"
