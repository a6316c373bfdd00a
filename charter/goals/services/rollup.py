"""Roll-ups: a goal's stored progress, confidence and last check-in, recomputed bottom up."""

from charter.core.actor import Actor

from .. import rules
from ..models import Goal, KeyResult


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
