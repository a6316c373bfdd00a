"""The OpenAPI document: served, complete, every operation with its permission action and a readable id."""

import re

import pytest

from charter.core.api import ACTION_KEY
from charter.goals.tests.factories import make_goal, make_key_result
from charter.organizations.permissions import MATRIX
from charter.organizations.tests.factories import make_team

from .conftest import ApiClient, token_for
from .openapi_check import problems, resolve, response_schema

EXPECTED = {
    "get /organizations",
    "get /teams",
    "get /teams/{team_id}",
    "get /people",
    "get /mission",
    "put /mission",
    "get /cycles",
    "post /cycles",
    "get /cycles/{cycle_id}",
    "get /cycles/{cycle_id}/alignment-tree",
    "get /goals",
    "post /goals",
    "get /goals/{goal_id}",
    "patch /goals/{goal_id}",
    "delete /goals/{goal_id}",
    "get /goals/{goal_id}/key-results",
    "post /goals/{goal_id}/key-results",
    "get /key-results/{key_result_id}",
    "patch /key-results/{key_result_id}",
    "delete /key-results/{key_result_id}",
    "get /key-results/{key_result_id}/check-ins",
    "post /key-results/{key_result_id}/check-ins",
    "get /check-ins",
    "get /tokens",
    "post /tokens",
    "delete /tokens/{token_id}",
    "get /invitations",
    "post /invitations",
    "post /invitations/{invitation_id}/resend",
    "post /invitations/{invitation_id}/revoke",
}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method} {path.removeprefix('/api/v1')}", operation


def test_document_is_served_with_its_docs_page(client, document):
    assert document["openapi"].startswith("3.")
    assert (document["info"]["title"], document["info"]["version"]) == ("Charter", "1")
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content and b"cdn" not in docs.content.lower()


def test_document_lists_every_endpoint(document):
    assert {name for name, _ in _operations(document)} >= EXPECTED


# Reads that only some roles may make, each with its reason.
RESTRICTED_READS = {
    "get /webhooks": "webhook URLs and delivery logs are admin configuration",
    "get /webhooks/{webhook_id}": "webhook URLs and delivery logs are admin configuration",
    "get /webhooks/{webhook_id}/deliveries": "webhook URLs and delivery logs are admin configuration",
    "get /invitations": "invited addresses and their state are for those who may invite (owners, admins)",
    "get /lessons/progress": "everyone's lessons are for those who manage people (owners, admins)",
    "get /insights/transition": "each team's transition across cycles is for owners and admins",
    "get /calendar-feed": "one's own feed, under its own action (every role holds it): a read token of an "
    "agent or a script does not learn whether a person's private feed is on",
}


def test_every_operation_declares_an_action_of_the_matrix(document):
    for name, operation in _operations(document):
        assert operation.get(ACTION_KEY) in MATRIX, name
        if name.startswith("get ") and name not in RESTRICTED_READS:
            assert operation[ACTION_KEY] == "organization.view", name


def test_operation_ids_are_unique_and_readable(document):
    ids = [operation["operationId"] for _, operation in _operations(document)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)+", i) for i in ids), ids


def test_every_operation_is_secured_and_documents_errors(document):
    assert set(document["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    for name, operation in _operations(document):
        assert operation["security"] == [{"TokenAuth": []}, {"SessionAuth": []}], name
        assert {"401", "403", "404", "422"} <= set(operation["responses"]), name


def test_every_reference_resolves(document):
    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                resolve(document, node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)


def test_answers_match_the_document(owner, cycle, document):
    team = make_team(owner, "Sales")
    root = make_goal(owner, cycle, "Root", team_id=team.pk)
    kr = make_key_result(owner, make_goal(owner, cycle, "Child", parent_id=root.pk), "Deals")
    api = ApiClient(token_for(owner))
    api.post(f"/key-results/{kr.pk}/check-ins", {"value": 3, "confidence": 8})
    calls = [
        ("get", "/goals", {}, 200),
        ("get", "/goals/{goal_id}", {"goal_id": root.pk}, 200),
        ("get", "/cycles/{cycle_id}/alignment-tree", {"cycle_id": cycle.pk}, 200),
        ("get", "/teams/{team_id}", {"team_id": team.pk}, 200),
        ("get", "/people", {}, 200),
        ("get", "/mission", {}, 200),
        ("get", "/check-ins", {}, 200),
        ("get", "/tokens", {}, 200),
        ("get", "/goals/{goal_id}", {"goal_id": 999999}, 404),
    ]
    for method, template, params, status in calls:
        response = getattr(api, method)(template.format(**params))
        assert response.status_code == status, template
        schema = response_schema(document, "/api/v1" + template, method, status)
        assert problems(document, schema, response.json()) == [], template
    refused = api.post(f"/goals/{root.pk}/key-results", {"title": "No target"})
    assert (
        problems(
            document,
            response_schema(document, "/api/v1/goals/{goal_id}/key-results", "post", 422),
            refused.json(),
        )
        == []
    )


def test_the_answer_check_catches_a_wrong_answer(document):
    schema = response_schema(document, "/api/v1/goals/{goal_id}", "get", 404)
    assert problems(document, schema, {"code": "not_found", "detail": 404}) == ["$.detail: 404 is not string"]
