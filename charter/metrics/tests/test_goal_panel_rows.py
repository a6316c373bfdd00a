"""The goal page's metrics panel reads its metrics and sources in one query, and shows what the two
separate reads showed."""

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from charter.goals import selectors as goal_selectors
from charter.goals.models import Goal
from charter.metrics import selectors
from charter.metrics.models import DataSource, Metric
from charter.metrics.services import metric_create, metric_value_record, source_create


def _panel_rows(actor, goal):
    """The panel's rows as the goal page reads them: its columns on the goal's own query, then objects."""
    goals = Goal.objects.for_org(actor.organization).filter(pk=goal.pk)
    return selectors.goal_panel_objects(goal, goals.values(**selectors.goal_panel_columns(actor=actor)).get())


def _separate_reads(actor, goal_id):
    """The reference: the goal's metrics and its key results' sources, each read on its own with the ORM."""
    metrics = Metric.objects.for_org(actor.organization).filter(goals=goal_id).select_related("team")
    sources = DataSource.objects.for_org(actor.organization).filter(key_result__goal_id=goal_id)
    return list(metrics), list(sources.select_related("key_result").order_by("name", "id"))


def _html(goal, metrics, sources):
    context = {"goal": goal, "metrics": metrics, "sources": sources, "may_manage": False}
    return render_to_string("metrics/_goal_panel.html", context)


def test_one_query_same_panel_as_the_separate_reads(owner, key_result):
    goal_id = key_result.goal_id
    uptime = metric_create(
        actor=owner, name="Uptime", unit="%", healthy=99.9, warning=99.5, goal_ids=[goal_id]
    )
    metric_value_record(actor=owner, metric_id=uptime.pk, value=99.7)
    metric_create(actor=owner, name="Activation", direction="lower", critical=3, goal_ids=[goal_id])
    metric_create(actor=owner, name="Not linked")
    source_create(actor=owner, name="Zeta feed", kind="inbound", key_result_id=key_result.pk)
    failing = source_create(actor=owner, name="Alpha feed", kind="inbound", key_result_id=key_result.pk)
    DataSource.objects.for_org(owner.organization).filter(pk=failing.pk).update(
        consecutive_failures=2, last_error="bad", is_active=False
    )
    goal = goal_selectors.goal_get(actor=owner, goal_id=goal_id, with_links=False)
    with CaptureQueriesContext(connection) as queries:
        metrics, sources = _panel_rows(owner, goal)
    assert len(queries) == 1
    assert [m.name for m in metrics] == ["Activation", "Uptime"]
    assert [s.name for s in sources] == ["Alpha feed", "Zeta feed"]
    before = _html(goal, *_separate_reads(owner, goal_id))
    assert _html(goal, metrics, sources) == before
    assert "Failing (2 in a row): bad" in before


def test_a_goal_without_metrics_or_sources(owner, key_result):
    goal = goal_selectors.goal_get(actor=owner, goal_id=key_result.goal_id, with_links=False)
    assert _panel_rows(owner, goal) == ([], [])
