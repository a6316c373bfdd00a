"""Every write of cycle reviews: grades, adaptations (carry over, revise, drop) and retrospectives.

A closed cycle's review is locked: every write is refused before anything else is looked at.
"""

from django.db import transaction
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.goals.models import Cycle, Goal
from charter.goals.services import (
    GOAL_TEXT_FIELDS,
    goal_create,
    goal_update,
    key_result_create,
    key_result_update,
)
from charter.organizations.models import Team
from charter.organizations.permissions import ROLES_THAT_EDIT_EVERYTHING

from . import rules
from .models import CycleReview, GoalGrade

RETRO_FIELDS = ("what_worked", "what_did_not", "what_we_change")
REVISE_KR_FIELDS = ("title", "target", "target_max", "unit")


def may_review(actor: Actor, team_id: int | None) -> bool:
    """Leaders review every team; members the teams they belong to or lead."""
    if not actor.can("review.write"):
        return False
    if actor.role in ROLES_THAT_EDIT_EVERYTHING:
        return True
    return team_id is not None and (team_id in actor.team_ids or team_id in actor.lead_team_ids)


def _require_open(cycle: Cycle) -> None:
    reason = rules.lock_reason(cycle.name, cycle.state)
    if reason:
        raise Conflict(reason)


def _require_reviewer(actor: Actor, team_id: int | None, what: str) -> None:
    if not may_review(actor, team_id):
        raise PermissionDenied(f"Only the team's members or leaders review {what}.")


def _goal(actor: Actor, goal_id: int) -> Goal:
    goal = (
        Goal.objects.for_org(actor.organization)
        .select_related("cycle", "team", "organization")
        .filter(pk=goal_id)
        .first()
    )
    if goal is None:
        raise NotFound("No such goal.")
    _require_open(goal.cycle)
    _require_reviewer(actor, goal.team_id, f"“{goal.title}”")
    return goal


def _grade_row(actor: Actor, goal: Goal) -> GoalGrade:
    grade, _ = (
        GoalGrade.objects.for_org(actor.organization)
        .select_for_update()
        .get_or_create(
            organization=actor.organization, goal=goal, cycle=goal.cycle, defaults={"team": goal.team}
        )
    )
    return grade


def goal_grade(*, actor: Actor, goal_id: int, grade: float | None) -> GoalGrade:
    """Grade a goal 0.0-1.0; the suggestion from its progress is kept beside the grade."""
    actor.require("review.write")
    errors = rules.grade_errors(grade)
    with transaction.atomic():
        goal = _goal(actor, goal_id)
        if errors:
            raise ValidationError("The grade is not valid.", errors={"grade": errors})
        row = _grade_row(actor, goal)
        changes = changed_fields(
            row, {"grade": round(grade, 2), "suggested_grade": rules.suggested_grade(goal.progress)}
        )
        row.graded_by, row.graded_at = actor.user, timezone.now()
        row.save()
        audit(actor, "goal_grade.grade", row, changes)
    return row


def goal_adapt(
    *,
    actor: Actor,
    goal_id: int,
    adaptation: str,
    reason: str = "",
    to_cycle_id: int | None = None,
    goal_changes: dict | None = None,
    key_result_changes: list[dict] | None = None,
) -> GoalGrade:
    """Decide what happens to a goal next: keep, carry over (a copy in another cycle), revise, or drop."""
    actor.require("review.write")
    if adaptation not in GoalGrade.Adaptation.values:
        choices = ", ".join(GoalGrade.Adaptation.values)
        raise ValidationError(f"Unknown adaptation {adaptation!r}; one of {choices}.", field="adaptation")
    reason = (reason or "").strip()
    with transaction.atomic():
        goal = _goal(actor, goal_id)
        row = _grade_row(actor, goal)
        if row.carried_to_id and adaptation != GoalGrade.Adaptation.CARRY_OVER:
            raise Conflict(f"“{goal.title}” was already carried over; that copy stays.")
        if adaptation in (GoalGrade.Adaptation.DROP, GoalGrade.Adaptation.REVISE) and not reason:
            raise ValidationError("Say why, so the team remembers.", field="reason")
        if adaptation == GoalGrade.Adaptation.CARRY_OVER:
            row.carried_to = _carry_over(actor, goal, row, to_cycle_id)
        elif adaptation == GoalGrade.Adaptation.REVISE:
            _revise(actor, goal, reason, goal_changes or {}, key_result_changes or [])
        changes = changed_fields(row, {"adaptation": adaptation, "adaptation_reason": reason})
        row.save()
        audit(actor, "goal_grade.adapt", row, {**changes, "carried_to_id": row.carried_to_id})
    return row


def _carry_over(actor: Actor, goal: Goal, row: GoalGrade, to_cycle_id: int | None) -> Goal:
    """A copy of the goal in the chosen cycle: intent and key results, starting where these ended."""
    if row.carried_to_id:
        raise Conflict(f"“{goal.title}” was already carried over.")
    target = Cycle.objects.for_org(actor.organization).filter(pk=to_cycle_id).first() if to_cycle_id else None
    if target is None or target.pk == goal.cycle_id or target.state == Cycle.State.CLOSED:
        raise ValidationError(
            "Choose another cycle that is not closed to carry the goal over to.", field="to_cycle_id"
        )
    parent_in_target = Goal.objects.for_org(actor.organization).filter(pk=goal.parent_id, cycle=target)
    copy = goal_create(
        actor=actor,
        cycle_id=target.pk,
        owner_id=goal.owner_id,
        team_id=goal.team_id,
        parent_id=goal.parent_id if parent_in_target.exists() else None,
        weight=goal.weight,
        **{field: getattr(goal, field) for field in GOAL_TEXT_FIELDS},
    )
    for kr in goal.key_results.all():
        start = kr.start if kr.current is None else kr.current
        key_result_create(
            actor=actor,
            goal_id=copy.pk,
            title=kr.title,
            kind=kr.kind,
            start=start,
            target=kr.target,
            target_max=kr.target_max,
            unit=kr.unit,
            weight=kr.weight,
            owner_id=kr.owner_id,
            current=start,
        )
    return copy


def _revise(actor: Actor, goal: Goal, reason: str, goal_changes: dict, kr_changes: list[dict]) -> None:
    """Change the goal and its key results through the goals services, with the reason in their history."""
    unknown = set(goal_changes) - set(GOAL_TEXT_FIELDS)
    if unknown:
        raise ValidationError(f"A revision changes the goal's texts only, not {', '.join(sorted(unknown))}.")
    krs = {kr.pk: kr for kr in goal.key_results.all()}
    changed = goal_update(actor=actor, goal_id=goal.pk, reason=reason, **goal_changes).version != goal.version
    for values in kr_changes:
        values = {**values}
        kr = krs.get(values.pop("id", None))
        if kr is None:
            raise ValidationError(f"“{goal.title}” has no such key result.", field="key_results")
        fields = {k: v for k, v in values.items() if k in REVISE_KR_FIELDS}
        updated = key_result_update(actor=actor, key_result_id=kr.pk, reason=reason, **fields)
        changed = changed or updated.version != kr.version
    if not changed:
        raise ValidationError("The revision changes nothing: change the intent, a target or a key result.")


# ---- retrospectives -------------------------------------------------------------------------------


def review_write(*, actor: Actor, cycle_id: int, team_id: int, **texts) -> CycleReview:
    """Write (or rewrite) a team's retrospective of a cycle; creates the team's review when needed."""
    actor.require("review.write")
    unknown = set(texts) - set(RETRO_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown retrospective fields: {', '.join(sorted(unknown))}.")
    org = actor.organization
    with transaction.atomic():
        cycle = Cycle.objects.for_org(org).filter(pk=cycle_id).first()
        team = Team.objects.for_org(org).filter(pk=team_id).first()
        if cycle is None or team is None:
            raise NotFound("No such cycle." if cycle is None else "No such team.")
        _require_open(cycle)
        _require_reviewer(actor, team.pk, f"the retrospective of {team.name}")
        values = {k: (texts.get(k) or "").strip() for k in RETRO_FIELDS}
        if not any(values.values()):
            raise ValidationError(
                "Write at least one part of the retrospective.", errors={k: ["Empty."] for k in RETRO_FIELDS}
            )
        review, _ = (
            CycleReview.objects.for_org(org)
            .select_for_update()
            .get_or_create(organization=org, cycle=cycle, team=team)
        )
        changes = changed_fields(review, values)
        review.submitted_by, review.submitted_at = actor.user, timezone.now()
        review.save()
        audit(actor, "cycle_review.write", review, changes)
    return review


def review_update(*, actor: Actor, review_id: int, **texts) -> CycleReview:
    actor.require("review.write")
    review = CycleReview.objects.for_org(actor.organization).filter(pk=review_id).first()
    if review is None:
        raise NotFound("No such review.")
    return review_write(actor=actor, cycle_id=review.cycle_id, team_id=review.team_id, **texts)
