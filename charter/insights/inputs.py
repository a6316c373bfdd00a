"""The inputs of the indicators for one organization or team and one cycle, in constant queries."""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.utils import timezone

from charter.backbriefs.models import BackBrief
from charter.core.actor import Actor
from charter.delegation import rules as delegation_rules
from charter.delegation.models import DecisionDomain, DelegationLevel
from charter.delegation.selectors import decision_list
from charter.goals.models import CheckIn, Goal, KeyResult
from charter.ideas.models import Idea, IdeaTransition
from charter.organizations.models import Membership, Team, TeamMembership

TEAM_DECIDES_FROM = 5  # levels 5-7: the team decides itself (advise, inquire, delegate)


@dataclass
class Scope:
    """An organization (team None) or a team with its sub-teams, in one cycle."""

    actor: Actor
    cycle: object
    team: object = None
    team_ids: set[int] | None = None  # None: the whole organization
    parent_of: dict[int, int | None] = field(default_factory=dict)

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


def make_scope(actor: Actor, cycle, team) -> Scope:
    parent_of = dict(Team.objects.for_org(actor.organization).values_list("id", "parent_id"))
    team_ids = descendants(team.pk, parent_of) if team is not None else None
    return Scope(actor=actor, cycle=cycle, team=team, team_ids=team_ids, parent_of=parent_of)


def goals(scope: Scope) -> list[Goal]:
    qs = Goal.objects.for_org(scope.actor.organization).filter(cycle=scope.cycle, **scope.team_filter())
    return list(qs.select_related("cycle", "organization", "team", "owner").order_by("title", "id"))


def parent_chains(scope: Scope) -> dict[int, tuple[int | None, int | None]]:
    """goal id -> (parent id, team id) for every goal of the organization, for the alignment walk."""
    rows = Goal.objects.for_org(scope.actor.organization).values_list("id", "parent_id", "team_id")
    return {pk: (parent, team) for pk, parent, team in rows}


def key_result_check_ins(scope: Scope, goal_ids: list[int]) -> list[tuple]:
    """(created day, check-in days) per key result of the goals."""
    krs = KeyResult.objects.for_org(scope.actor.organization).filter(goal_id__in=goal_ids)
    days: dict[int, list] = {pk: [] for pk in krs.values_list("id", flat=True)}
    check_ins = CheckIn.objects.for_org(scope.actor.organization).filter(key_result_id__in=list(days))
    for kr_id, checked_at in check_ins.values_list("key_result_id", "checked_at"):
        days[kr_id].append(timezone.localdate(checked_at))
    created = dict(krs.values_list("id", "created_at"))
    return [(timezone.localdate(created[pk]), days[pk]) for pk in days]


def decisions(scope: Scope) -> list:
    qs = decision_list(actor=scope.actor, date_from=scope.cycle.starts_on, date_to=scope.cycle.ends_on)
    return list(
        qs.filter(**scope.team_filter()).select_related(None).prefetch_related(None).only(*DECISION_FIELDS)
    )


DECISION_FIELDS = ("id", "status", "escalated", "proposed_at", "decided_at", "relation", "level", "team_id")


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
    domain_ids = list(DecisionDomain.objects.for_org(org).values_list("id", flat=True))
    teams = scope.team_ids if scope.team_ids is not None else set(scope.parent_of)
    if not domain_ids or not teams:
        return None
    set_levels = {
        (t, d): level
        for t, d, level in DelegationLevel.objects.for_org(org).values_list("team_id", "domain_id", "level")
    }
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


def member_ids(scope: Scope) -> set[int]:
    org = scope.actor.organization
    if scope.team_ids is None:
        return set(Membership.objects.for_org(org).filter(is_active=True).values_list("user_id", flat=True))
    rows = TeamMembership.objects.for_org(org).filter(team_id__in=scope.team_ids)
    return set(rows.values_list("user_id", flat=True))


def ideas(scope: Scope, members: set[int]) -> tuple[int, int]:
    """(ideas submitted in the cycle, ideas adopted in the cycle), by the scope's members."""
    org = scope.actor.organization
    window = {"created_at__gte": scope.since, "created_at__lte": scope.until}
    submitted = Idea.objects.for_org(org).filter(author_id__in=members, **window).count()
    adopted = (
        IdeaTransition.objects.for_org(org)
        .filter(to_status=Idea.Status.ADOPTED, idea__author_id__in=members, **window)
        .values("idea_id")
        .distinct()
        .count()
    )
    return submitted, adopted
