"""Values no column can hold are a 422 that names the field, never a 500 (the fuzzer found them)."""

import json

import pytest

from charter.api.inputs import INT_MAX, INT_MIN, problems
from charter.api.main import api as charter_api
from charter.goals.tests.factories import make_goal, make_key_result
from charter.metrics.services import metric_create

from .conftest import ApiClient, token_for

HUGE = 2**64


@pytest.fixture
def client(owner):
    return ApiClient(token_for(owner))


@pytest.fixture
def goal(owner, cycle):
    return make_goal(owner, cycle, "Grow")


def test_a_huge_id_in_the_path_is_a_422_naming_it(client):
    response = client.get(f"/goals/{HUGE}")
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == ["goal_id"]


def test_a_huge_offset_is_a_422_naming_it(client):
    response = client.get("/check-ins", offset=HUGE)
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == ["offset"]


def test_a_huge_id_inside_a_body_list_is_named_by_its_position(client, cycle, goal):
    response = client.post("/goals", {"cycle_id": cycle.pk, "title": "Ship", "supports_ids": [goal.pk, HUGE]})
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == ["supports_ids.1"]


def test_nan_and_infinity_are_refused(client, owner, goal):
    kr = make_key_result(owner, goal)
    for literal in ("NaN", "Infinity", "-Infinity"):
        response = client.client.post(
            f"/api/v1/key-results/{kr.pk}/check-ins",
            f'{{"value": {literal}, "confidence": 5}}',
            content_type="application/json",
        )
        assert response.status_code == 422, (literal, response.content)
        assert list(response.json()["errors"]) == ["value"]
    kr.refresh_from_db()
    assert kr.current == 0


@pytest.mark.parametrize("text", ["nul\x00byte", "lone \ud800 surrogate"])
def test_unstorable_text_is_refused(client, cycle, text):
    body = json.dumps({"cycle_id": cycle.pk, "title": text})  # ensure_ascii escapes both
    response = client.client.post("/api/v1/goals", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == ["title"]


@pytest.mark.parametrize("moment", ["2026-11-02T09:00:00+21:49", "0001-01-01T00:30:00+01:00"])
def test_moments_outside_what_the_databases_hold_are_refused(client, owner, moment):
    metric = metric_create(actor=owner, name="Revenue")
    response = client.post(f"/metrics/{metric.pk}/values", {"value": 1, "recorded_at": moment})
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == ["recorded_at"]


def test_ordinary_values_pass():
    assert problems({"goal_id": INT_MAX, "low": INT_MIN, "flag": True, "x": 1.5, "t": "é ✓"}) == []


def test_the_document_states_the_integer_bounds():
    document = charter_api.get_openapi_schema()
    (goal_id,) = document["paths"]["/api/v1/goals/{goal_id}"]["get"]["parameters"]
    assert (goal_id["schema"]["minimum"], goal_id["schema"]["maximum"]) == (INT_MIN, INT_MAX)
