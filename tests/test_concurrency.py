"""Optimistic versions and concurrent writers, on SQLite and PostgreSQL alike.

The first tests pin down the contract of a stale edit (API: 409 with the current state, ETag and
If-Match; web: the form keeps what was typed and shows what is saved now). The threaded tests start
20 writers at once, each on its own database connection, and check that no acknowledged write is
lost, that exactly one of several edits from the same version wins, and that the stored roll-ups
equal a fresh computation afterwards.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.urls import reverse

from charter.api.tests.conftest import ApiClient, token_for
from charter.goals import rules
from charter.goals.models import CheckIn, Goal, KeyResult
from charter.goals.services import check_in_record, goal_update, key_result_update
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.tests.factories import make_org

THREADS = 20

# ---- the contract of a stale edit -----------------------------------------------------------------


@pytest.fixture
def api(owner):
    return ApiClient(token_for(owner))


def test_a_stale_goal_patch_answers_409_with_the_goal_as_it_is_now(api, owner, cycle):
    goal = make_goal(owner, cycle, "Grow")
    make_key_result(owner, goal, "Users")
    assert api.patch(f"/goals/{goal.pk}", {"title": "Grow fast", "version": 1}).status_code == 200
    stale = api.patch(f"/goals/{goal.pk}", {"title": "Grow slowly", "purpose": "Mine", "version": 1})
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "conflict" and "version 2" in body["detail"]
    # the same shape as the GET, so a client can merge and retry with current.version
    assert body["current"] == api.get(f"/goals/{goal.pk}").json()
    assert (body["current"]["title"], body["current"]["version"]) == ("Grow fast", 2)
    retry = api.patch(f"/goals/{goal.pk}", {"purpose": "Mine", "version": body["current"]["version"]})
    assert retry.status_code == 200 and retry.json()["version"] == 3


def test_a_stale_key_result_patch_answers_409_with_the_key_result_as_it_is_now(api, owner, cycle):
    kr = make_key_result(owner, make_goal(owner, cycle), "Users", target=100)
    assert api.patch(f"/key-results/{kr.pk}", {"target": 150, "version": 1}).status_code == 200
    stale = api.patch(f"/key-results/{kr.pk}", {"target": 90, "version": 1})
    assert stale.status_code == 409
    current = stale.json()["current"]
    assert current == api.get(f"/key-results/{kr.pk}").json()
    assert (current["target"], current["version"]) == (150, 2)


def test_get_gives_an_etag_and_patch_honours_if_match(api, owner, cycle):
    goal = make_goal(owner, cycle, "Grow")
    read = api.client.get(f"/api/v1/goals/{goal.pk}")
    assert read["ETag"] == '"1"'
    patch = {"data": {"title": "Grow more"}, "content_type": "application/json"}
    first = api.client.patch(f"/api/v1/goals/{goal.pk}", **patch, headers={"If-Match": read["ETag"]})
    assert first.status_code == 200 and first["ETag"] == '"2"'
    again = api.client.patch(f"/api/v1/goals/{goal.pk}", **patch, headers={"If-Match": read["ETag"]})
    assert again.status_code == 409 and again.json()["current"]["version"] == 2
    garbled = api.client.patch(f"/api/v1/goals/{goal.pk}", **patch, headers={"If-Match": "W/abc"})
    assert garbled.status_code == 422 and "If-Match" in garbled.json()["errors"]
    both = {"data": {"title": "x", "version": 2}, "content_type": "application/json"}
    disagree = api.client.patch(f"/api/v1/goals/{goal.pk}", **both, headers={"If-Match": '"1"'})
    assert disagree.status_code == 422 and "disagree" in disagree.json()["detail"]
    kr = make_key_result(owner, goal)
    assert api.client.get(f"/api/v1/key-results/{kr.pk}")["ETag"] == '"1"'


def test_the_openapi_document_describes_the_409_body_and_if_match(api):
    document = api.get("/openapi.json").json()
    patch = document["paths"]["/api/v1/goals/{goal_id}"]["patch"]
    conflict = patch["responses"]["409"]["content"]["application/json"]["schema"]
    assert conflict == {"$ref": "#/components/schemas/GoalConflictOut"}
    assert "current" in document["components"]["schemas"]["GoalConflictOut"]["required"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    kr_patch = document["paths"]["/api/v1/key-results/{key_result_id}"]["patch"]
    assert kr_patch["responses"]["409"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "KeyResultConflictOut"
    )


def _goal_post(goal, **changes) -> dict:
    data = {
        "title": goal.title,
        "cycle_id": goal.cycle_id,
        "team_id": "",
        "owner_id": goal.owner_id,
        "parent_id": "",
        "purpose": goal.purpose,
        "end_state": goal.end_state,
        "constraints": goal.constraints,
        "freedoms": goal.freedoms,
        "description": goal.description,
        "weight": goal.weight,
        "version": goal.version,
    }
    return {**data, **changes}


def test_a_stale_goal_form_keeps_what_was_typed_and_shows_what_is_saved(owner, login, cycle):
    goal = make_goal(owner, cycle, "Grow", freedoms="Tools")
    client = login(owner)
    typed = _goal_post(goal, title="Grow by referrals", purpose="Word of mouth is cheapest.")
    goal_update(actor=owner, goal_id=goal.pk, version=1, title="Grow abroad", freedoms="Markets")
    response = client.post(reverse("goal_edit", args=[goal.pk]), typed)
    assert response.status_code == 409
    page = response.content.decode()
    assert "was changed by someone else" in page
    # what the person typed is still in the form ...
    assert 'value="Grow by referrals"' in page and "Word of mouth is cheapest." in page
    # ... the saved values that differ are shown beside their fields, and the form now carries version 2
    assert "Saved meanwhile:</strong> Grow abroad" in page and "Saved meanwhile:</strong> Markets" in page
    assert 'name="version" value="2"' in page
    assert Goal.objects.for_org(owner.organization).get(pk=goal.pk).title == "Grow abroad"
    # saving again, having seen the other change, keeps the form
    again = client.post(reverse("goal_edit", args=[goal.pk]), {**typed, "version": 2})
    assert again.status_code == 302
    saved = Goal.objects.for_org(owner.organization).get(pk=goal.pk)
    assert (saved.title, saved.freedoms, saved.version) == ("Grow by referrals", "Tools", 3)


def test_a_stale_key_result_form_keeps_what_was_typed(owner, login, cycle):
    kr = make_key_result(owner, make_goal(owner, cycle), "Users", target=100)
    client = login(owner)
    key_result_update(actor=owner, key_result_id=kr.pk, version=1, target=300)
    typed = {"title": "Active users", "kind": "increase", "start": "0", "target": "200", "weight": "1"}
    response = client.post(reverse("key_result_edit", args=[kr.pk]), {**typed, "version": 1})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="Active users"' in page and 'name="target" value="200"' in page
    assert "Saved meanwhile:</strong> 300.0" in page and 'name="version" value="2"' in page
    assert KeyResult.objects.for_org(owner.organization).get(pk=kr.pk).target == 300


# ---- 20 writers at once -----------------------------------------------------------------------------


def _all_at_once(jobs):
    """Run each job in its own thread with its own connection, released together; results in order."""
    start = threading.Barrier(len(jobs))

    def run(job):
        try:
            start.wait()
            return job()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def _assert_rollups_fresh(org, goal_ids):
    """Every stored value equals a computation from the rows below it."""
    for kr in KeyResult.objects.for_org(org).filter(goal_id__in=goal_ids):
        latest = kr.check_ins.order_by("-checked_at", "-id").first()
        if latest is not None:
            assert (kr.current, kr.confidence) == (latest.value, latest.confidence)
        assert kr.progress == pytest.approx(kr.progress_of(kr.current))
    for goal in Goal.objects.for_org(org).filter(pk__in=goal_ids):
        parts = [(k.progress, k.weight) for k in KeyResult.objects.for_org(org).filter(goal=goal)]
        parts += [(g.progress, g.weight) for g in Goal.objects.for_org(org).filter(parent=goal)]
        assert goal.progress == pytest.approx(rules.weighted_progress(parts)), goal.title


@pytest.fixture
def tree(transactional_db):
    """An organization with a goal contributing to a parent, and one key result on each goal."""
    owner = make_org("Acme")
    cycle = make_cycle(owner, "2026 Q4")
    parent = make_goal(owner, cycle, "Win the market")
    goal = make_goal(owner, cycle, "Grow", parent_id=parent.pk)
    kr = make_key_result(owner, goal, "Users", start=0, target=2 * THREADS)
    make_key_result(owner, parent, "Brand", start=0, target=10)
    return owner, parent, goal, kr


def test_twenty_check_ins_at_once_are_all_kept(tree):
    owner, parent, goal, kr = tree
    token = token_for(owner)

    def check_in(n):
        def job():
            response = ApiClient(token).post(f"/key-results/{kr.pk}/check-ins", {"value": n, "confidence": 7})
            return response.status_code, response.json()

        return job

    results = _all_at_once([check_in(n) for n in range(1, THREADS + 1)])
    assert [status for status, _ in results] == [201] * THREADS, results
    acknowledged = {body["id"] for _, body in results}
    stored = set(
        CheckIn.objects.for_org(owner.organization).filter(key_result=kr).values_list("id", flat=True)
    )
    assert stored == acknowledged and len(stored) == THREADS
    _assert_rollups_fresh(owner.organization, [goal.pk, parent.pk])
    assert Goal.objects.for_org(owner.organization).get(pk=parent.pk).progress > 0


def test_twenty_writers_on_one_goal_one_same_version_edit_wins(tree):
    """Ten edits from the same version race ten check-ins that roll up into the same goal row."""
    owner, parent, goal, kr = tree
    token = token_for(owner)
    version = goal.version

    def edit(n):
        def job():
            response = ApiClient(token).patch(f"/goals/{goal.pk}", {"title": f"Edit {n}", "version": version})
            return "edit", response.status_code, response.json()

        return job

    def check_in(n):
        def job():
            response = ApiClient(token).post(f"/key-results/{kr.pk}/check-ins", {"value": n, "confidence": 5})
            return "check-in", response.status_code, response.json()

        return job

    half = THREADS // 2
    jobs = [job for n in range(half) for job in (edit(n), check_in(n + 1))]
    results = _all_at_once(jobs)
    edits = [(status, body) for kind, status, body in results if kind == "edit"]
    check_ins = [(status, body) for kind, status, body in results if kind == "check-in"]
    assert sorted(status for status, _ in edits) == [200] + [409] * (half - 1), edits
    (winner,) = [body for status, body in edits if status == 200]
    saved = Goal.objects.for_org(owner.organization).get(pk=goal.pk)
    assert (saved.title, saved.version) == (winner["title"], version + 1)
    for status, body in edits:
        if status == 409:  # each loser sees the winner's edit
            assert (body["current"]["title"], body["current"]["version"]) == (winner["title"], version + 1)
    assert [status for status, _ in check_ins] == [201] * half, check_ins
    stored = set(CheckIn.objects.for_org(owner.organization).values_list("id", flat=True))
    assert stored == {body["id"] for _, body in check_ins}
    _assert_rollups_fresh(owner.organization, [goal.pk, parent.pk])


def test_twenty_service_check_ins_from_different_people_at_once(tree):
    """The services alone (the path of the web pages and agents), with an edit of the key result mixed in."""
    owner, parent, goal, kr = tree

    def check_in(n):
        return lambda: check_in_record(actor=owner, key_result_id=kr.pk, value=n, confidence=n % 11).pk

    def retarget():
        return key_result_update(actor=owner, key_result_id=kr.pk, version=1, target=4 * THREADS).version

    results = _all_at_once([check_in(n) for n in range(1, THREADS)] + [retarget])
    assert results[-1] == 2
    assert set(CheckIn.objects.for_org(owner.organization).values_list("id", flat=True)) == set(results[:-1])
    kr.refresh_from_db()
    assert kr.target == 4 * THREADS
    _assert_rollups_fresh(owner.organization, [goal.pk, parent.pk])
