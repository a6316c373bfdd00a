"""Load what the rules need for one team and domain (levels, teams, leads, leaders) in a few queries."""

from dataclasses import dataclass, field

from charter.core.actor import Actor
from charter.organizations.models import Membership, Team, TeamMembership

from . import rules
from .models import DecisionDomain, DelegationLevel

ROLE_ORDER = {"owner": 0, "leader": 1, "admin": 2}


@dataclass
class Authority:
    """The effective level of a team in a domain, and the actor's relation to the team."""

    team: Team
    domain: DecisionDomain
    level: int
    source_team_id: int | None
    relation: str
    lead_chain: list[set[int]]
    org_leaders: list[int]
    names: dict[int, str] = field(default_factory=dict)

    @property
    def level_info(self) -> rules.Level:
        return rules.LEVELS[self.level]

    def name(self, user_id: int | None, fallback: str = "a leader of the organization") -> str:
        return self.names.get(user_id, fallback) if user_id else fallback

    def leader_for(self, actor: Actor, addressee: str) -> int | None:
        """The person an outcome's addressee ("leader" or "team") stands for."""
        if addressee == "leader":
            after = actor.user_id if self.relation == rules.LEAD else None
            return rules.next_leader(self.lead_chain, self.org_leaders, after=after, exclude={actor.user_id})
        if addressee == "team":
            return next(iter(sorted(self.lead_chain[0] - {actor.user_id})), None) if self.lead_chain else None
        return None

    def leader_escalation(self, current: int | None, actor: Actor) -> int | None:
        """The next leader above the one a record is addressed to."""
        exclude = {actor.user_id} | ({current} if current else set())
        return rules.next_leader(self.lead_chain, self.org_leaders, after=current, exclude=exclude)


def parent_map(actor: Actor) -> dict[int, int | None]:
    return dict(Team.objects.for_org(actor.organization).values_list("id", "parent_id"))


def authority_for(actor: Actor, team: Team, domain: DecisionDomain) -> Authority:
    """Four queries: teams, the domain's levels, the chain's leads, the organization's leaders."""
    org = actor.organization
    parent_of = parent_map(actor)
    set_levels = {
        (team_id, domain.pk): level
        for team_id, level in DelegationLevel.objects.for_org(org)
        .filter(domain=domain)
        .values_list("team_id", "level")
    }
    level, source = rules.effective_level(team.pk, domain.pk, parent_of, set_levels)
    chain = rules.ancestors(team.pk, parent_of)
    leads = list(
        TeamMembership.objects.for_org(org)
        .filter(team_id__in=chain, is_lead=True)
        .select_related("user")
        .order_by("user_id")
    )
    leaders = list(
        Membership.objects.for_org(org)
        .filter(role__in=rules.LEADER_ROLES, is_active=True)
        .select_related("user")
    )
    leaders.sort(key=lambda m: (ROLE_ORDER.get(m.role, 9), m.user_id))
    lead_chain = [{m.user_id for m in leads if m.team_id == t} for t in chain]
    relation = rules.relation_of(
        user_id=actor.user_id, role=actor.role, is_member=team.pk in actor.team_ids, lead_chain=lead_chain
    )
    names = {m.user_id: str(m.user) for m in [*leads, *leaders]}
    return Authority(team, domain, level, source, relation, lead_chain, [m.user_id for m in leaders], names)
