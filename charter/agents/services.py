"""Every write about agents: create, change and deactivate one (leaders), issue and revoke its scoped tokens
(sponsor or admins). The web pages, the REST API and `charter agent` all call these."""

import secrets

from django.db import transaction
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit
from charter.core.errors import NotFound, PermissionDenied, ValidationError
from charter.organizations.models import ApiToken, Membership, Role, Team, TeamMembership, User
from charter.organizations.services import token_issue

from .models import AgentProfile
from .selectors import agent_get, may_manage_tokens


def _resolve(actor: Actor, name: str, sponsor_id, team_id) -> dict:
    org, errors = actor.organization, {}
    if not name.strip():
        errors["name"] = ["Name the agent, such as “Triage bot”."]
    sponsor = (
        Membership.objects.for_org(org)
        .filter(user_id=sponsor_id, is_active=True, user__kind=User.Kind.PERSON)
        .select_related("user")
        .first()
        if sponsor_id
        else None
    )
    if sponsor is None:
        errors["sponsor_id"] = ["Choose the person who answers for the agent (an active member)."]
    team = Team.objects.for_org(org).filter(pk=team_id).first() if team_id else None
    if team is None:
        errors["team_id"] = ["Choose the team the agent works in."]
    if errors:
        raise ValidationError("The agent is not valid.", errors=errors)
    return {"sponsor": sponsor.user, "team": team}


def _check_cap(actor: Actor, decision_cap: int | None) -> None:
    """An agent's own cap: 0-7, never above the organization's (None: the organization's)."""
    org_cap = actor.organization.agent_decision_cap
    if decision_cap is None:
        return
    if not 0 <= decision_cap <= 7:
        raise ValidationError("The cap is a delegation level from 0 to 7.", field="decision_cap")
    if decision_cap > org_cap:
        raise ValidationError(
            f"An agent's cap cannot be above the organization's ({org_cap}): set {org_cap} or lower.",
            field="decision_cap",
        )


def agent_create(
    *,
    actor: Actor,
    name: str,
    sponsor_id: int,
    team_id: int,
    purpose: str = "",
    decision_cap: int | None = None,
) -> AgentProfile:
    """An agent member: a user of kind agent with no password, a member of the team, with a sponsor."""
    actor.require("agent.manage")
    found = _resolve(actor, name, sponsor_id, team_id)
    _check_cap(actor, decision_cap)
    org = actor.organization
    with transaction.atomic():
        user = User.objects.create_user(
            f"agent.{secrets.token_hex(6)}@agents.invalid", None, full_name=name.strip(), kind=User.Kind.AGENT
        )  # create_user with no password sets an unusable one: agents never sign in to the web
        Membership.objects.create(
            organization=org, user=user, role=Role.MEMBER, title="AI agent", decision_cap=decision_cap
        )
        TeamMembership.objects.create(organization=org, team=found["team"], user=user)
        profile = AgentProfile.objects.create(
            organization=org, user=user, created_by=actor.user, purpose=purpose.strip(), **found
        )
        changes = {"sponsor_id": found["sponsor"].pk, "team_id": found["team"].pk, "purpose": profile.purpose}
        audit(actor, "agent.create", profile, changes | {"decision_cap": decision_cap})
    return agent_get(actor=actor, agent_id=user.pk)


_UNSET = object()


def agent_update(
    *,
    actor: Actor,
    agent_id: int,
    name: str | None = None,
    sponsor_id: int | None = None,
    team_id: int | None = None,
    purpose: str | None = None,
    decision_cap=_UNSET,
) -> AgentProfile:
    """Change the fields given (`decision_cap=None` returns the agent to the organization's cap); like
    creating one, for leaders and admins (its tokens are its sponsor's or an admin's)."""
    actor.require("agent.manage")
    profile = agent_get(actor=actor, agent_id=agent_id)
    found = _resolve(
        actor,
        profile.user.full_name if name is None else name,
        profile.sponsor_id if sponsor_id is None else sponsor_id,
        profile.team_id if team_id is None else team_id,
    )
    if decision_cap is not _UNSET:
        _check_cap(actor, decision_cap)
    changes = {}
    with transaction.atomic():
        if name is not None and name.strip() != profile.user.full_name:
            profile.user.full_name = changes["name"] = name.strip()
            profile.user.save(update_fields=["full_name"])
        if found["sponsor"].pk != profile.sponsor_id:
            profile.sponsor, changes["sponsor_id"] = found["sponsor"], found["sponsor"].pk
        if purpose is not None and purpose.strip() != profile.purpose:
            profile.purpose = changes["purpose"] = purpose.strip()
        if found["team"].pk != profile.team_id:
            TeamMembership.objects.for_org(actor.organization).filter(
                user=profile.user, team_id=profile.team_id
            ).delete()
            TeamMembership.objects.for_org(actor.organization).get_or_create(
                organization=actor.organization, team=found["team"], user=profile.user
            )
            profile.team, changes["team_id"] = found["team"], found["team"].pk
        profile.save()
        if decision_cap is not _UNSET:
            membership = Membership.objects.for_org(actor.organization).get(user=profile.user)
            if membership.decision_cap != decision_cap:
                membership.decision_cap = changes["decision_cap"] = decision_cap
                membership.save(update_fields=["decision_cap"])
        if changes:
            audit(actor, "agent.update", profile, changes)
    return agent_get(actor=actor, agent_id=agent_id)


def agent_deactivate(*, actor: Actor, agent_id: int) -> AgentProfile:
    """The agent stops acting: its membership and user are deactivated and its tokens revoked."""
    actor.require("agent.manage")
    profile = agent_get(actor=actor, agent_id=agent_id)
    with transaction.atomic():
        Membership.objects.for_org(actor.organization).filter(user=profile.user).update(is_active=False)
        User.objects.filter(pk=profile.user_id).update(is_active=False)
        revoked = ApiToken.objects.for_org(actor.organization).filter(user=profile.user, revoked_at=None)
        revoked_ids = list(revoked.values_list("pk", flat=True))
        revoked.update(revoked_at=timezone.now())
        audit(actor, "agent.deactivate", profile, {"revoked_token_ids": revoked_ids})
    return agent_get(actor=actor, agent_id=agent_id)


def _require_sponsor(actor: Actor, profile: AgentProfile) -> None:
    if not may_manage_tokens(actor, profile):
        raise PermissionDenied(
            f"Only {profile.sponsor} (the sponsor) or an admin manages this agent's tokens."
        )


def agent_token_create(
    *, actor: Actor, agent_id: int, name: str, scopes: list[str], days: int | None = 90
) -> tuple[ApiToken, str]:
    """A scoped token for the agent; the raw value is returned once."""
    profile = agent_get(actor=actor, agent_id=agent_id)
    _require_sponsor(actor, profile)
    if not scopes:
        raise ValidationError(
            "Choose at least one scope: an agent's token does only what it is given.", field="scopes"
        )
    return token_issue(actor=actor, user=profile.user, name=name, days=days, scopes=scopes)


def agent_token_revoke(*, actor: Actor, agent_id: int, token_id: int) -> ApiToken:
    profile = agent_get(actor=actor, agent_id=agent_id)
    with transaction.atomic():
        token = (
            ApiToken.objects.for_org(actor.organization).filter(pk=token_id, user_id=profile.user_id).first()
        )
        if token is None:
            raise NotFound("No such token.")
        _require_sponsor(actor, profile)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit(actor, "token.revoke", token, {"agent_id": profile.user_id})
    return token
