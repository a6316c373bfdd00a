"""Row counts and snapshots for comparing organizations in command-line tests."""

from charter.core.models import AuditEvent
from charter.goals.models import CheckIn, Cycle, Goal, KeyResult
from charter.mission.models import Mission, MissionRevision
from charter.organizations.models import ApiToken, Membership, Organization, Team, TeamMembership, User

COUNTED = [
    Organization,
    User,
    Membership,
    Team,
    TeamMembership,
    ApiToken,
    Mission,
    MissionRevision,
    Cycle,
    Goal,
    KeyResult,
    CheckIn,
    AuditEvent,
]


def row_counts() -> dict[str, int]:
    """Every table the import may write, counted across all organizations."""
    return {m.__name__: m._base_manager.count() for m in COUNTED}


def snapshot(org, skip_emails=()) -> dict:
    """What an export and import must carry over, without ids."""
    mission = Mission.objects.for_org(org).get()
    people = {
        (m.user.email, m.user.full_name, m.role, m.title, m.is_active)
        for m in Membership.objects.for_org(org).select_related("user")
        if m.user.email not in skip_emails
    }
    teams = {
        (
            t.name,
            t.parent and t.parent.name,
            t.description,
            frozenset((tm.user.email, tm.is_lead) for tm in t.memberships.select_related("user")),
        )
        for t in Team.objects.for_org(org).select_related("parent")
    }
    cycles = {(c.name, c.starts_on, c.ends_on, c.state) for c in Cycle.objects.for_org(org)}
    goals = {
        (
            g.title,
            g.cycle.name,
            g.team and g.team.name,
            g.owner.email,
            g.description,
            g.purpose,
            g.end_state,
            g.constraints,
            g.freedoms,
            g.parent and g.parent.title,
            frozenset(s.title for s in g.supports.all()),
            g.weight,
            round(g.progress, 9),
            g.confidence,
            g.last_check_in_at,
        )
        for g in Goal.objects.for_org(org).select_related("cycle", "team", "owner", "parent")
    }
    key_results = {
        (
            k.goal.title,
            k.position,
            k.title,
            k.kind,
            k.unit,
            k.start,
            k.target,
            k.target_max,
            k.current,
            k.weight,
            k.owner and k.owner.email,
            round(k.progress, 9),
            k.confidence,
            k.last_check_in_at,
        )
        for k in KeyResult.objects.for_org(org).select_related("goal", "owner")
    }
    check_ins = sorted(
        (
            c.key_result.title,
            c.checked_at,
            c.value,
            c.confidence,
            c.note,
            c.author and c.author.email,
            c.is_late,
        )
        for c in CheckIn.objects.for_org(org).select_related("key_result", "author")
    )
    return {
        "mission": (mission.statement, mission.vision, mission.values),
        "people": people,
        "teams": teams,
        "cycles": cycles,
        "goals": goals,
        "key_results": key_results,
        "check_ins": check_ins,
    }
