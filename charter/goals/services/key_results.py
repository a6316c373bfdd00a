"""Key results and check-ins; a key result's current value follows its latest check-in."""

import math
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.core.events import publish
from charter.organizations.models import Membership

from .. import rules
from ..models import CheckIn, Cycle, KeyResult
from ..revisions import record_revision
from .access import _require_goal_edit, may_check_in
from .goals import _locked_goal
from .rollup import _rollup_chain

KR_FIELDS = ("title", "kind", "unit", "start", "target", "target_max", "weight", "owner_id")
CHECK_IN_FIELDS = ("current", "confidence", "last_check_in_at", "progress", "updated_at")  # what one changes


def _not_finite(value) -> bool:
    return value is not None and not math.isfinite(value)


def _kr_errors(actor: Actor, values: dict) -> dict[str, list[str]]:
    errors = {}
    for field in ("start", "target", "target_max"):
        if _not_finite(values.get(field)):
            errors[field] = ["Use a finite number (not NaN or infinity)."]
    if errors:
        return errors
    if not (values.get("title") or "").strip():
        errors["title"] = ["A key result needs a title: what is measured."]
    if values.get("kind") not in KeyResult.Kind.values:
        errors["kind"] = [f"Unknown kind {values.get('kind')!r}; one of {', '.join(KeyResult.Kind.values)}."]
    else:
        for field, message in rules.validate_key_result(
            values["kind"], values.get("start"), values.get("target"), values.get("target_max")
        ).items():
            errors[field] = [message]
    if not 0 < (values.get("weight") or 0) <= 100:
        errors["weight"] = ["Weight must be above 0 and at most 100."]
    owner_id = values.get("owner_id")
    if owner_id and not Membership.objects.for_org(actor.organization).filter(user_id=owner_id).exists():
        errors["owner_id"] = ["The owner must be a member of this organization."]
    return errors


def _normalized_kr(values: dict) -> dict:
    values = {**values}
    values["title"] = (values.get("title") or "").strip()
    values.setdefault("weight", 1.0)
    if values.get("kind") == rules.MILESTONE:
        values.update(start=0.0, target=1.0, target_max=None)
    elif values.get("kind") != rules.RANGE:
        values["target_max"] = None
    return values


def key_result_create(
    *,
    actor: Actor,
    goal_id: int,
    title: str,
    kind: str = rules.INCREASE,
    start: float | None = None,
    target: float | None = None,
    target_max: float | None = None,
    unit: str = "",
    weight: float = 1.0,
    owner_id: int | None = None,
    current: float | None = None,
    tracked_since: datetime | None = None,
) -> KeyResult:
    """`tracked_since`: since when check-ins are expected, when earlier than now (a goals file's key
    result with older check-ins); None: from its creation."""
    actor.require("key_result.edit")
    values = _normalized_kr(
        {
            "title": title,
            "kind": kind,
            "start": start,
            "target": target,
            "target_max": target_max,
            "unit": unit,
            "weight": weight,
            "owner_id": owner_id,
        }
    )
    errors = _kr_errors(actor, values)
    if _not_finite(current):
        errors["current"] = ["Use a finite number (not NaN or infinity)."]
    if tracked_since is not None and tracked_since > timezone.now() + timedelta(minutes=5):
        errors["tracked_since"] = ["A key result cannot be tracked from the future."]
    if errors:
        raise ValidationError("The key result is not valid.", errors=errors)
    with transaction.atomic():
        goal = _locked_goal(actor, goal_id)
        _require_goal_edit(actor, goal)
        kr = KeyResult(
            organization=actor.organization, goal=goal, position=goal.key_results.count(), **values
        )
        kr.current = values["start"] if current is None else current
        kr.tracked_since = tracked_since
        kr.progress = kr.progress_of(kr.current)
        kr.save()
        audit(actor, "key_result.create", kr, {"goal_id": goal.pk, "title": kr.title})
        _rollup_chain(actor, goal.pk)
    return kr


def _locked_key_result(actor: Actor, key_result_id: int) -> KeyResult:
    kr = (
        KeyResult.objects.for_org(actor.organization)
        .select_for_update(of=("self",))
        .select_related("goal", "goal__cycle")
        .filter(pk=key_result_id)
        .first()
    )
    if kr is None:
        raise NotFound("No such key result.")
    kr.goal.organization = actor.organization  # the same row (scoped above): not joined again
    return kr


def key_result_update(
    *, actor: Actor, key_result_id: int, version: int | None = None, reason: str = "", **values
) -> KeyResult:
    actor.require("key_result.edit")
    unknown = set(values) - set(KR_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown key result fields: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        kr = _locked_key_result(actor, key_result_id)
        _require_goal_edit(actor, kr.goal)
        if version is not None and version != kr.version:
            raise Conflict(
                f"“{kr.title}” was changed by someone else (version {kr.version}); reload and retry."
            )
        merged = _normalized_kr({**{f: getattr(kr, f) for f in KR_FIELDS}, **values})
        errors = _kr_errors(actor, merged)
        if errors:
            raise ValidationError("The key result is not valid.", errors=errors)
        changes = changed_fields(kr, merged)
        if changes:
            kr.version += 1
            kr.progress = kr.progress_of(kr.current)
            kr.save()
            audit(actor, "key_result.update", kr, changes)
            record_revision(actor, kr, changes, reason)
            _rollup_chain(actor, kr.goal_id)
    return kr


def key_result_delete(*, actor: Actor, key_result_id: int) -> None:
    actor.require("key_result.edit")
    with transaction.atomic():
        kr = _locked_key_result(actor, key_result_id)
        _require_goal_edit(actor, kr.goal)
        goal_id = kr.goal_id
        audit(actor, "key_result.delete", kr, {"title": kr.title})
        kr.delete()
        _rollup_chain(actor, goal_id)


# ---- check-ins ------------------------------------------------------------------------------------


def check_in_record(
    *,
    actor: Actor,
    key_result_id: int,
    value: float,
    confidence: int,
    note: str = "",
    checked_at: datetime | None = None,
) -> CheckIn:
    """Record a check-in; the key result's current value follows its latest check-in."""
    actor.require("check_in.create")
    errors = {}
    if value is None:
        errors["value"] = ["A check-in needs a value."]
    elif _not_finite(value):
        errors["value"] = ["Use a finite number (not NaN or infinity)."]
    if confidence is None or not 0 <= confidence <= 10:
        errors["confidence"] = ["Confidence is a whole number from 0 (no chance) to 10 (certain)."]
    now = timezone.now()
    checked_at = checked_at or now
    if checked_at > now + timedelta(minutes=5):
        errors["checked_at"] = ["A check-in cannot be dated in the future."]
    if errors:
        raise ValidationError("The check-in is not valid.", errors=errors)
    with transaction.atomic():
        kr = _locked_key_result(actor, key_result_id)
        if not may_check_in(actor, kr):
            raise PermissionDenied(f"You may not check in on “{kr.title}”: it belongs to another team.")
        cycle = kr.goal.cycle
        check_in = CheckIn.objects.create(
            organization=actor.organization,
            key_result=kr,
            value=value,
            confidence=confidence,
            note=note.strip(),
            author=actor.user,
            checked_at=checked_at,
            is_late=cycle.state == Cycle.State.CLOSED or checked_at.date() > cycle.ends_on,
        )
        if kr.last_check_in_at is None or checked_at >= kr.last_check_in_at:
            latest = check_in  # the newest (ties go to the higher id): no need to read it back
        else:  # back-dated: an earlier check-in stays the latest
            latest = kr.check_ins.order_by("-checked_at", "-id").first()
        kr.current, kr.confidence, kr.last_check_in_at = latest.value, latest.confidence, latest.checked_at
        kr.progress, kr.updated_at = kr.progress_of(kr.current), now
        # An UPDATE rather than save(): no text the search index holds changes, so no reindexing task.
        KeyResult.objects.for_org(actor.organization).filter(pk=kr.pk).update(
            **{f: getattr(kr, f) for f in CHECK_IN_FIELDS}
        )
        audit(
            actor,
            "check_in.create",
            check_in,
            {"value": value, "confidence": confidence, "late": check_in.is_late},
        )
        status_before = kr.goal.status
        goal = _rollup_chain(actor, kr.goal_id)  # the goal locked, with its new roll-up
        if goal.cycle_id == cycle.pk:
            goal.cycle = cycle  # read with the key result: its status needs no query
        if goal.status != status_before:
            publish("goal.status_changed", actor=actor, goal=goal, before=status_before, after=goal.status)
    return check_in
