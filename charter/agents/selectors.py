"""Reads of agents, their tokens and their audited actions, scoped to the actor's organization."""

from django.db.models import OuterRef, Subquery

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.core.models import AuditEvent
from charter.organizations.models import ApiToken, Membership

from .models import AgentProfile


def agent_list(*, actor: Actor):
    """The organization's agents, each with its own `decision_cap` (None: the organization's) and the
    `effective_decision_cap` that bounds it (`Membership.agent_cap`)."""
    membership = Membership.objects.for_org(actor.organization).filter(user_id=OuterRef("user_id"))
    return (
        AgentProfile.objects.for_org(actor.organization)
        .select_related("user", "sponsor", "team", "created_by")
        .annotate(decision_cap=Subquery(membership.values("decision_cap")[:1]))
        .order_by("user__full_name", "id")
    )


def effective_cap(actor: Actor, profile: AgentProfile) -> int:
    """The level up to which the agent decides alone: its own cap, never above the organization's."""
    return Membership(decision_cap=profile.decision_cap).agent_cap(actor.organization.agent_decision_cap)


def agent_get(*, actor: Actor, agent_id: int) -> AgentProfile:
    """An agent by its user id; NotFound for a missing or foreign one."""
    profile = agent_list(actor=actor).filter(user_id=agent_id).first()
    if profile is None:
        raise NotFound("No such agent.")
    return profile


def agent_tokens(*, actor: Actor, agent_id: int):
    return (
        ApiToken.objects.for_org(actor.organization).filter(user_id=agent_id).order_by("-created_at", "-id")
    )


def agent_actions(*, actor: Actor, agent_id: int, limit: int = 30) -> list[AuditEvent]:
    """The agent's latest audited writes, each with the token that made it."""
    events = AuditEvent.objects.for_org(actor.organization).filter(actor_id=agent_id).select_related("token")
    return list(events.order_by("-created_at", "-id")[:limit])


def agent_page(*, actor: Actor, agent_id: int) -> dict:
    profile = agent_get(actor=actor, agent_id=agent_id)
    may_manage = may_manage_tokens(actor, profile)
    return {
        "agent": profile,
        "effective_cap": effective_cap(actor, profile),
        "tokens": list(agent_tokens(actor=actor, agent_id=agent_id)),
        "actions": agent_actions(actor=actor, agent_id=agent_id),
        "may_manage_tokens": may_manage,
    }


def may_manage_tokens(actor: Actor, profile: AgentProfile) -> bool:
    """The sponsor answers for the agent's tokens; admins may step in."""
    return profile.sponsor_id == actor.user_id or actor.role in ("owner", "admin")
