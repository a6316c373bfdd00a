"""Reads that compose several domains for the pages of charter.web: home, team page, first-run guide."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from charter.core.actor import Actor
from charter.goals import rules
from charter.goals.models import Cycle, Goal, KeyResult
from charter.goals.rows import status_of
from charter.goals.selectors import check_in_list, cycle_current, goal_list, mission_and_cycles
from charter.mission.selectors import mission_get
from charter.organizations.selectors import team_get, team_list

# A key result waits for its owner's check-in after this long: check-ins are weekly.
CHECK_IN_DUE_DAYS = 7
# The home page shows the most urgent goals needing attention; the count says how many there are.
ATTENTION_SHOWN = 10
_ATTENTION = [rules.OFF_TRACK, rules.AT_RISK, rules.STALE]


def home_overview(*, actor: Actor) -> dict:
    """Everything the home page shows, in a fixed number of queries whatever the number of goals.

    The current cycle's goals are read as plain rows (the columns shown and those status needs), not
    as model instances: the page shows a few dozen of the cycle's hundreds of goals.
    """
    mission, cycles = mission_and_cycles(actor=actor)
    cycle = cycle_current(actor=actor, cycles=cycles)
    # The current cycle's goals only (the organization's other cycles may hold thousands).
    in_cycle = _goal_rows(actor, cycle_id=cycle.pk) if cycle else []
    _add_status(in_cycle, cycle, actor.organization.stale_days)
    by_id = {g["id"]: g for g in in_cycle}
    user_id, team_ids = actor.user_id, actor.team_ids  # a property: read once, not once per goal
    mine = [g for g in in_cycle if g["owner_id"] == user_id or g["team_id"] in team_ids]
    _load_ancestors(actor, mine, by_id)
    attention = sorted(
        (g for g in in_cycle if g["status"] in _ATTENTION), key=lambda g: _ATTENTION.index(g["status"])
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


_ROW_FIELDS = (
    "id", "title", "parent_id", "team_id", "owner_id", "progress", "confidence", "last_check_in_at",
    "created_at", "team__name", "team__parent_id", "owner__full_name", "owner__email",
)  # fmt: skip


def _goal_rows(actor: Actor, **filters) -> list[dict]:
    """Goals as dicts with what the home page shows: `pk`, `title`, `level`, `team_name`, `owner_name`,
    the roll-up columns; ordered by title as `goal_list` is."""
    rows = list(
        Goal.objects.for_org(actor.organization)
        .filter(**filters)
        .order_by("title", "id")
        .values(*_ROW_FIELDS)
    )
    for row in rows:
        row["pk"] = row["id"]
        row["team_name"] = row.pop("team__name")
        team_parent_id = row.pop("team__parent_id")
        # The same rule as `Goal.level` and `str(User)`.
        row["level"] = "strategic" if row["team_id"] is None or team_parent_id is None else "team"
        full_name, email = row.pop("owner__full_name"), row.pop("owner__email")
        row["owner_name"] = full_name or email
    return rows


def _add_status(rows: list[dict], cycle, stale_days: int) -> None:
    """Each row's status by the rules `Goal.status` uses, from the cycle's dates."""
    now = timezone.now()
    for row in rows:
        row["status"] = status_of(row, now, stale_days, cycle)


def _load_ancestors(actor: Actor, goals: list[dict], by_id: dict) -> None:
    """Add to `by_id` the goals that `goals` contribute to in other cycles: one query per such level."""
    missing = {g["parent_id"] for g in goals if g["parent_id"] and g["parent_id"] not in by_id}
    while missing:
        found = _goal_rows(actor, pk__in=sorted(missing))
        by_id.update((g["id"], g) for g in found)
        missing = {g["parent_id"] for g in found if g["parent_id"] and g["parent_id"] not in by_id}


def goal_chain(goal: dict, by_id: dict) -> list[dict]:
    """The goals `goal` contributes to, nearest first, from goals already loaded (no query)."""
    chain, seen, node = [], {goal["id"]}, by_id.get(goal["parent_id"])
    while node is not None and node["id"] not in seen:
        chain.append(node)
        seen.add(node["id"])
        node = by_id.get(node["parent_id"])
    return chain


def _waiting_key_results(actor: Actor, cycle) -> list:
    """The person's key results of the cycle (as `my_key_results` picks them) with no check-in for a
    week; only the goal's title is joined, as the panel shows."""
    if cycle is None or cycle.state == Cycle.State.CLOSED:
        return []
    due = timezone.now() - timedelta(days=CHECK_IN_DUE_DAYS)
    mine = Q(owner_id=actor.user_id) | Q(owner__isnull=True, goal__owner_id=actor.user_id)
    return list(
        KeyResult.objects.for_org(actor.organization)
        .filter(mine, goal__cycle_id=cycle.pk)
        .filter(Q(last_check_in_at__isnull=True) | Q(last_check_in_at__lt=due))
        .select_related("goal")
        .only("title", "last_check_in_at", "goal__title")
        .order_by("goal__title", "position", "id")
    )


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
