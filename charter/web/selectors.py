"""Reads that compose several domains for the pages of charter.web: home, team page, first-run guide."""

from datetime import timedelta

from django.apps import apps
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from charter.core.actor import Actor
from charter.goals import rules
from charter.goals.models import CheckIn, Cycle, Goal, KeyResult
from charter.goals.rows import BY_SEVERITY
from charter.goals.selectors import (
    cycle_current,
    goal_list,
    mission_and_cycles,
    severity_case,
)
from charter.mission.selectors import mission_get
from charter.organizations.models import Membership
from charter.organizations.selectors import team_get

from . import queries

# A key result waits for its owner's check-in after this long: check-ins are weekly.
CHECK_IN_DUE_DAYS = 7
# The home page shows the most urgent goals needing attention; the count says how many there are.
ATTENTION_SHOWN = 10


def home_overview(*, actor: Actor) -> dict:
    """Everything the home page shows, in a fixed number of queries whatever the number of goals.

    Of the current cycle's goals only those shown are read, as plain rows: the person's own and their
    teams', and the most urgent ones needing attention; the database finds those by status
    (`goals.rows.severity_sql`) and counts them, so the page costs the same for 60 goals or 6,000.
    """
    mission, cycles = mission_and_cycles(actor=actor)
    cycle = cycle_current(actor=actor, cycles=cycles)
    rows = _home_goal_rows(actor, cycle) if cycle else []
    by_id = {g["id"]: g for g in rows}
    user_id, team_ids = actor.user_id, actor.team_ids  # a property: read once, not once per goal
    # Hers: she is accountable for it or owns one of its key results (what the check-in page asks of her);
    # her teams' other goals are listed apart.
    mine = [g for g in rows if g["shown"] and (g["owner_id"] == user_id or g["krs_mine"])]
    mine_ids = {g["id"] for g in mine}
    teams = [g for g in rows if g["shown"] and g["team_id"] in team_ids and g["id"] not in mine_ids]
    shown = mine_ids | {g["id"] for g in teams}
    attention = sorted((g for g in rows if g["urgent"]), key=lambda g: g["severity"])  # stable: by title
    return {
        "mission": mission,
        "cycle": cycle,
        "my_goals": mine,
        "team_goals": teams,
        "waiting": _waiting_key_results(actor, cycle),
        "attention": attention,
        "attention_count": attention[0]["attention_count"] if attention else 0,
        "chains": [{"goal": g, "ancestors": goal_chain(g, by_id)} for g in rows if g["id"] in shown],
    }


_HOME_COLUMNS = queries.HOME_COLUMNS
_NEEDS_ATTENTION = BY_SEVERITY.index(rules.ON_TRACK)  # severities below this one need attention


def _home_goal_rows(actor: Actor, cycle) -> list[dict]:
    """The cycle's goals the home page shows and the goals above them, as plain rows: `pk`, `title`,
    `level`, `team_name`, `owner_name`, the roll-up columns. The cycle's goals shown are the person's and
    their teams' and the ATTENTION_SHOWN most urgent needing attention (`urgent`: worst first, then by
    title); they come by title with their `status` and the cycle's `attention_count`, the goals above
    them (in any cycle) after them, without. Two queries: the database computes every goal's status,
    picks and counts the urgent ones; then it climbs the parent links of those shown."""
    severity = severity_case([cycle], timezone.now(), actor.organization.stale_days, alias="g")
    found = queries.home_goal_rows(
        organization_id=actor.organization_id,
        user_id=actor.user_id,
        cycle_id=cycle.pk,
        severity=severity,
        needs_attention=_NEEDS_ATTENTION,
        shown=ATTENTION_SHOWN,
    )
    n, rows = len(_HOME_COLUMNS), []
    for values in found:
        row = dict(zip(_HOME_COLUMNS, values[:n], strict=True))
        severity, team_name, team_parent_id, owner_name, urgent, count, krs_mine = values[n:]
        row.update(
            pk=row["id"],
            team_name=team_name,
            level="strategic" if row["team_id"] is None or team_parent_id is None else "team",  # `Goal.level`
            owner_name=owner_name,  # `str(User)`: the full name, else the email
            shown=severity is not None,  # else a goal above those shown
            urgent=bool(urgent),
            krs_mine=bool(krs_mine),  # she owns one of its key results
        )
        if severity is not None:
            row.update(status=BY_SEVERITY[severity], severity=severity, attention_count=count)
        rows.append(row)
    return rows


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


GUIDE_STEPS = ("mission", "goal", "key_result", "team", "check_in")


def _invite_url() -> str:
    """Where to invite people: the invitations page when this installation has one, else adding a person."""
    for name in ("invitation_create", "invitation_list"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return reverse("person_create")


def _pending_invitations(org) -> bool:
    """Whether someone has been invited and not yet answered: read only where this installation has
    invitations (`organizations.Invitation`); without them the team step counts members only."""
    try:
        invitation = apps.get_model("organizations", "Invitation")
    except LookupError:
        return False
    pending = invitation.objects.for_org(org).filter(accepted_at__isnull=True, revoked_at__isnull=True)
    return pending.filter(expires_at__gt=timezone.now()).exists()


def guide_steps(*, actor: Actor) -> dict:
    """The first-run steps, in order, each done or not from the organization's real data (a few EXISTS):
    a mission statement; a goal with intent (purpose and end state); a key result; the team (at least two
    active members, or a pending invitation where this installation has invitations); a check-in. Each
    step links to where it is done; the key-result step to the first goal with intent that has none yet."""
    org = actor.organization
    mission = mission_get(actor=actor)
    goals = Goal.objects.for_org(org)
    with_intent = goals.exclude(purpose__regex=r"^\s*$").exclude(end_state__regex=r"^\s*$")
    first_goal = with_intent.order_by("created_at", "id").only("id", "title").first()
    needs_krs = with_intent.filter(key_results__isnull=True).order_by("created_at", "id").only("id", "title")
    needs_krs = needs_krs.first()
    has_kr = KeyResult.objects.for_org(org).exists()
    members = Membership.objects.for_org(org).filter(is_active=True, user__is_active=True).count()
    invited = members < 2 and _pending_invitations(org)
    checked_in = CheckIn.objects.for_org(org).exists()
    kr_goal = needs_krs or first_goal
    steps = [
        {"key": "mission", "done": mission.is_defined, "url": reverse("mission_edit")},
        {"key": "goal", "done": first_goal is not None, "goal": first_goal, "url": reverse("goal_create")},
        {
            "key": "key_result",
            "done": has_kr,
            "goal": kr_goal,
            "url": reverse("key_result_create", args=[kr_goal.pk]) if kr_goal else reverse("goal_create"),
        },
        {"key": "team", "done": members >= 2 or invited, "members": members, "url": _invite_url()},
        {"key": "check_in", "done": checked_in, "url": reverse("check_in_week")},
    ]
    done = sum(s["done"] for s in steps)
    return {"mission": mission, "steps": steps, "done": done, "total": len(steps)}
