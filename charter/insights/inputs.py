"""The inputs of the indicators for one organization or team and one cycle, in constant queries."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, IntegerField, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from charter.backbriefs.models import BackBrief
from charter.core.actor import Actor
from charter.delegation import rules as delegation_rules
from charter.delegation.models import AdviceAnswer, DecisionDomain, DelegationLevel
from charter.delegation.selectors import decision_list
from charter.goals.models import CheckIn, Goal, KeyResult
from charter.goals.rows import status_of
from charter.ideas.models import Idea, IdeaTransition
from charter.organizations.models import Membership, Team, TeamMembership

from . import rules

TEAM_DECIDES_FROM = rules.TEAM_DECIDES_FROM_LEVEL


@dataclass
class Scope:
    """An organization (team None) or a team with its sub-teams, in one cycle."""

    actor: Actor
    cycle: object
    team: object = None
    team_ids: set[int] | None = None  # None: the whole organization
    parent_of: dict[int, int | None] = field(default_factory=dict)
    shared: dict = field(default_factory=dict)  # organization-wide reads, shared by scopes computed together

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cycle.starts_on, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cycle.ends_on, time.max))

    def team_filter(self, name: str = "team_id") -> dict:
        return {} if self.team_ids is None else {f"{name}__in": self.team_ids}


def descendants(team_id: int, parent_of: dict[int, int | None]) -> set[int]:
    return {t for t in parent_of if team_id in delegation_rules.ancestors(t, parent_of)}


def make_scope(actor: Actor, cycle, team, shared: dict | None = None) -> Scope:
    """The scope; `shared` (one dict for the scopes computed together) keeps organization-wide reads."""
    shared = {} if shared is None else shared
    if "parent_of" not in shared:
        shared["parent_of"] = dict(Team.objects.for_org(actor.organization).values_list("id", "parent_id"))
    parent_of = shared["parent_of"]
    team_ids = descendants(team.pk, parent_of) if team is not None else None
    return Scope(actor=actor, cycle=cycle, team=team, team_ids=team_ids, parent_of=parent_of, shared=shared)


def goals(scope: Scope) -> list[Goal]:
    qs = Goal.objects.for_org(scope.actor.organization).filter(cycle=scope.cycle, **scope.team_filter())
    return list(qs.select_related("cycle", "organization", "team", "owner").order_by("title", "id"))


GOAL_COLUMNS = (
    "id",
    "team_id",
    "purpose",
    "end_state",
    "progress",
    "confidence",
    "last_check_in_at",
    "created_at",
)


def goal_rows(scope: Scope) -> list:
    """The scope's goals of the cycle as plain rows (attributes named as the model's fields), without
    instances: what status, intent and alignment need."""
    qs = Goal.objects.for_org(scope.actor.organization).filter(cycle=scope.cycle, **scope.team_filter())
    return list(qs.order_by().values_list(*GOAL_COLUMNS, named=True))


def has_intent(goal) -> bool:
    """As `Goal.has_intent`, on a row."""
    return bool(goal.purpose.strip() and goal.end_state.strip())


def goal_status(goal, scope: Scope, now: datetime) -> str:
    """As `Goal.status`, on a row: the goals' own rule."""
    return status_of(goal._asdict(), now, scope.actor.organization.stale_days, scope.cycle)


def parent_chains(scope: Scope) -> dict[int, tuple[int | None, int | None]]:
    """goal id -> (parent id, team id) for every goal of the organization, for the alignment walk; read
    once for all the scopes computed together."""
    if "chains" not in scope.shared:
        rows = (
            Goal.objects.for_org(scope.actor.organization)
            .order_by()
            .values_list("id", "parent_id", "team_id")
        )
        scope.shared["chains"] = {pk: (parent, team) for pk, parent, team in rows}
    return scope.shared["chains"]


def key_result_kinds(scope: Scope) -> list[tuple[str, str]]:
    """(title, kind) of the key results of the scope's goals of the cycle: Focus counts the task-like ones."""
    krs = KeyResult.objects.for_org(scope.actor.organization).filter(
        goal__cycle_id=scope.cycle.pk, **scope.team_filter("goal__team_id")
    )
    return list(krs.order_by().values_list("title", "kind"))


LATE = 1_000_000  # the week of a moment after today's week: outside every count


def _week_of(field: str, ends: list[datetime], since: datetime, before: int) -> Case:
    """The cycle week of a moment by its local date, as `rules.week_index` (ends[k]: the local midnight
    that ends week k); `before` for a moment before the cycle, LATE after the last end."""
    whens = [When(**{f"{field}__lt": since}, then=Value(before))]
    whens += [When(**{f"{field}__lt": end}, then=Value(k)) for k, end in enumerate(ends)]
    return Case(*whens, default=Value(LATE), output_field=IntegerField())


def check_in_weeks(scope: Scope, today: date) -> tuple[int, int]:
    """(key-result weeks with a check-in, key-result weeks expected) of the cycle up to today's week,
    each key result from the week it is tracked from (its creation, or the start a goals file gave it):
    `rules.check_in_participation`, counted in SQL."""
    starts_on, since = scope.cycle.starts_on, scope.since
    current = rules.week_index(today, starts_on)
    if current < 0:
        return 0, 0
    ends = [
        timezone.make_aware(datetime.combine(starts_on + timedelta(days=7 * (k + 1)), time.min))
        for k in range(current + 1)
    ]
    org = scope.actor.organization
    krs = KeyResult.objects.for_org(org).filter(
        goal__cycle_id=scope.cycle.pk, **scope.team_filter("goal__team_id")
    )
    krs = krs.alias(tracked_from=Coalesce("tracked_since", "created_at"))
    firsts = krs.order_by().values(first=_week_of("tracked_from", ends, since, 0)).annotate(n=Count("id"))
    expected = sum(r["n"] * (current - r["first"] + 1) for r in firsts if r["first"] <= current)
    check_ins = CheckIn.objects.for_org(org).filter(
        key_result__in=krs, checked_at__gte=since, checked_at__lt=ends[-1]
    )
    check_ins = check_ins.alias(kr_from=Coalesce("key_result__tracked_since", "key_result__created_at"))
    weeks = check_ins.annotate(
        week=_week_of("checked_at", ends, since, -1), first=_week_of("kr_from", ends, since, 0)
    )
    # Weeks counted per key result, then summed: a DISTINCT over (key result, week) pairs is hashed on an
    # estimate of a few thousand groups, and at 240,000 pairs PostgreSQL's spilling hash took minutes.
    per_key_result = (
        weeks.filter(week__gte=F("first"))
        .order_by()
        .values("key_result_id")
        .annotate(weeks=Count("week", distinct=True))
    )
    hits = per_key_result.aggregate(hits=Sum("weeks"))["hits"] or 0
    return hits, expected


def decisions(scope: Scope) -> list:
    qs = decision_list(actor=scope.actor, date_from=scope.cycle.starts_on, date_to=scope.cycle.ends_on)
    return list(
        qs.filter(**scope.team_filter()).select_related(None).prefetch_related(None).only(*DECISION_FIELDS)
    )


DECISION_FIELDS = ("id", "status", "escalated", "proposed_at", "decided_at", "relation", "level", "team_id")


def wait_of(decision) -> rules.Wait:
    """A decision as its latency sees it (`rules.decision_waits`)."""
    leader_alone = (
        decision.relation not in (delegation_rules.MEMBER, delegation_rules.LEAD)
        and decision.decided_at is not None
        and decision.decided_at == decision.proposed_at
    )
    waiting = decision.decided_at is None and decision.status in (
        delegation_rules.PROPOSED,
        delegation_rules.ESCALATED,
    )
    return rules.Wait(decision.proposed_at, decision.decided_at, waiting, leader_alone)


def within_authority(decision) -> bool:
    return (
        decision.status in (delegation_rules.DECIDED, delegation_rules.SUPERSEDED)
        and not decision.escalated
        and decision.relation in (delegation_rules.MEMBER, delegation_rules.LEAD)
        and decision.level >= TEAM_DECIDES_FROM
    )


def mean_level(scope: Scope) -> float | None:
    """Mean effective delegation level over the scope's teams and every domain."""
    org = scope.actor.organization
    if "levels" not in scope.shared:
        domains = list(DecisionDomain.objects.for_org(org).values_list("id", flat=True))
        rows = DelegationLevel.objects.for_org(org).values_list("team_id", "domain_id", "level")
        scope.shared["levels"] = (domains, {(t, d): level for t, d, level in rows})
    domain_ids, set_levels = scope.shared["levels"]
    teams = scope.team_ids if scope.team_ids is not None else set(scope.parent_of)
    if not domain_ids or not teams:
        return None
    levels = [
        delegation_rules.effective_level(t, d, scope.parent_of, set_levels)[0]
        for t in teams
        for d in domain_ids
    ]
    return round(sum(levels) / len(levels), 2)


def back_briefs(scope: Scope) -> list[BackBrief]:
    qs = BackBrief.objects.for_org(scope.actor.organization).filter(
        requested_at__gte=scope.since, requested_at__lte=scope.until, **scope.team_filter()
    )
    return list(qs.only("id", "state", "requested_at", "confirmed_at"))


def _members(scope: Scope):
    """The user ids of the scope's members, as a query (a subquery for the ideas' counts)."""
    org = scope.actor.organization
    if scope.team_ids is None:
        return Membership.objects.for_org(org).filter(is_active=True).values("user_id")
    return TeamMembership.objects.for_org(org).filter(team_id__in=scope.team_ids).values("user_id")


def member_ids(scope: Scope) -> set[int]:
    if scope.team_ids is not None:
        return set(_members(scope).values_list("user_id", flat=True))
    if "members" not in scope.shared:
        scope.shared["members"] = set(_members(scope).values_list("user_id", flat=True))
    return scope.shared["members"]


def ideas(scope: Scope, members: set[int]) -> tuple[int, int]:
    """(ideas submitted in the cycle, ideas adopted in the cycle), by the scope's members; the members
    are matched by a subquery, not a list of thousands of ids."""
    if not members:
        return 0, 0
    org, authors = scope.actor.organization, _members(scope)
    window = {"created_at__gte": scope.since, "created_at__lte": scope.until}
    submitted = Idea.objects.for_org(org).filter(author_id__in=authors, **window).count()
    adopted = (
        IdeaTransition.objects.for_org(org)
        .filter(to_status=Idea.Status.ADOPTED, idea__author_id__in=authors, **window)
        .values("idea_id")
        .distinct()
        .count()
    )
    return submitted, adopted


# ---- the transition: organization-wide reads, one query each, however many teams and cycles -----------


def team_people(actor: Actor) -> list[tuple[int, int]]:
    """(team id, user id) of every team membership of the organization."""
    rows = TeamMembership.objects.for_org(actor.organization).order_by()
    return list(rows.values_list("team_id", "user_id"))


def active_people(actor: Actor) -> int:
    """People of the organization (active memberships): the whole organization's count."""
    return Membership.objects.for_org(actor.organization).filter(is_active=True).count()


def advice_answers(actor: Actor, since: datetime, until: datetime) -> list[tuple[int, str, datetime]]:
    """(team id, answer, when) of the delegation advice answered between `since` and `until`."""
    rows = AdviceAnswer.objects.for_org(actor.organization).filter(
        created_at__gte=since, created_at__lte=until
    )
    return list(rows.order_by().values_list("team_id", "answer", "created_at"))
