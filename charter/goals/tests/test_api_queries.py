"""The API's hot paths: check-in create has a bounded query count, the same whatever the depth of the
goal chain or the number of earlier check-ins; the goal list's plain rows equal the models' fields."""

import itertools
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from charter.core.models import AuditEvent, IdempotencyKey
from charter.goals.models import Goal
from charter.goals.tests.factories import make_goal, make_key_result
from charter.organizations.services import token_create

# Statements of the request itself; SAVEPOINT and RELEASE come from the test's own transaction wrapping.
MAX_QUERIES = 18
_keys = itertools.count(1)


def _chain(owner, cycle, depth):
    parent = None
    for level in range(depth):
        parent = make_goal(owner, cycle, f"Level {level}", parent_id=parent and parent.pk)
    return parent


def _statements(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def _check_in(client, kr, value):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            f"/api/v1/key-results/{kr.pk}/check-ins",
            {"value": value, "confidence": 6, "note": "Moving."},
            content_type="application/json",
            headers={"Idempotency-Key": f"query-count-{next(_keys):08d}"},
        )
    assert response.status_code == 201, response.content
    return _statements(ctx)


@pytest.fixture
def client(owner):
    _, raw = token_create(actor=owner, name="queries", days=90)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_check_in_create_queries_do_not_grow_with_depth_or_history(owner, cycle, client):
    shallow = make_key_result(owner, _chain(owner, cycle, 1))
    deep_leaf = _chain(owner, cycle, 5)
    deep = make_key_result(owner, deep_leaf)
    _check_in(client, shallow, 1)  # the first of each: the token's last use is written once a minute
    _check_in(client, deep, 1)

    counts = {len(_check_in(client, kr, 10 + i)) for kr in (shallow, deep) for i in range(4)}

    assert len(counts) == 1, counts  # the same at depth 1 and 5, after 1 to 4 earlier check-ins
    assert counts.pop() <= MAX_QUERIES


def test_check_in_create_keeps_rollups_audit_and_key(owner, cycle, client):
    leaf = _chain(owner, cycle, 3)
    kr = make_key_result(owner, leaf, start=0, target=100)
    audit = AuditEvent.objects.for_org(owner.organization).filter(action="check_in.create")
    audits = audit.count()

    _check_in(client, kr, 40)

    chain = list(Goal.objects.for_org(owner.organization).filter(cycle=cycle).order_by("-pk"))
    assert [g.progress for g in chain] == [pytest.approx(0.4)] * 3  # all three levels rolled up
    assert {g.confidence for g in chain} == {6}
    assert (
        AuditEvent.objects.for_org(owner.organization).filter(action="check_in.create").count() == audits + 1
    )
    assert IdempotencyKey.objects.for_org(owner.organization).filter(status_code=201).count() == 1


def test_back_dated_check_in_leaves_the_latest_current(owner, cycle, client):
    kr = make_key_result(owner, _chain(owner, cycle, 1), start=0, target=100)
    _check_in(client, kr, 70)
    response = client.post(
        f"/api/v1/key-results/{kr.pk}/check-ins",
        {"value": 20, "confidence": 3, "checked_at": "2020-01-01T00:00:00Z"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    kr.refresh_from_db()
    assert (kr.current, kr.confidence) == (70, 6)


def test_goal_list_rows_equal_the_models(owner, cycle, client):
    """The list's plain rows give every field exactly as the goal model and `GoalOut` would."""
    from datetime import timedelta

    from charter.goals.schemas import GoalOut
    from charter.goals.services import check_in_record
    from charter.organizations.tests.factories import make_team

    department = make_team(owner, "Department")
    squad = make_team(owner, "Squad", parent=department)
    top = make_goal(owner, cycle, "Top")
    dept = make_goal(owner, cycle, "Dept", team_id=department.pk, parent_id=top.pk)
    make_goal(owner, cycle, "Squad goal", team_id=squad.pk, parent_id=dept.pk, purpose=" ")
    behind = make_key_result(owner, dept, start=0, target=100)
    check_in_record(actor=owner, key_result_id=behind.pk, value=5, confidence=2)
    stale = make_key_result(owner, top, start=0, target=10)
    old = cycle.starts_on
    from django.utils import timezone

    check_in_record(
        actor=owner,
        key_result_id=stale.pk,
        value=9,
        confidence=9,
        checked_at=timezone.make_aware(timezone.datetime(old.year, old.month, old.day)) + timedelta(hours=1),
    )

    response = client.get("/api/v1/goals", {"cycle_id": cycle.pk, "limit": 2, "offset": 1})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    # The goal's own GET reads the model: the same fields, encoded the same way.
    expected = [
        {k: v for k, v in client.get(f"/api/v1/goals/{g}").json().items() if k in GoalOut.model_fields}
        for g in Goal.objects.for_org(owner.organization).order_by("title", "id").values_list("pk", flat=True)
    ]
    assert body["items"] == expected[1:3]
    assert {i["level"] for i in expected} == {"strategic", "team"}
    assert len({i["status"] for i in expected}) > 1
    assert {i["has_intent"] for i in expected} == {True, False}


def test_goal_list_counts_past_the_end_and_with_a_status(owner, cycle, client):
    """The total rides on the page's rows: a page past the end still counts, and so does a status filter."""
    for n in range(3):
        make_goal(owner, cycle, f"Goal {n}")
    past = client.get("/api/v1/goals", {"cycle_id": cycle.pk, "limit": 2, "offset": 5}).json()
    assert (past["items"], past["count"], past["offset"]) == ([], 3, 5)
    status = client.get("/api/v1/goals", {"cycle_id": cycle.pk, "limit": 1}).json()["items"][0]["status"]
    matching = client.get("/api/v1/goals", {"cycle_id": cycle.pk, "status": status, "limit": 1}).json()
    assert matching["count"] == 3 and len(matching["items"]) == 1


def test_goal_list_with_a_status_pages_in_the_database_as_goal_status_and_in_the_same_queries(
    owner, cycle, client
):
    """The status is computed by the database (one cycle, or a CASE per cycle without `cycle_id`): the
    same goals as `Goal.status` gives, paged, in one query more than without a status (the cycles)."""
    from datetime import timedelta

    from django.utils import timezone

    from charter.goals.tests.factories import make_cycle

    past = make_cycle(owner, "Past", days_before=200, days_after=-100, state="closed")

    def grow(n):  # goals of every status in two cycles
        now = timezone.now()
        for i in range(n):
            goal = make_goal(owner, cycle if i % 2 else past, f"Goal {i:03}")
            Goal.objects.for_org(owner.organization).filter(pk=goal.pk).update(
                progress=[0.0, 0.3, 0.6, 1.1][i % 4],
                confidence=[8, 3, 6, 1, 9][i % 5],
                last_check_in_at=[None, now, now - timedelta(days=40)][i % 3],
            )

    def counted(params):
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/v1/goals", params).json()
        return body, len(queries)

    grow(44)
    client.get("/api/v1/goals")  # the token's first use writes it
    plain = counted({"cycle_id": cycle.pk, "limit": 3, "offset": 1})[1]
    every = list(Goal.objects.for_org(owner.organization).select_related("cycle").order_by("title", "id"))
    for status in ("on_track", "at_risk", "off_track", "stale"):
        for params, goals in (
            ({"cycle_id": cycle.pk}, [g for g in every if g.cycle_id == cycle.pk]),
            ({}, every),
        ):
            expected = [g.pk for g in goals if g.status == status]
            body, n = counted({**params, "status": status, "limit": 3, "offset": 1})
            assert [i["id"] for i in body["items"]] == expected[1:4], (status, params)
            assert body["count"] == len(expected)
            assert {i["status"] for i in body["items"]} <= {status}
            if len(expected) > 1:  # not past the end: the statuses' one more query, the cycles
                assert n == plain + 1, (status, params)


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}, CHARTER_API_RATE_LIMIT=0
)
def test_check_in_create_worst_case_within_ten_queries(owner, cycle, client):
    """Counted as the benchmark counts (every statement the request executes, transaction control aside;
    the rate limit off, as in bench/settings.py: when on, it adds its one upsert to every API request):
    the token's last use noted and the goal turned off track in the same request still make at most 10,
    because the worker, not the request, tells the owner and the leads (a queued task: one INSERT)."""
    from django_tasks_db.models import DBTaskResult

    from charter.goals.services import check_in_record
    from charter.organizations.tests.factories import make_person, make_team

    team = make_team(owner, "Squad")
    make_person(owner, team=team, is_lead=True)
    kr = make_key_result(owner, make_goal(owner, cycle, "Turns", team_id=team.pk), start=0, target=100)
    check_in_record(actor=owner, key_result_id=kr.pk, value=100, confidence=9)  # on track
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.post(
            f"/api/v1/key-results/{kr.pk}/check-ins",
            {"value": 1, "confidence": 0, "note": "Blocked."},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert Goal.objects.for_org(owner.organization).get(pk=kr.goal_id).status == "off_track"
    assert DBTaskResult.objects.filter(task_path__endswith="goal_at_risk_notify").count() == 1
    assert any("last_used_at" in s for s in statements)  # the token's first use in this minute
    own = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))]
    assert len(own) <= 10, "\n".join(s[:90] for s in own)


def test_a_moment_without_an_offset_is_refused_by_name(owner, cycle, client):
    kr = make_key_result(owner, _chain(owner, cycle, 1), start=0, target=100)
    response = client.post(
        f"/api/v1/key-results/{kr.pk}/check-ins",
        {"value": 20, "confidence": 3, "checked_at": "2020-01-01T00:00:00"},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == {
        "checked_at": ["Give the moment with its time zone offset, such as 2026-03-31T17:00:00Z or +02:00."]
    }


def test_a_key_result_moved_from_elsewhere_keeps_when_its_tracking_began(owner, cycle, client):
    goal = _chain(owner, cycle, 1)
    body = {"title": "Tickets closed", "start": 0, "target": 10, "tracked_since": "2026-01-05T09:00:00+01:00"}
    made = client.post(f"/api/v1/goals/{goal.pk}/key-results", body, content_type="application/json")
    assert made.status_code == 201, made.content
    began = datetime(2026, 1, 5, 8, tzinfo=UTC)
    assert datetime.fromisoformat(made.json()["tracked_since"]) == began
    listed = client.get(f"/api/v1/goals/{goal.pk}/key-results").json()
    assert [datetime.fromisoformat(kr["tracked_since"]) for kr in listed["items"]] == [began]
    future = {**body, "title": "Later", "tracked_since": "2999-01-01T00:00:00Z"}
    refused = client.post(f"/api/v1/goals/{goal.pk}/key-results", future, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"tracked_since": ["A key result cannot be tracked from the future."]}
