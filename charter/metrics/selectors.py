"""Reads of metrics, their values, data sources and runs, scoped to the actor's organization."""

from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    F,
    FloatField,
    IntegerField,
    Prefetch,
    TextField,
    Value,
)

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


def _none(field):
    return Value(None, output_field=field)


def goal_panel_rows(*, actor: Actor, goal) -> tuple[list[Metric], list[DataSource]]:
    """The goal page's panel in one query (a UNION ALL): the metrics linked to a goal already read, and
    the sources feeding its key results (each given its key result from the goal's). Unsaved instances
    with the fields the panel shows; the same rows and order as `goal_metrics` and `goal_sources`."""
    org, key_results = actor.organization, {kr.pk: kr for kr in goal.key_results.all()}
    metrics = Metric.objects.for_org(org).filter(goals=goal.pk)
    metrics = metrics.values(
        part=Value(0), row_id=F("id"), row_name=F("name"), col_text=F("unit"), col_kind=F("direction"),
        value=F("current"), m_healthy=F("healthy"), m_warning=F("warning"), m_critical=F("critical"),
        at=_none(DateTimeField()), failures=_none(IntegerField()), error=_none(TextField()),
        active=_none(BooleanField()), kr=_none(IntegerField()),
    )  # fmt: skip
    sources = DataSource.objects.for_org(org).filter(key_result_id__in=list(key_results) or [0])
    sources = sources.values(
        part=Value(1), row_id=F("id"), row_name=F("name"), col_text=_none(CharField()), col_kind=F("kind"),
        value=F("last_value"), m_healthy=_none(FloatField()), m_warning=_none(FloatField()),
        m_critical=_none(FloatField()), at=F("last_success_at"), failures=F("consecutive_failures"),
        error=F("last_error"), active=F("is_active"), kr=F("key_result_id"),
    )  # fmt: skip
    rows = metrics.order_by().union(sources.order_by(), all=True).order_by("part", "row_name", "row_id")
    found = ([], [])
    for r in rows:
        found[r["part"]].append(_metric(r) if r["part"] == 0 else _source(r, key_results))
    return found


def _metric(r: dict) -> Metric:
    return Metric(
        pk=r["row_id"], name=r["row_name"], unit=r["col_text"], direction=r["col_kind"], current=r["value"],
        healthy=r["m_healthy"], warning=r["m_warning"], critical=r["m_critical"],
    )  # fmt: skip


def _source(r: dict, key_results: dict) -> DataSource:
    source = DataSource(
        pk=r["row_id"], name=r["row_name"], kind=r["col_kind"], last_value=r["value"],
        last_success_at=r["at"], consecutive_failures=r["failures"], last_error=r["error"],
        is_active=r["active"],
    )  # fmt: skip
    source.key_result = key_results[r["kr"]]
    return source
