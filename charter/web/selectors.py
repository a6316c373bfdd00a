"""Reads that compose several domains for the pages of charter.web: home, team page, first-run guide."""

from datetime import timedelta

from django.utils import timezone

from charter.core.actor import Actor
from charter.goals import rules
from charter.goals.selectors import check_in_list, cycle_current, goal_list, my_key_results
from charter.mission.selectors import mission_get
from charter.organizations.selectors import team_get, team_list

# A key result waits for its owner's check-in after this long: check-ins are weekly.
CHECK_IN_DUE_DAYS = 7
# The home page shows the most urgent goals needing attention; the count says how many there are.
ATTENTION_SHOWN = 10
_ATTENTION = [rules.OFF_TRACK, rules.AT_RISK, rules.STALE]


def home_overview(*, actor: Actor) -> dict:
    """Everything the home page shows, in a fixed number of queries whatever the number of goals."""
    mission = mission_get(actor=actor)
    cycle = cycle_current(actor=actor)
    # The current cycle's goals only (the organization's other cycles may hold thousands).
    in_cycle = goal_list(actor=actor, cycle_id=cycle.pk) if cycle else []
    by_id = {g.pk: g for g in in_cycle}
    mine = [g for g in in_cycle if g.owner_id == actor.user_id or g.team_id in actor.team_ids]
    _load_ancestors(actor, mine, by_id)
    attention = sorted(
        (g for g in in_cycle if g.status in _ATTENTION), key=lambda g: _ATTENTION.index(g.status)
    )
    return {
        "mission": mission,
        "cycle": cycle,
        "my_goals": mine,
        "waiting": _waiting_key_results(actor, cycle),
        "attention": attention[:ATTENTION_SHOWN],
        "attention_count": len(attention),
        "chains": [{"goal": g, "ancestors": goal_chain(g, by_id)} for g in mine],
    }


def _load_ancestors(actor: Actor, goals: list, by_id: dict) -> None:
    """Add to `by_id` the goals that `goals` contribute to in other cycles: one query per such level."""
    missing = {g.parent_id for g in goals if g.parent_id and g.parent_id not in by_id}
    while missing:
        found = goal_list(actor=actor, ids=sorted(missing))
        by_id.update((g.pk, g) for g in found)
        missing = {g.parent_id for g in found if g.parent_id and g.parent_id not in by_id}


def goal_chain(goal, by_id: dict) -> list:
    """The goals `goal` contributes to, nearest first, from goals already loaded (no query)."""
    chain, seen, node = [], {goal.pk}, by_id.get(goal.parent_id)
    while node is not None and node.pk not in seen:
        chain.append(node)
        seen.add(node.pk)
        node = by_id.get(node.parent_id)
    return chain


def _waiting_key_results(actor: Actor, cycle) -> list:
    if cycle is None:
        return []
    due = timezone.now() - timedelta(days=CHECK_IN_DUE_DAYS)
    return [
        kr
        for kr in my_key_results(actor=actor, cycle_id=cycle.pk)
        if kr.last_check_in_at is None or kr.last_check_in_at < due
    ]


def team_overview(*, actor: Actor, team_id: int) -> dict:
    """A team with its members and child teams, and its goals in the current cycle."""
    team = team_get(actor=actor, team_id=team_id)
    cycle = cycle_current(actor=actor)
    goals = goal_list(actor=actor, cycle_id=cycle.pk, team_id=team.pk) if cycle else []
    return {"team": team, "cycle": cycle, "goals": goals}


def guide_steps(*, actor: Actor) -> dict:
    """The four first-run steps, each done or not from the organization's real data."""
    mission = mission_get(actor=actor)
    goals = goal_list(actor=actor, with_key_results=True)
    strategic = [g for g in goals if g.level == "strategic" and g.has_intent and g.key_results.all()]
    teams = [t for t in team_list(actor=actor) if t.member_count]
    checked_in = bool(list(check_in_list(actor=actor, limit=1)))
    steps = [
        {"key": "mission", "done": mission.is_defined and bool(mission.values)},
        {"key": "goal", "done": bool(strategic), "goal": strategic[0] if strategic else None},
        {"key": "team", "done": bool(teams), "team": teams[0] if teams else None},
        {"key": "check_in", "done": checked_in},
    ]
    return {"mission": mission, "steps": steps, "done": sum(s["done"] for s in steps)}
