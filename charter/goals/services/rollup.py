"""Roll-ups: a goal's stored progress, confidence and last check-in, recomputed bottom up."""

from collections import defaultdict

from charter.core.actor import Actor

from .. import queries, rules
from ..models import Goal, KeyResult


def _locked_chain(organization, goal_id: int) -> list[Goal]:
    """The goal and the goals above it, locked bottom up (SQLite: the transaction holds the write lock)."""
    goals = queries.locked_chain(organization_id=organization.pk, goal_id=goal_id)
    for goal in goals:
        goal.organization = organization  # the same row the actor holds: no query for it later
    return goals


# Plain SQL from here on (`queries`): it runs while the chain is locked, and every other check-in under the
# same top goal waits for that lock, so building querysets there (about 3 ms of CPU) is time others wait.


def _rows_below(organization, chain_ids: list[int]) -> tuple[dict, dict]:
    """The key results and the child goals of every goal in the chain, in one query."""
    by_goal, children = defaultdict(list), defaultdict(list)
    for child, parent_id, child_id, progress, weight, confidence, moment in queries.rows_below(
        organization_id=organization.pk, goal_ids=chain_ids
    ):
        row = (progress, weight, confidence, moment)
        if child:
            children[parent_id].append((child_id, *row))
        else:
            by_goal[parent_id].append(row)
    return by_goal, children


def _write_rollups(organization, goals: list[Goal]) -> None:
    queries.write_rollups(organization_id=organization.pk, goals=goals)


def _rollup_chain(actor: Actor, goal_id: int | None) -> Goal | None:
    """Recompute the stored roll-ups of a goal and every goal it contributes to, bottom up.

    A constant number of queries whatever the depth: the chain read and locked bottom up (one
    recursive query), the key results and the children of every goal in it (one), the changes (one
    bulk UPDATE). Returns the first goal, locked and with its new roll-up, or None."""
    if goal_id is None:
        return None
    organization = actor.organization
    by_id = {g.pk: g for g in _locked_chain(organization, goal_id)}
    if not by_id:
        return None
    chain = []  # the chain as it stands under the locks (a move may have changed it meanwhile)
    pk = goal_id
    while pk is not None and pk in by_id and by_id[pk] not in chain:
        chain.append(by_id[pk])
        pk = by_id[pk].parent_id
    chain_ids = [g.pk for g in chain]
    krs, children = _rows_below(organization, chain_ids)
    changed = []
    below = None  # the goal just recomputed: its parent reads its new values
    for goal in chain:
        child_rows = [
            (below.progress, w, below.confidence, below.last_check_in_at)
            if below is not None and cid == below.pk
            else (p, w, c, d)
            for cid, p, w, c, d in children[goal.pk]
        ]
        progress, confidence, last = _compute(krs[goal.pk], child_rows)
        if (goal.progress, goal.confidence, goal.last_check_in_at) != (progress, confidence, last):
            goal.progress, goal.confidence, goal.last_check_in_at = progress, confidence, last
            changed.append(goal)
        below = goal
    if changed:
        _write_rollups(organization, changed)
    if pk is not None and pk not in chain_ids:
        _rollup_levels(organization, pk)  # the chain moved after it was read: finish level by level
    return chain[0] if chain else None


def _compute(krs: list, children: list):
    progress = rules.weighted_progress((p, w) for p, w, _, _ in krs + children)
    # A goal is as confident as its weakest key result; with none, as its children on average.
    kr_conf = [c for _, _, c, _ in krs if c is not None]
    child_conf = [c for _, _, c, _ in children if c is not None]
    confidence = min(kr_conf) if kr_conf else round(sum(child_conf) / len(child_conf)) if child_conf else None
    dates = [d for *_, d in krs + children if d is not None]
    last = max(dates) if dates else None
    return progress, confidence, last


def _rollup_levels(organization, goal_id: int | None) -> None:
    seen = set()
    while goal_id is not None and goal_id not in seen:
        seen.add(goal_id)
        goal_id = goal_rollup(organization=organization, goal_id=goal_id)


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
    progress, confidence, last = _compute(krs, children)
    if (goal.progress, goal.confidence, goal.last_check_in_at) != (progress, confidence, last):
        Goal.objects.for_org(organization).filter(pk=goal_id).update(
            progress=progress, confidence=confidence, last_check_in_at=last
        )
    return goal.parent_id
