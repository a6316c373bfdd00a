"""Load what the rules need for one team and domain (levels, teams, the leader chain, the owners) in a few
queries, and say who the actor is to the team: themselves, or the leader an owner or admin acts for."""

from dataclasses import dataclass, field

from charter.core.actor import Actor
from charter.core.errors import PermissionDenied, ValidationError
from charter.organizations.models import Membership, Team, TeamMembership, User

from . import rules
from .models import DecisionDomain, DelegationLevel


def is_agent(actor: Actor) -> bool:
    return getattr(actor.user, "kind", User.Kind.PERSON) == User.Kind.AGENT


def may_act_for(actor: Actor) -> bool:
    """Only owners and admins, people not agents, may stand in for a leader (explicitly, audited)."""
    return actor.role in rules.ACT_FOR_ROLES and not is_agent(actor)


def agent_cap_of(actor: Actor) -> int | None:
    """An agent's effective cap (its own, never above the organization's); None for a person. One query."""
    if not is_agent(actor):
        return None
    membership = (
        Membership.objects.for_org(actor.organization)
        .filter(user_id=actor.user_id)
        .only("decision_cap")
        .first()
    )
    organization_cap = actor.organization.agent_decision_cap
    return membership.agent_cap(organization_cap) if membership else 0


@dataclass
class Authority:
    """The effective level of a team in a domain, and the relation to the team of the one whose authority
    counts: the actor, or the leader they act for (`acting_for_id`)."""

    team: Team
    domain: DecisionDomain
    level: int
    source_team_id: int | None
    relation: str
    lead_chain: list[set[int]]
    top: list[int]  # the organization's owners, above the root team's leads
    user_id: int  # whose authority counts: the actor's own, or the one they act for
    acting_for_id: int | None = None
    agent_cap: int | None = None  # the actor's, when an agent
    names: dict[int, str] = field(default_factory=dict)

    @property
    def level_info(self) -> rules.Level:
        return rules.LEVELS[self.level]

    def name(self, user_id: int | None, fallback: str = "an owner of the organization") -> str:
        return self.names.get(user_id, fallback) if user_id else fallback

    def record_outcome(self) -> rules.Outcome:
        """What a record by this actor becomes: the level and relation, then an agent's cap."""
        outcome = rules.record_outcome(self.level, self.relation)
        if self.agent_cap is not None:
            outcome = rules.agent_capped(outcome, self.level, self.agent_cap)
        return outcome

    def leader_for(self, addressee: str) -> int | None:
        """The person an outcome's addressee ("leader" or "team") stands for."""
        if addressee == "leader":
            after = self.user_id if self.relation == rules.LEAD else None
            return rules.next_leader(self.lead_chain, self.top, after=after, exclude={self.user_id})
        if addressee == "team":
            return next(iter(sorted(self.lead_chain[0] - {self.user_id})), None) if self.lead_chain else None
        return None

    def is_addressee(self, addressed_to_id: int | None, recorded_by_id: int) -> bool:
        """Whether a record waits for this person: addressed to them, or to a fellow lead of the team
        (a team with several leads: any of them is the leader of its members' proposals)."""
        if addressed_to_id == self.user_id:
            return True
        co_leads = self.lead_chain[0] if self.relation == rules.LEAD and self.lead_chain else set()
        return addressed_to_id in co_leads and recorded_by_id != self.user_id

    def leader_escalation(self, current: int | None) -> int | None:
        """The next leader above the one a record is addressed to."""
        exclude = {self.user_id} | ({current} if current else set())
        return rules.next_leader(self.lead_chain, self.top, after=current, exclude=exclude)


def parent_map(actor: Actor) -> dict[int, int | None]:
    return dict(Team.objects.for_org(actor.organization).values_list("id", "parent_id"))


def _acting_for(actor: Actor, acting_for_id, team: Team, lead_chain: list[set[int]]) -> int | None:
    """Whom the actor stands in for, checked: an owner or admin (a person), for a lead of the team or of
    a team above it. Acting for oneself is acting as oneself."""
    if acting_for_id in (None, "", actor.user_id):
        return None
    if not may_act_for(actor):
        raise PermissionDenied(
            f"Only owners and admins may act for a leader; your role ({actor.role}) acts as yourself."
        )
    if not rules.in_leader_chain(acting_for_id, lead_chain):
        raise ValidationError(
            f"You may act only for a lead of {team.name} or of a team above it (its leader chain); "
            "that person is not one.",
            field="acting_for_id",
        )
    return acting_for_id


def authority_for(actor: Actor, team: Team, domain: DecisionDomain, *, acting_for_id=None) -> Authority:
    """Four queries (teams, the domain's levels, the chain's leads, the owners), a fifth for an agent's
    cap; `acting_for_id` is validated here, so every step that takes it checks it the same way."""
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
    owners = list(
        Membership.objects.for_org(org)
        .filter(role=rules.TOP_ROLE, is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    lead_chain = [{m.user_id for m in leads if m.team_id == t} for t in chain]
    top = [m.user_id for m in owners]
    acting_for = _acting_for(actor, acting_for_id, team, lead_chain)
    user_id = acting_for or actor.user_id
    is_member = (user_id in lead_chain[0]) if acting_for else team.pk in actor.team_ids
    relation = rules.relation_of(user_id=user_id, is_member=is_member, lead_chain=lead_chain, top=top)
    names = {m.user_id: str(m.user) for m in [*leads, *owners]}
    return Authority(
        team,
        domain,
        level,
        source,
        relation,
        lead_chain,
        top,
        user_id,
        acting_for,
        agent_cap_of(actor),
        names,
    )
