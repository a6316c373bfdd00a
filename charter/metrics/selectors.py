"""Reads of metrics, their values, data sources and runs, scoped to the actor's organization."""

from django.db.models import OuterRef, Prefetch

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.core.jsonrows import JSONRows
from charter.goals.models import Goal

from .models import DataSource, Metric, MetricValue, SourceRun


def metric_list(*, actor: Actor, team_id: int | None = None):
    metrics = Metric.objects.for_org(actor.organization).select_related("team")
    if team_id:
        metrics = metrics.filter(team_id=team_id)
    return metrics.order_by("name", "id")


def metric_get(*, actor: Actor, metric_id: int) -> Metric:
    metric = (
        metric_list(actor=actor)
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.select_related("cycle").order_by("title")),
            Prefetch("data_sources", queryset=DataSource.objects.order_by("name")),
        )
        .filter(pk=metric_id)
        .first()
    )
    if metric is None:
        raise NotFound("No such metric.")
    return metric


def metric_values(*, actor: Actor, metric_id: int, limit: int | None = None):
    values = (
        MetricValue.objects.for_org(actor.organization)
        .filter(metric_id=metric_id)
        .select_related("source", "author")
        .order_by("-recorded_at", "-id")
    )
    return values[:limit] if limit else values


def source_list(*, actor: Actor, metric_id: int | None = None, key_result_id: int | None = None):
    sources = DataSource.objects.for_org(actor.organization).select_related("metric", "key_result")
    if metric_id:
        sources = sources.filter(metric_id=metric_id)
    if key_result_id:
        sources = sources.filter(key_result_id=key_result_id)
    return sources.order_by("name", "id")


def source_get(*, actor: Actor, source_id: int) -> DataSource:
    source = (
        source_list(actor=actor).select_related("created_by", "key_result__goal").filter(pk=source_id).first()
    )
    if source is None:
        raise NotFound("No such data source.")
    return source


def source_runs(*, actor: Actor, source_id: int, limit: int | None = None):
    runs = (
        SourceRun.objects.for_org(actor.organization)
        .filter(source_id=source_id)
        .order_by("-started_at", "-id")
    )
    return runs[:limit] if limit else runs


def goal_panel_columns(*, actor: Actor) -> dict:
    """The goal page's panel as two lists of plain rows of the goal of the outer query (`OuterRef("pk")`),
    read with the goal: the metrics linked to it and the sources feeding its key results, each by name."""
    org = actor.organization
    metrics = Metric.objects.for_org(org).filter(goals=OuterRef("pk")).order_by("name", "id")
    sources = DataSource.objects.for_org(org).filter(key_result__goal_id=OuterRef("pk"))
    return {
        "metric_rows": JSONRows(
            metrics, "id", "name", "unit", "direction", "current", "healthy", "warning", "critical"
        ),
        "source_rows": JSONRows(
            sources.order_by("name", "id"), "id", "name", "kind", "last_value", "last_success_at",
            "consecutive_failures", "last_error", "is_active", "key_result_id",
        ),
    }  # fmt: skip


def goal_panel_objects(goal, columns: dict) -> tuple[list[Metric], list[DataSource]]:
    """Unsaved instances with the fields the panel shows, from `goal_panel_columns`' values; each source
    is given its key result from the goal's."""
    key_results = {kr.pk: kr for kr in goal.key_results.all()}
    metrics = [_metric(r) for r in columns["metric_rows"]]
    return metrics, [_source(r, key_results) for r in columns["source_rows"]]


def _metric(r: dict) -> Metric:
    return Metric(pk=r["id"], **{k: v for k, v in r.items() if k != "id"})


def _source(r: dict, key_results: dict) -> DataSource:
    source = DataSource(pk=r["id"], **{k: v for k, v in r.items() if k not in ("id", "key_result_id")})
    source.key_result = key_results[r["key_result_id"]]
    return source
