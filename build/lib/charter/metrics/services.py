"""Every write on metrics, their values and data sources: keyword-only, actor first, audited."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.errors import NotFound, ValidationError
from charter.goals.models import Goal
from charter.organizations.selectors import team_get

from . import rules, selectors
from .models import Metric, MetricValue
from .sources import source_create, source_delete, source_update

METRIC_FIELDS = ("name", "description", "unit", "team_id", "direction", "healthy", "warning", "critical")


# ---- metrics ---------------------------------------------------------------------------------------


def _metric_values(actor: Actor, values: dict) -> dict:
    errors = {
        k: [v]
        for k, v in rules.validate_thresholds(
            values["direction"], values["healthy"], values["warning"], values["critical"]
        ).items()
    }
    values["name"] = (values["name"] or "").strip()
    if not values["name"]:
        errors["name"] = ["Give the metric a name."]
    if values["team_id"] is not None:
        team_get(actor=actor, team_id=values["team_id"])  # 404 for another organization's team
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)
    values["description"] = (values["description"] or "").strip()
    values["unit"] = (values["unit"] or "").strip()
    return values


def _goal_ids(actor: Actor, goal_ids: list[int]) -> list[int]:
    found = set(Goal.objects.for_org(actor.organization).filter(pk__in=goal_ids).values_list("pk", flat=True))
    if missing := sorted(set(goal_ids) - found):
        raise ValidationError(f"No such goal: {missing[0]}.", field="goal_ids")
    return sorted(found)


def _save(metric: Metric, message: str) -> None:
    try:
        with transaction.atomic():
            metric.save()
    except IntegrityError:
        raise ValidationError(message, field="name") from None


def metric_create(
    *,
    actor: Actor,
    name: str,
    direction: str = rules.HIGHER,
    description: str = "",
    unit: str = "",
    team_id: int | None = None,
    healthy: float | None = None,
    warning: float | None = None,
    critical: float | None = None,
    goal_ids: list[int] | None = None,
) -> Metric:
    actor.require("metric.manage")
    values = _metric_values(actor, {k: v for k, v in locals().items() if k in METRIC_FIELDS})
    with transaction.atomic():
        metric = Metric(organization=actor.organization, **values)
        _save(metric, f"A metric named “{values['name']}” exists already.")
        metric.goals.set(_goal_ids(actor, goal_ids or []))
        audit(actor, "metric.create", metric, {**values, "goal_ids": goal_ids or []})
    return metric


def metric_update(*, actor: Actor, metric_id: int, goal_ids: list[int] | None = None, **fields) -> Metric:
    """Change the fields given (None for a threshold clears it only when passed explicitly)."""
    actor.require("metric.manage")
    with transaction.atomic():
        metric = selectors.metric_get(actor=actor, metric_id=metric_id)
        merged = {k: fields.get(k, getattr(metric, k)) for k in METRIC_FIELDS}
        changes = changed_fields(metric, _metric_values(actor, merged))
        if changes:
            _save(metric, f"A metric named “{metric.name}” exists already.")
        if goal_ids is not None:
            before = sorted(g.pk for g in metric.goals.all())
            after = _goal_ids(actor, goal_ids)
            if before != after:
                metric.goals.set(after)
                changes["goal_ids"] = [before, after]
        if changes:
            audit(actor, "metric.update", metric, changes)
    return metric


def metric_value_record(
    *,
    actor: Actor,
    metric_id: int,
    value: float,
    note: str = "",
    recorded_at: datetime | None = None,
    source_id: int | None = None,
) -> MetricValue:
    """Add a value to a metric's history; the metric's current value follows the latest one."""
    actor.require("metric.manage", f"Your role ({actor.role}) may not record metric values.")
    now = timezone.now()
    recorded_at = recorded_at or now
    if value is None:
        raise ValidationError("A value is needed.", field="value")
    if recorded_at > now + timedelta(minutes=5):
        raise ValidationError("A value cannot be dated in the future.", field="recorded_at")
    with transaction.atomic():
        metric = Metric.objects.for_org(actor.organization).select_for_update().filter(pk=metric_id).first()
        if metric is None:
            raise NotFound("No such metric.")
        row = MetricValue.objects.create(
            organization=actor.organization,
            metric=metric,
            value=value,
            recorded_at=recorded_at,
            source_id=source_id,
            author=actor.user,
            note=(note or "").strip(),
        )
        if metric.current_at is None or recorded_at >= metric.current_at:
            metric.current, metric.current_at = value, recorded_at
            metric.save(update_fields=["current", "current_at", "updated_at"])
        audit(actor, "metric.value_record", metric, {"value": value, "source_id": source_id})
    return row


__all__ = [
    "metric_create",
    "metric_update",
    "metric_value_record",
    "source_create",
    "source_delete",
    "source_update",
]
