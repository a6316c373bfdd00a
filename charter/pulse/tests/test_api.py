"""The pulse API: create a survey, open a round, answer once, aggregates only (same 5-respondent rule)."""

import pytest

from charter.organizations.models import Role
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_person

from .factories import answer, close, make_survey, respondents

pytestmark = pytest.mark.django_db


def _headers(actor):
    _, raw = token_create(actor=actor, name="test")
    return {"Authorization": f"Bearer {raw}"}


def test_create_open_and_answer_once(client, owner):
    h = _headers(owner)
    created = client.post(
        "/api/v1/pulse/surveys", {"title": "Team pulse"}, content_type="application/json", headers=h
    )
    assert created.status_code == 201 and len(created.json()["questions"]) == 5
    survey_id = created.json()["id"]
    opened = client.post(f"/api/v1/pulse/surveys/{survey_id}/rounds", headers=h)
    assert opened.status_code == 201
    assert client.post(f"/api/v1/pulse/surveys/{survey_id}/rounds", headers=h).status_code == 409
    body = {
        "answers": [
            {"question_id": q["id"], "value": 9 if q["kind"] == "scale10" else 4}
            for q in created.json()["questions"]
        ]
    }
    url = f"/api/v1/pulse/rounds/{opened.json()['id']}/answers"
    first = client.post(url, body, content_type="application/json", headers=h)
    assert first.status_code == 201 and first.json() == {"round_id": opened.json()["id"], "answered": True}
    second = client.post(url, body, content_type="application/json", headers=h)
    assert second.status_code == 409 and "already answered" in second.json()["detail"]
    rounds = client.get(f"/api/v1/pulse/surveys/{survey_id}/rounds", headers=h).json()
    assert rounds[0]["respondents"] == 1


def test_results_per_team_follow_the_5_rule(client, owner):
    from charter.organizations.tests.factories import make_team

    team = make_team(owner, "Big")
    people = respondents(owner, 5, team=team)
    survey, rnd = make_survey(owner)
    for person in people:
        answer(person, rnd, enps=10)
    close(rnd)
    h = _headers(make_person(owner, Role.VIEWER))
    body = client.get(f"/api/v1/pulse/surveys/{survey.pk}/results?team_id={team.pk}", headers=h).json()
    assert body["team_id"] == team.pk and body["rounds"][0]["enough"]
    satisfaction = [q for q in body["rounds"][0]["questions"] if q["kind"] == "scale10"][0]
    assert satisfaction["enps"] == 100.0
    assert {"value": 10, "count": 5} in satisfaction["distribution"]
