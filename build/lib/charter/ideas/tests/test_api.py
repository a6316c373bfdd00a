"""Ideas API: list with filters, create, get, vote and unvote, move."""

import pytest

from charter.goals.tests.factories import make_goal
from charter.organizations.services import token_create

pytestmark = pytest.mark.django_db


def _headers(actor):
    return {"Authorization": f"Bearer {token_create(actor=actor, name='t')[1]}"}


def test_idea_roundtrip(client, owner, other_owner, cycle):
    goal = make_goal(owner, cycle)
    h = _headers(owner)
    body = {"title": "Checklist", "description": "*try*", "goal_ids": [goal.pk]}
    created = client.post("/api/v1/ideas", body, content_type="application/json", headers=h)
    assert created.status_code == 201, created.content
    idea = created.json()
    assert idea["goal_ids"] == [goal.pk] and idea["description_html"] == "<p><em>try</em></p>\n"
    url = f"/api/v1/ideas/{idea['id']}"
    assert client.post(f"{url}/vote", headers=h).json() == {"voted": True, "vote_count": 1}
    assert client.post(f"{url}/vote", headers=h).json() == {"voted": True, "vote_count": 1}
    assert client.delete(f"{url}/vote", headers=h).json() == {"voted": False, "vote_count": 0}
    moved = client.post(
        f"{url}/move",
        {"to_status": "adopted", "reason": "Yes", "adopted_goal_id": goal.pk},
        content_type="application/json",
        headers=h,
    ).json()
    assert moved["status"] == "adopted" and moved["transitions"][0]["reason"] == "Yes"
    listed = client.get(f"/api/v1/ideas?status=adopted&goal_id={goal.pk}", headers=h).json()
    assert [i["id"] for i in listed["items"]] == [idea["id"]]
    assert client.get(url, headers=_headers(other_owner)).status_code == 404


def test_move_without_reason_is_422(client, owner):
    h = _headers(owner)
    idea = client.post("/api/v1/ideas", {"title": "X"}, content_type="application/json", headers=h).json()
    response = client.post(
        f"/api/v1/ideas/{idea['id']}/move",
        {"to_status": "parked", "reason": ""},
        content_type="application/json",
        headers=h,
    )
    assert response.status_code == 422 and response.json()["errors"]["reason"]
