"""Goals: create, change, move and delete, keeping alignment acyclic and roll-ups current."""

from django.db import transaction

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.core.events import publish
from charter.organizations.models import Membership, Team

from .. import rules
from ..models import Cycle, Goal
from ..revisions import record_revision
from .access import _require_goal_edit, may_edit_goal, require_goal_placement
from .rollup import _rollup_chain

GOAL_TEXT_FIELDS = ("title", "description", "purpose", "end_state", "constraints", "freedoms")


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
    require_goal_placement(actor, goal)
    with transaction.atomic():
        goal.save()
        goal.supports.set(_supports(actor, None, supports_ids or []))
        audit(actor, "goal.create", goal, {"title": goal.title, "parent_id": parent_id})
        _rollup_chain(actor, goal.parent_id)
        publish("goal.created", actor=actor, goal=goal)
    return goal


def goal_update(
    *, actor: Actor, goal_id: int, version: int | None = None, reason: str = "", **values
) -> Goal:
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
        if "team_id" in changes or "owner_id" in changes:
            require_goal_placement(actor, goal)
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
            record_revision(actor, goal, changes, reason)
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
