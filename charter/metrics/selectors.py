"""Reads of metrics, their values, data sources and runs, scoped to the actor's organization."""

from django.db.models import Prefetch

from charter.core.actor import Actor
from charter.core.errors import NotFound
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


def goal_metrics(*, actor: Actor, goal_id: int) -> list[Metric]:
    return list(Metric.objects.for_org(actor.organization).filter(goals=goal_id).select_related("team"))


def goal_sources(*, actor: Actor, goal_id: int, key_result_ids=None) -> list[DataSource]:
    """Data sources feeding the goal's key results, for the goal page (their errors show there).

    The page knows the goal's key results: given their ids, a goal without any reads nothing."""
    sources = DataSource.objects.for_org(actor.organization)
    if key_result_ids is None:
        sources = sources.filter(key_result__goal_id=goal_id)
    elif key_result_ids:
        sources = sources.filter(key_result_id__in=list(key_result_ids))
    else:
        return []
    return list(sources.select_related("key_result").order_by("name", "id"))


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
