"""The goals API: cycles, goals, key results, check-ins and the alignment tree."""

import pytest
from django.utils import timezone

from charter.goals import rules
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team

from .conftest import ApiClient, token_for


@pytest.fixture
def client(owner):
    return ApiClient(token_for(owner))


def test_cycle_list_and_create(client, cycle):
    created = client.post("/cycles", {"name": "2027 Q1", "starts_on": "2027-01-01", "ends_on": "2027-03-31"})
    assert created.status_code == 201
    assert created.json()["state"] == "planning"
    first = rules.quarter_of(timezone.localdate())[0]  # the organization's first cycle, made with it
    assert {c["name"] for c in client.get("/cycles").json()["items"]} == {first, "2026 Q4", "2027 Q1"}
    assert client.get(f"/cycles/{cycle.pk}").json()["name"] == "2026 Q4"


def test_cycle_create_reports_service_errors_by_field(client, cycle):
    response = client.post("/cycles", {"name": "2026 Q4", "starts_on": "2027-03-01", "ends_on": "2027-01-01"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name", "ends_on"}


def test_goal_create_and_get(client, owner, cycle):
    team = make_team(owner, "Sales")
    parent = make_goal(owner, cycle, "Win the market")
    other = make_goal(owner, cycle, "Build the brand")
    payload = {
        "cycle_id": cycle.pk,
        "title": "Double pipeline",
        "team_id": team.pk,
        "parent_id": parent.pk,
        "supports_ids": [other.pk],
        "purpose": "Growth pays for the mission.",
        "end_state": "Pipeline of 2M",
        "constraints": "No discounts",
        "freedoms": "Channels",
    }
    created = client.post("/goals", payload)
    assert created.status_code == 201, created.content
    goal_id = created.json()["id"]
    body = client.get(f"/goals/{goal_id}").json()
    assert body["parent_id"] == parent.pk and body["supports_ids"] == [other.pk]
    assert (body["purpose"], body["constraints"], body["freedoms"]) == (
        "Growth pays for the mission.",
        "No discounts",
        "Channels",
    )
    assert body["has_intent"] and body["owner_id"] == owner.user_id and body["key_results"] == []
    assert body["status"] == "none" and body["progress"] == 0  # no check-in yet: no status yet
    assert client.get(f"/goals/{parent.pk}").json()["children_ids"] == [goal_id]


def test_goal_create_validates_the_payload(client):
    response = client.post("/goals", {"title": 5, "weight": "heavy"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"cycle_id", "title", "weight"}


def test_goal_create_refuses_another_organizations_cycle(client, other_owner):
    foreign = make_cycle(other_owner, "Theirs")
    response = client.post("/goals", {"cycle_id": foreign.pk, "title": "Mine"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"cycle_id": ["No such cycle."]}


def test_goal_patch_changes_only_given_fields(client, owner, cycle):
    goal = make_goal(owner, cycle, "Old title", freedoms="Tools")
    response = client.patch(f"/goals/{goal.pk}", {"title": "New title", "version": goal.version})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["freedoms"], body["version"]) == ("New title", "Tools", goal.version + 1)


def test_goal_patch_with_a_stale_version_is_409(client, owner, cycle):
    goal = make_goal(owner, cycle)
    assert client.patch(f"/goals/{goal.pk}", {"title": "First", "version": 1}).status_code == 200
    stale = client.patch(f"/goals/{goal.pk}", {"title": "Second", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert client.get(f"/goals/{goal.pk}").json()["title"] == "First"


def test_goal_patch_refuses_null_for_a_required_field(client, owner, cycle):
    goal = make_goal(owner, cycle)
    response = client.patch(f"/goals/{goal.pk}", {"title": None})
    assert response.status_code == 422
    assert "title" in response.json()["errors"]


def test_goal_patch_can_clear_the_team(client, owner, cycle):
    goal = make_goal(owner, cycle, team_id=make_team(owner).pk)
    assert client.patch(f"/goals/{goal.pk}", {"team_id": None}).json()["team_id"] is None


def test_goal_delete(client, owner, cycle):
    goal = make_goal(owner, cycle)
    assert client.delete(f"/goals/{goal.pk}").status_code == 204
    assert client.get(f"/goals/{goal.pk}").status_code == 404


def test_member_cannot_delete_a_goal(owner, cycle):
    goal = make_goal(owner, cycle)
    member = ApiClient(token_for(make_person(owner, Role.MEMBER)))
    assert member.delete(f"/goals/{goal.pk}").status_code == 403


def test_member_cannot_edit_another_teams_goal(owner, cycle):
    goal = make_goal(owner, cycle, team_id=make_team(owner, "Sales").pk)
    member = ApiClient(token_for(make_person(owner, Role.MEMBER, team=make_team(owner, "Ops"))))
    response = member.patch(f"/goals/{goal.pk}", {"title": "Mine now"})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_member_may_not_patch_their_goal_into_a_team_they_may_not_create_goals_for(owner, cycle):
    """Finding 15 through REST: 403 with the team field named, and the goal stays where it was."""
    mine, theirs = make_team(owner, "Mine"), make_team(owner, "Theirs")
    member = make_person(owner, Role.MEMBER, team=mine)
    api = ApiClient(token_for(member))
    goal = api.post("/goals", {"cycle_id": cycle.pk, "title": "Ours", "team_id": mine.pk}).json()
    response = api.patch(f"/goals/{goal['id']}", {"team_id": theirs.pk})
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied" and body["errors"] == {"team_id": [body["detail"]]}
    assert api.get(f"/goals/{goal['id']}").json()["team_id"] == mine.pk
    assert api.post("/goals", {"cycle_id": cycle.pk, "title": "x", "team_id": theirs.pk}).json() == body


def test_other_organizations_objects_are_404_like_missing_ones(client, other_owner):
    cycle = make_cycle(other_owner)
    goal = make_goal(other_owner, cycle)
    kr = make_key_result(other_owner, goal)
    team = make_team(other_owner)
    for path, missing in [
        (f"/goals/{goal.pk}", "/goals/999999"),
        (f"/goals/{goal.pk}/key-results", "/goals/999999/key-results"),
        (f"/key-results/{kr.pk}", "/key-results/999999"),
        (f"/key-results/{kr.pk}/check-ins", "/key-results/999999/check-ins"),
        (f"/teams/{team.pk}", "/teams/999999"),
        (f"/cycles/{cycle.pk}/alignment-tree", "/cycles/999999/alignment-tree"),
    ]:
        foreign, absent = client.get(path), client.get(missing)
        assert foreign.status_code == absent.status_code == 404, path
        assert foreign.json() == absent.json(), path
    assert client.patch(f"/goals/{goal.pk}", {"title": "Hijack"}).status_code == 404
    assert client.delete(f"/key-results/{kr.pk}").status_code == 404
    assert client.post(f"/key-results/{kr.pk}/check-ins", {"value": 1, "confidence": 5}).status_code == 404


def test_goal_list_filters(client, owner, cycle):
    sales, ops = make_team(owner, "Sales"), make_team(owner, "Ops")
    later = make_cycle(owner, "2027 Q1")
    parent = make_goal(owner, cycle, "Parent")
    child = make_goal(owner, cycle, "Child", team_id=sales.pk, parent_id=parent.pk)
    ops_goal = make_goal(owner, cycle, "Ops goal", team_id=ops.pk)
    member = make_person(owner, Role.MEMBER, team=ops)
    owned = make_goal(owner, later, "Owned", owner_id=member.user_id)

    def ids(**params):
        return {g["id"] for g in client.get("/goals", **params).json()["items"]}

    assert ids() == {parent.pk, child.pk, ops_goal.pk, owned.pk}
    assert ids(cycle_id=later.pk) == {owned.pk}
    assert ids(team_id=ops.pk) == {ops_goal.pk}
    assert ids(parent_id=parent.pk) == {child.pk}
    assert ids(owner_id=member.user_id) == {owned.pk}
    statuses = {g["status"] for g in client.get("/goals").json()["items"]}
    status = statuses.pop()
    assert all(g["status"] == status for g in client.get("/goals", status=status).json()["items"])


def test_goal_list_rejects_an_unknown_status(client):
    response = client.get("/goals", status="fine")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["status"]


def test_goal_list_paginates(client, owner, cycle):
    for n in range(5):
        make_goal(owner, cycle, f"Goal {n}")
    page = client.get("/goals", limit=2, offset=2).json()
    assert (page["count"], page["limit"], page["offset"]) == (5, 2, 2)
    assert [g["title"] for g in page["items"]] == ["Goal 2", "Goal 3"]
    assert client.get("/goals", limit=0).status_code == 422
    assert client.get("/goals", limit=10_000).status_code == 422


def test_key_result_crud(client, owner, cycle):
    goal = make_goal(owner, cycle)
    created = client.post(
        f"/goals/{goal.pk}/key-results", {"title": "NPS", "start": 20, "target": 40, "unit": "pt"}
    )
    assert created.status_code == 201, created.content
    kr_id = created.json()["id"]
    assert client.get(f"/goals/{goal.pk}/key-results").json()["count"] == 1
    assert client.get(f"/key-results/{kr_id}").json()["target"] == 40
    patched = client.patch(f"/key-results/{kr_id}", {"target": 50, "version": 1})
    assert patched.status_code == 200 and patched.json()["target"] == 50
    assert client.patch(f"/key-results/{kr_id}", {"target": 60, "version": 1}).status_code == 409
    assert client.delete(f"/key-results/{kr_id}").status_code == 204
    assert client.get(f"/key-results/{kr_id}").status_code == 404


def test_key_result_without_a_target_names_target(client, owner, cycle):
    goal = make_goal(owner, cycle)
    response = client.post(
        f"/goals/{goal.pk}/key-results", {"title": "Churn", "kind": "decrease", "start": 5}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and list(body["errors"]) == ["target"]
    assert client.get(f"/goals/{goal.pk}/key-results").json()["count"] == 0


def test_key_result_whose_target_equals_its_start_is_refused(client, owner, cycle):
    goal = make_goal(owner, cycle)
    for kind in ("increase", "decrease"):
        response = client.post(
            f"/goals/{goal.pk}/key-results", {"title": "Flat", "kind": kind, "start": 5, "target": 5}
        )
        assert response.status_code == 422
        assert "equals the start" in response.json()["errors"]["target"][0]
    kr = client.post(f"/goals/{goal.pk}/key-results", {"title": "NPS", "start": 5, "target": 9}).json()
    patched = client.patch(f"/key-results/{kr['id']}", {"target": 5, "version": 1})
    assert patched.status_code == 422 and list(patched.json()["errors"]) == ["target"]
    assert client.get(f"/goals/{goal.pk}/key-results").json()["count"] == 1


def test_goals_with_no_check_in_yet_filter_as_none(client, owner, cycle):
    fresh = make_goal(owner, cycle, "Fresh")
    assert [g["id"] for g in client.get("/goals", status="none").json()["items"]] == [fresh.pk]
    assert client.get("/goals", status="on_track").json()["items"] == []


def test_key_result_with_a_bad_kind_and_number_names_both(client, owner, cycle):
    goal = make_goal(owner, cycle)
    response = client.post(f"/goals/{goal.pk}/key-results", {"title": "X", "kind": "more", "target": "lots"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"kind", "target"}


def test_check_ins(client, owner, cycle):
    goal = make_goal(owner, cycle)
    kr = make_key_result(owner, goal, start=0, target=10)
    created = client.post(f"/key-results/{kr.pk}/check-ins", {"value": 5, "confidence": 7, "note": "Halfway"})
    assert created.status_code == 201, created.content
    assert (created.json()["value"], created.json()["author_id"]) == (5, owner.user_id)
    assert client.get(f"/key-results/{kr.pk}").json()["current"] == 5
    assert client.get(f"/goals/{goal.pk}").json()["progress"] == pytest.approx(0.5)
    assert client.get(f"/key-results/{kr.pk}/check-ins").json()["count"] == 1
    assert client.get("/check-ins", goal_id=goal.pk).json()["count"] == 1
    assert client.get("/check-ins", key_result_id=kr.pk + 1000).json()["count"] == 0


def test_check_in_with_confidence_out_of_range_names_confidence(client, owner, cycle):
    kr = make_key_result(owner, make_goal(owner, cycle))
    response = client.post(f"/key-results/{kr.pk}/check-ins", {"value": 5, "confidence": 11})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["confidence"]


def test_alignment_tree_nests_children(client, owner, cycle):
    sales = make_team(owner, "Sales")
    root = make_goal(owner, cycle, "Root")
    child = make_goal(owner, cycle, "Child", parent_id=root.pk, team_id=sales.pk)
    make_key_result(owner, child, "Deals")
    tree = client.get(f"/cycles/{cycle.pk}/alignment-tree").json()
    assert tree["cycle"]["id"] == cycle.pk
    [node] = tree["goals"]
    assert node["goal"]["id"] == root.pk
    [sub] = node["children"]
    assert (sub["goal"]["id"], [k["title"] for k in sub["goal"]["key_results"]]) == (child.pk, ["Deals"])
    by_team = client.get(f"/cycles/{cycle.pk}/alignment-tree", team_id=sales.pk).json()
    assert [n["goal"]["id"] for n in by_team["goals"]] == [child.pk]


def _add_goals(owner, cycle, teams, n, start=0):
    """`n` goals spread over teams, in chains of five, each with a key result."""
    parent = None
    for i in range(start, start + n):
        goal = make_goal(owner, cycle, f"G{i:03}", team_id=teams[i % 3].pk, parent_id=parent and parent.pk)
        make_key_result(owner, goal)
        parent = goal if i % 5 == 0 else parent


@pytest.mark.parametrize("path", ["/goals?limit=500&cycle_id={cycle}", "/cycles/{cycle}/alignment-tree"])
def test_list_and_tree_queries_do_not_grow_with_rows(
    path, client, owner, cycle, django_assert_num_queries, django_assert_max_num_queries
):
    teams = [make_team(owner, f"Team {i}") for i in range(3)]
    url = "/api/v1" + path.format(cycle=cycle.pk)
    _add_goals(owner, cycle, teams, 10)
    client.get("/organizations")  # the token's first use is recorded once; keep it out of the count
    with django_assert_max_num_queries(100) as baseline:
        assert client.client.get(url).status_code == 200
    _add_goals(owner, cycle, teams, 40, start=10)
    with django_assert_num_queries(len(baseline.captured_queries)):
        response = client.client.get(url)
    body = response.json()
    assert body["count"] == 50 if "items" in body else _count(body["goals"]) == 50


def _count(nodes) -> int:
    return sum(1 + _count(node["children"]) for node in nodes)
