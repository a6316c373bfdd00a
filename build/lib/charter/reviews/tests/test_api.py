"""The reviews API: retrospectives, grades, adaptations, revisions; the lock after close; refusals."""

import json

import pytest
from django.test import Client

from charter.goals.services import cycle_update
from charter.organizations.models import Role
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_person, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def _api(actor):
        _, raw = token_create(actor=actor, name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return _api


def _send(client, method, path, data=None):
    return client.generic(
        method, "/api/v1" + path, data=json.dumps(data or {}), content_type="application/json"
    )


def test_review_grade_adapt_and_revisions(api, rv):
    client = api(rv.member)
    review = _send(
        client, "POST", f"/cycles/{rv.cycle.pk}/reviews", {"team_id": rv.team.pk, "what_worked": "Pairing"}
    ).json()
    assert (
        _send(client, "PATCH", f"/reviews/{review['id']}", {"what_did_not": "Scope"}).json()["what_did_not"]
        == "Scope"
    )
    assert [r["team_id"] for r in client.get(f"/api/v1/cycles/{rv.cycle.pk}/reviews").json()] == [rv.team.pk]
    grade = _send(client, "POST", f"/goals/{rv.goal.pk}/grade", {"grade": 0.7}).json()
    assert (grade["grade"], grade["suggested_grade"]) == (0.7, 0.8)
    body = {"adaptation": "revise", "reason": "Too ambitious", "key_results": [{"id": rv.kr.pk, "target": 3}]}
    assert _send(client, "POST", f"/goals/{rv.goal.pk}/adapt", body).json()["adaptation"] == "revise"
    revs = client.get(f"/api/v1/goals/{rv.goal.pk}/revisions").json()
    assert revs[0]["kind"] == "key_result" and revs[0]["changes"]["target"] == [2, 3]
    assert revs[0]["reason"] == "Too ambitious"
    assert client.get(f"/api/v1/key-results/{rv.kr.pk}/revisions").json()[0]["id"] == revs[0]["id"]
    carry = {"adaptation": "carry_over", "to_cycle_id": rv.next_cycle.pk}
    assert _send(client, "POST", f"/goals/{rv.other.pk}/adapt", carry).json()["carried_to_id"]
    grades = client.get(f"/api/v1/cycles/{rv.cycle.pk}/grades").json()
    assert len(grades) == 2


def test_every_write_is_refused_after_close(owner, api, rv):
    cycle_update(
        actor=owner,
        cycle_id=rv.cycle.pk,
        name=rv.cycle.name,
        starts_on=rv.cycle.starts_on,
        ends_on=rv.cycle.ends_on,
        state="closed",
    )
    client = api(owner)
    for method, path, body in [
        ("POST", f"/goals/{rv.goal.pk}/grade", {"grade": 0.7}),
        ("POST", f"/goals/{rv.goal.pk}/adapt", {"adaptation": "drop", "reason": "x"}),
        ("POST", f"/cycles/{rv.cycle.pk}/reviews", {"team_id": rv.team.pk, "what_worked": "x"}),
    ]:
        response = _send(client, method, path, body)
        assert response.status_code == 409 and "closed" in response.json()["detail"]


def test_another_teams_member_and_a_viewer_get_403(owner, api, rv):
    outsider = make_person(owner, Role.MEMBER, team=make_team(owner, "Sales"))
    viewer = make_person(owner, Role.VIEWER, team=rv.team)
    for actor in (outsider, viewer):
        assert _send(api(actor), "POST", f"/goals/{rv.goal.pk}/grade", {"grade": 0.7}).status_code == 403


def test_another_organizations_ids_are_404(api, rv, other_owner):
    client = api(other_owner)
    assert client.get(f"/api/v1/goals/{rv.goal.pk}/revisions").status_code == 404
    assert client.get(f"/api/v1/cycles/{rv.cycle.pk}/reviews").status_code == 404
    assert _send(client, "POST", f"/goals/{rv.goal.pk}/grade", {"grade": 0.7}).status_code == 404
