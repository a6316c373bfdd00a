"""The back-brief API: list with filters, get with history, submit, confirm, clarification."""

import pytest
from django.test import Client

from charter.organizations.services import token_create

from .factories import TEXTS, submit


@pytest.fixture
def api():
    def _api(actor):
        _, raw = token_create(actor=actor, name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return _api


def _post(client, path, data=None):
    return client.post("/api/v1" + path, data or {}, content_type="application/json")


def test_list_filters_and_get_with_history(given, api):
    client = api(given.owner)
    rows = client.get("/api/v1/back-briefs", {"state": "pending", "team_id": given.team.pk}).json()
    assert rows["count"] == 1 and rows["items"][0]["goal_id"] == given.goal.pk
    assert client.get("/api/v1/back-briefs", {"state": "confirmed"}).json()["count"] == 0
    assert client.get("/api/v1/back-briefs", {"goal_id": given.goal.pk}).json()["count"] == 1
    detail = client.get(f"/api/v1/back-briefs/{given.back_brief.pk}").json()
    assert detail["state"] == "requested" and detail["history"][0]["to_state"] == "requested"


def test_submit_then_confirm(given, api):
    bb = given.back_brief.pk
    response = _post(api(given.member), f"/back-briefs/{bb}/submit", TEXTS)
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    response = _post(api(given.owner), f"/back-briefs/{bb}/confirm")
    assert response.status_code == 200 and response.json()["confirmed_at"]


def test_submit_with_missing_fields_is_422_with_field_names(given, api):
    response = _post(api(given.member), f"/back-briefs/{given.back_brief.pk}/submit", {"intent": "x"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"plan", "concerns", "needs"}


def test_wrong_actor_is_403_and_a_requested_one_cannot_be_confirmed(given, api):
    bb = given.back_brief.pk
    assert _post(api(given.owner), f"/back-briefs/{bb}/confirm").status_code == 409
    submit(given.member, given.back_brief)
    response = _post(api(given.lead), f"/back-briefs/{bb}/confirm")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_clarification(given, api):
    submit(given.member, given.back_brief)
    path = f"/back-briefs/{given.back_brief.pk}/clarification"
    assert _post(api(given.owner), path, {"message": ""}).status_code == 422
    response = _post(api(given.owner), path, {"message": "Which customers?"})
    assert response.json()["state"] == "clarification_requested"
    assert response.json()["clarification"] == "Which customers?"


def test_another_organization_sees_nothing(given, other_owner, api):
    client = api(other_owner)
    assert client.get(f"/api/v1/back-briefs/{given.back_brief.pk}").status_code == 404
    assert client.get("/api/v1/back-briefs").json()["count"] == 0
