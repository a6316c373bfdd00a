"""`core.jsonrows.JSONRows` and `core.panels` reads, on goals' tables: rows of a correlated subquery read in
one column come back as the ORM gives them (types, order, limit), and a panel's reader reads alone when the
page did not read it."""

from django.db import connection
from django.db.models import OuterRef
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from charter.core import panels
from charter.core.jsonrows import JSONRows
from charter.goals.models import CheckIn, Goal, GoalRevision
from charter.goals.services import check_in_record, goal_update
from charter.goals.tests.factories import make_goal, make_key_result

FIELDS = ("id", "value", "confidence", "note", "checked_at", "is_late", "author_id", "author__full_name")


def _check_ins(owner):
    return CheckIn.objects.for_org(owner.organization).order_by("-checked_at", "-id")


def test_rows_come_back_as_the_orm_gives_them(owner, cycle):
    goal = make_goal(owner, cycle, "Onboard in a day")
    empty = make_goal(owner, cycle, "Nothing yet")
    kr = make_key_result(owner, goal, "Days")
    for i, note in enumerate(["first", 'quote " and <b>', "ünïcode ✓"]):
        check_in_record(actor=owner, key_result_id=kr.pk, value=i + 0.25, confidence=i, note=note)
    goal_update(actor=owner, goal_id=goal.pk, reason="Clearer", description="Now with {json} [1, 2.5]")
    rows = JSONRows(_check_ins(owner).filter(key_result__goal_id=OuterRef("pk")), *FIELDS, limit=2)
    revisions = GoalRevision.objects.for_org(owner.organization).order_by("id")
    changes = JSONRows(revisions.filter(goal_id=OuterRef("pk")), "changes", "created_at")
    found = dict(
        Goal.objects.for_org(owner.organization)
        .filter(pk__in=[goal.pk, empty.pk])
        .annotate(rows=rows, changes=changes)
        .values_list("pk", "rows")
    )
    expected = list(_check_ins(owner).values(*FIELDS)[:2])
    assert found[goal.pk] == expected
    assert found[goal.pk][0]["checked_at"].tzinfo is not None
    assert found[empty.pk] == []
    revision = Goal.objects.for_org(owner.organization).annotate(changes=changes).get(pk=goal.pk).changes
    assert revision == list(revisions.filter(goal_id=goal.pk).values("changes", "created_at"))


def _reader(request) -> dict:
    check_ins = _check_ins(request.actor).filter(key_result__goal_id=OuterRef("pk"))
    return {"test_check_ins": JSONRows(check_ins, "value")}


def test_a_panel_reads_with_the_page_or_alone(owner, cycle):
    goal = make_goal(owner, cycle, "Onboard in a day")
    check_in_record(actor=owner, key_result_id=make_key_result(owner, goal).pk, value=3, confidence=5)
    request = RequestFactory().get("/")
    request.actor = owner
    panels.register_read("test.read")(_reader)
    try:
        with CaptureQueriesContext(connection) as queries:
            alone = panels.part(request, goal, _reader)
        assert alone == {"test_check_ins": [{"value": 3.0}]} and len(queries) == 1
        columns = panels.reads("test.read", request)
        read = Goal.objects.for_org(owner.organization).annotate(**columns).get(pk=goal.pk)
        with CaptureQueriesContext(connection) as queries:
            assert panels.part(request, read, _reader) == alone
        assert len(queries) == 0
    finally:
        panels._readers.pop("test.read")
