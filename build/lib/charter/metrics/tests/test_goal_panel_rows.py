"""The goal page's metrics panel reads its metrics and sources in one query, and shows what the two
separate reads showed."""

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from charter.goals import selectors as goal_selectors
from charter.metrics import selectors
from charter.metrics.models import DataSource
from charter.metrics.services import metric_create, metric_value_record, source_create


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
        metrics, sources = selectors.goal_panel_rows(actor=owner, goal=goal)
    assert len(queries) == 1
    assert [m.name for m in metrics] == ["Activation", "Uptime"]
    assert [s.name for s in sources] == ["Alpha feed", "Zeta feed"]
    before = _html(
        goal,
        selectors.goal_metrics(actor=owner, goal_id=goal_id),
        selectors.goal_sources(actor=owner, goal_id=goal_id),
    )
    assert _html(goal, metrics, sources) == before
    assert "Failing (2 in a row): bad" in before


def test_a_goal_without_metrics_or_sources(owner, key_result):
    goal = goal_selectors.goal_get(actor=owner, goal_id=key_result.goal_id, with_links=False)
    assert selectors.goal_panel_rows(actor=owner, goal=goal) == ([], [])
