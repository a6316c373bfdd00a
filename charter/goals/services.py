"""Every write on cycles, goals, key results and check-ins, with roll-ups kept in the same transaction."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.core.events import publish
from charter.organizations.models import Membership, Team
from charter.organizations.permissions import ROLES_THAT_EDIT_EVERYTHING

from . import rules
from .models import CheckIn, Cycle, Goal, KeyResult

GOAL_TEXT_FIELDS = ("title", "description", "purpose", "end_state", "constraints", "freedoms")


# ---- cycles ---------------------------------------------------------------------------------------


def _cycle_errors(actor: Actor, name: str, starts_on: date, ends_on: date, state: str, exclude: int | None):
    errors = {}
    if not name.strip():
        errors["name"] = ["A cycle needs a name, such as 2026 Q1."]
    elif (
        Cycle.objects.for_org(actor.organization)
        .filter(name__iexact=name.strip())
        .exclude(pk=exclude)
        .exists()
    ):
        errors["name"] = [f"There is already a cycle called {name.strip()}."]
    if starts_on and ends_on and ends_on <= starts_on:
        errors["ends_on"] = ["The cycle must end after it starts."]
    if state not in Cycle.State.values:
        errors["state"] = [f"Unknown state {state!r}; one of {', '.join(Cycle.State.values)}."]
    return errors


def cycle_create(
    *, actor: Actor, name: str, starts_on: date, ends_on: date, state: str = "planning"
) -> Cycle:
    actor.require("cycle.manage")
    errors = _cycle_errors(actor, name, starts_on, ends_on, state, None)
    if errors:
        raise ValidationError("The cycle is not valid.", errors=errors)
    with transaction.atomic():
        cycle = Cycle.objects.create(
            organization=actor.organization,
            name=name.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            state=state,
        )
        audit(actor, "cycle.create", cycle)
    return cycle


def cycle_update(
    *, actor: Actor, cycle_id: int, name: str, starts_on: date, ends_on: date, state: str
) -> Cycle:
    actor.require("cycle.manage")
    with transaction.atomic():
        cycle = Cycle.objects.for_org(actor.organization).select_for_update().filter(pk=cycle_id).first()
        if cycle is None:
            raise NotFound("No such cycle.")
        errors = _cycle_errors(actor, name, starts_on, ends_on, state, cycle.pk)
        if errors:
            raise ValidationError("The cycle is not valid.", errors=errors)
        changes = changed_fields(
            cycle, {"name": name.strip(), "starts_on": starts_on, "ends_on": ends_on, "state": state}
        )
        if changes:
            cycle.save()
            audit(actor, "cycle.update", cycle, changes)
    return cycle


# ---- who may touch which goal ---------------------------------------------------------------------


def may_edit_goal(actor: Actor, goal: Goal) -> bool:
    """Leaders edit every goal; members the goals of their teams (or led teams) and those they own."""
    if not actor.can("goal.edit"):
        return False
    if actor.role in ROLES_THAT_EDIT_EVERYTHING:
        return True
    return (
        goal.owner_id == actor.user_id
        or goal.team_id in actor.team_ids
        or goal.team_id in actor.lead_team_ids
    )


def may_check_in(actor: Actor, key_result: KeyResult) -> bool:
    if not actor.can("check_in.create"):
        return False
    return key_result.owner_id == actor.user_id or may_edit_goal(actor, key_result.goal)


def _member_may_create(actor: Actor, goal: Goal) -> bool:
    if goal.team_id is None:
        return goal.owner_id == actor.user_id
    return goal.team_id in actor.team_ids or goal.team_id in actor.lead_team_ids


def _require_goal_edit(actor: Actor, goal: Goal) -> None:
    if not may_edit_goal(actor, goal):
        raise PermissionDenied(f"You may not change “{goal.title}”: it belongs to another team.")


# ---- goals ----------------------------------------------------------------------------------------


def _locked_goal(actor: Actor, goal_id: int) -> Goal:
    goal = (
        Goal.objects.for_org(actor.organization)
        .select_for_update(of=("self",))
        .select_related("cycle", "team", "organization")
        .filter(pk=goal_id)
        .first()
    )
    if goal is None:
        raise NotFound("No such goal.")
    return goal


def _resolve_links(actor: Actor, values: dict, goal: Goal | None) -> dict:
    """Check and turn cycle, team, owner, parent ids into objects of this organization."""
    org = actor.organization
    errors: dict[str, list[str]] = {}
    resolved = {}
    if "cycle_id" in values:
        resolved["cycle"] = Cycle.objects.for_org(org).filter(pk=values["cycle_id"]).first()
        if resolved["cycle"] is None:
            errors["cycle_id"] = ["No such cycle."]
    if "team_id" in values:
        team_id = values["team_id"]
        resolved["team"] = Team.objects.for_org(org).filter(pk=team_id).first() if team_id else None
        if team_id and resolved["team"] is None:
            errors["team_id"] = ["No such team."]
    if "owner_id" in values:
        if not Membership.objects.for_org(org).filter(user_id=values["owner_id"], is_active=True).exists():
            errors["owner_id"] = ["The accountable person must be a member of this organization."]
        resolved["owner_id"] = values["owner_id"]
    if "parent_id" in values:
        parent_id = values["parent_id"]
        resolved["parent"] = None
        if parent_id:
            parent = Goal.objects.for_org(org).filter(pk=parent_id).first()
            if parent is None:
                errors["parent_id"] = ["No such parent goal."]
            elif goal is not None and _closes_loop(actor, goal.pk, parent.pk):
                errors["parent_id"] = [
                    f"“{parent.title}” already contributes (directly or through others) to “{goal.title}”; "
                    "a goal cannot contribute to itself."
                ]
            resolved["parent"] = parent
    if errors:
        raise ValidationError("The goal is not valid.", errors=errors)
    return resolved


def _closes_loop(actor: Actor, goal_id: int, parent_id: int) -> bool:
    parent_of = dict(Goal.objects.for_org(actor.organization).values_list("id", "parent_id"))
    return rules.would_create_cycle(goal_id, parent_id, parent_of)


def _supports(actor: Actor, goal_id: int | None, ids: list[int]) -> list[Goal]:
    ids = sorted(set(ids))
    if goal_id in ids:
        raise ValidationError("A goal cannot support itself.", field="supports_ids")
    goals = list(Goal.objects.for_org(actor.organization).filter(pk__in=ids))
    if len(goals) != len(ids):
        raise ValidationError("One of the supported goals does not exist.", field="supports_ids")
    return goals


def _text_errors(values: dict) -> dict[str, list[str]]:
    errors = {}
    if "title" in values and not values["title"].strip():
        errors["title"] = ["A goal needs a title: the outcome, in a few words."]
    if "weight" in values and not 0 < values["weight"] <= 100:
        errors["weight"] = ["Weight must be above 0 and at most 100."]
    return errors


def goal_create(
    *,
    actor: Actor,
    cycle_id: int,
    title: str,
    owner_id: int | None = None,
    team_id: int | None = None,
    description: str = "",
    purpose: str = "",
    end_state: str = "",
    constraints: str = "",
    freedoms: str = "",
    parent_id: int | None = None,
    supports_ids: list[int] | None = None,
    weight: float = 1.0,
) -> Goal:
    actor.require("goal.create")
    values = {"title": title, "weight": weight}
    errors = _text_errors(values)
    if errors:
        raise ValidationError("The goal is not valid.", errors=errors)
    owner_id = owner_id or actor.user_id
    links = _resolve_links(
        actor, {"cycle_id": cycle_id, "team_id": team_id, "owner_id": owner_id, "parent_id": parent_id}, None
    )
    goal = Goal(
        organization=actor.organization,
        cycle=links["cycle"],
        team=links["team"],
        owner_id=owner_id,
        title=title.strip(),
        description=description,
        purpose=purpose,
        end_state=end_state,
        constraints=constraints,
        freedoms=freedoms,
        parent=links["parent"],
        weight=weight,
    )
    if actor.role not in ROLES_THAT_EDIT_EVERYTHING and not _member_may_create(actor, goal):
        raise PermissionDenied("Members create goals for their own teams, or personal goals of their own.")
    with transaction.atomic():
        goal.save()
        goal.supports.set(_supports(actor, None, supports_ids or []))
        audit(actor, "goal.create", goal, {"title": goal.title, "parent_id": parent_id})
        _rollup_chain(actor, goal.parent_id)
        publish("goal.created", actor=actor, goal=goal)
    return goal


def goal_update(*, actor: Actor, goal_id: int, version: int | None = None, **values) -> Goal:
    """Change any of a goal's fields; `version`, when given, must match (else Conflict)."""
    allowed = {*GOAL_TEXT_FIELDS, "cycle_id", "team_id", "owner_id", "parent_id", "supports_ids", "weight"}
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(f"Unknown goal fields: {', '.join(sorted(unknown))}.")
    errors = _text_errors(values)
    if errors:
        raise ValidationError("The goal is not valid.", errors=errors)
    with transaction.atomic():
        goal = _locked_goal(actor, goal_id)
        _require_goal_edit(actor, goal)
        if version is not None and version != goal.version:
            raise Conflict(
                f"“{goal.title}” was changed by someone else (version {goal.version}); reload and retry."
            )
        links = _resolve_links(actor, values, goal)
        supports = values.pop("supports_ids", None)
        plain = {
            k: (v.strip() if k == "title" else v)
            for k, v in values.items()
            if k in {*GOAL_TEXT_FIELDS, "weight"}
        }
        old_parent_id = goal.parent_id
        new_values = {**plain}
        if "cycle" in links:
            new_values["cycle_id"] = links["cycle"].pk
        if "team" in links:
            new_values["team_id"] = links["team"] and links["team"].pk
        if "owner_id" in links:
            new_values["owner_id"] = links["owner_id"]
        if "parent" in links:
            new_values["parent_id"] = links["parent"] and links["parent"].pk
        changes = changed_fields(goal, new_values)
        if not may_edit_goal(actor, goal):
            raise PermissionDenied("You may not move a goal to a team that is not yours.")
        if supports is not None:
            before = set(goal.supports.values_list("id", flat=True))
            after = {g.pk for g in _supports(actor, goal.pk, supports)}
            if before != after:
                goal.supports.set(after)
                changes["supports_ids"] = [sorted(before), sorted(after)]
        if changes:
            goal.version += 1
            goal.save()
            audit(actor, "goal.update", goal, changes)
        if "parent_id" in changes or "weight" in changes:
            _rollup_chain(actor, old_parent_id)
            _rollup_chain(actor, goal.parent_id)
        if changes:
            publish("goal.updated", actor=actor, goal=goal, changes=changes)
    return goal


def goal_delete(*, actor: Actor, goal_id: int) -> None:
    """Delete a goal with its key results; its children stay, no longer aligned."""
    actor.require("goal.delete")
    with transaction.atomic():
        goal = _locked_goal(actor, goal_id)
        parent_id = goal.parent_id
        audit(actor, "goal.delete", goal, {"title": goal.title})
        goal.delete()
        _rollup_chain(actor, parent_id)


# ---- key results ----------------------------------------------------------------------------------

KR_FIELDS = ("title", "kind", "unit", "start", "target", "target_max", "weight", "owner_id")


def _kr_errors(actor: Actor, values: dict) -> dict[str, list[str]]:
    errors = {}
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
) -> KeyResult:
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
    if errors:
        raise ValidationError("The key result is not valid.", errors=errors)
    with transaction.atomic():
        goal = _locked_goal(actor, goal_id)
        _require_goal_edit(actor, goal)
        kr = KeyResult(
            organization=actor.organization, goal=goal, position=goal.key_results.count(), **values
        )
        kr.current = values["start"] if current is None else current
        kr.progress = kr.progress_of(kr.current)
        kr.save()
        audit(actor, "key_result.create", kr, {"goal_id": goal.pk, "title": kr.title})
        _rollup_chain(actor, goal.pk)
    return kr


def _locked_key_result(actor: Actor, key_result_id: int) -> KeyResult:
    kr = (
        KeyResult.objects.for_org(actor.organization)
        .select_for_update(of=("self",))
        .select_related("goal", "goal__cycle", "goal__organization")
        .filter(pk=key_result_id)
        .first()
    )
    if kr is None:
        raise NotFound("No such key result.")
    return kr


def key_result_update(*, actor: Actor, key_result_id: int, version: int | None = None, **values) -> KeyResult:
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
        latest = kr.check_ins.order_by("-checked_at", "-id").first()
        kr.current, kr.confidence, kr.last_check_in_at = latest.value, latest.confidence, latest.checked_at
        kr.progress = kr.progress_of(kr.current)
        kr.save(update_fields=["current", "confidence", "last_check_in_at", "progress", "updated_at"])
        audit(
            actor,
            "check_in.create",
            check_in,
            {"value": value, "confidence": confidence, "late": check_in.is_late},
        )
        status_before = kr.goal.status
        _rollup_chain(actor, kr.goal_id)
        goal = _locked_goal(actor, kr.goal_id)
        publish("check_in.recorded", actor=actor, check_in=check_in, goal=goal)
        if goal.status != status_before:
            publish("goal.status_changed", actor=actor, goal=goal, before=status_before, after=goal.status)
    return check_in


# ---- roll-up --------------------------------------------------------------------------------------


def _rollup_chain(actor: Actor, goal_id: int | None) -> None:
    """Recompute the stored roll-ups of a goal and every goal it contributes to, bottom up."""
    seen = set()
    while goal_id is not None and goal_id not in seen:
        seen.add(goal_id)
        goal_id = goal_rollup(organization=actor.organization, goal_id=goal_id)


def goal_rollup(*, organization, goal_id: int) -> int | None:
    """Recompute one goal's progress, confidence and last check-in; return its parent's id."""
    goal = Goal.objects.for_org(organization).select_for_update().filter(pk=goal_id).first()
    if goal is None:
        return None
    krs = list(
        KeyResult.objects.for_org(organization)
        .filter(goal_id=goal_id)
        .values_list("progress", "weight", "confidence", "last_check_in_at")
    )
    children = list(
        Goal.objects.for_org(organization)
        .filter(parent_id=goal_id)
        .values_list("progress", "weight", "confidence", "last_check_in_at")
    )
    progress = rules.weighted_progress((p, w) for p, w, _, _ in krs + children)
    # A goal is as confident as its weakest key result; with none, as its children on average.
    kr_conf = [c for _, _, c, _ in krs if c is not None]
    child_conf = [c for _, _, c, _ in children if c is not None]
    confidence = min(kr_conf) if kr_conf else round(sum(child_conf) / len(child_conf)) if child_conf else None
    dates = [d for *_, d in krs + children if d is not None]
    last = max(dates) if dates else None
    if (goal.progress, goal.confidence, goal.last_check_in_at) != (progress, confidence, last):
        Goal.objects.for_org(organization).filter(pk=goal_id).update(
            progress=progress, confidence=confidence, last_check_in_at=last
        )
    return goal.parent_id
