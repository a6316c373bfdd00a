"""The lint API: findings of a cycle, the rules, the settings; isolation and permissions."""

import pytest
from django.test import Client

from charter.goals.tests.factories import make_cycle, make_goal
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


def test_findings_of_the_current_cycle_and_of_a_chosen_one(owner, cycle, api):
    team = make_team(owner, "Onboarding", parent=make_team(owner, "Product"))
    orphan = make_goal(owner, cycle, "Onboard in a day", team_id=team.pk)
    body = api(owner).get("/api/v1/lint").json()
    assert body["cycle_id"] == cycle.pk and body["counts"]["error"] == 1
    found = {(f["code"], f["severity"], f["goal_id"]) for f in body["findings"]}
    assert found == {
        ("CH001", "error", orphan.pk),
        ("CH005", "warning", orphan.pk),
        ("CH007", "info", orphan.pk),
    }
    assert all(f["hint"] and f["message"] for f in body["findings"])
    assert api(owner).get("/api/v1/lint", {"cycle_id": cycle.pk}).json()["cycle_id"] == cycle.pk


def test_another_organizations_cycle_is_404_like_a_missing_one(owner, other_owner, api):
    theirs = make_cycle(other_owner, "Theirs")
    client = api(owner)
    foreign = client.get("/api/v1/lint", {"cycle_id": theirs.pk})
    missing = client.get("/api/v1/lint", {"cycle_id": 999999})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_rules_and_settings(owner, cycle, api):
    client = api(owner)
    rules = client.get("/api/v1/lint/rules").json()
    assert len(rules) >= 12 and all(r["enabled"] for r in rules)
    body = {"disabled": ["CH001"], "thresholds": {"CH004": {"max_key_results": 7}}}
    response = client.put("/api/v1/lint/settings", body, content_type="application/json")
    assert response.status_code == 200
    by_code = {r["code"]: r for r in response.json()}
    assert not by_code["CH001"]["enabled"] and by_code["CH004"]["thresholds"]["max_key_results"] == 7
    make_goal(owner, cycle, "Nothing measured")
    assert "CH001" not in {f["code"] for f in client.get("/api/v1/lint").json()["findings"]}


def test_bad_settings_say_where(owner, api):
    body = {"disabled": ["CH999"], "thresholds": {"CH004": {"nope": 1}}}
    response = api(owner).put("/api/v1/lint/settings", body, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"disabled", "CH004.nope"}


def test_only_admins_change_settings(owner, api):
    leader = make_person(owner, Role.LEADER)
    response = api(leader).put("/api/v1/lint/settings", {"disabled": []}, content_type="application/json")
    assert response.status_code == 403
