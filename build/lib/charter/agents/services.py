"""Every write about agents: create one, issue and revoke its scoped tokens (sponsor or admins)."""

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


def agent_create(
    *, actor: Actor, name: str, sponsor_id: int, team_id: int, purpose: str = ""
) -> AgentProfile:
    """An agent member: a user of kind agent with no password, a member of the team, with a sponsor."""
    actor.require("agent.manage")
    found = _resolve(actor, name, sponsor_id, team_id)
    org = actor.organization
    with transaction.atomic():
        user = User.objects.create_user(
            f"agent.{secrets.token_hex(6)}@agents.invalid", None, full_name=name.strip(), kind=User.Kind.AGENT
        )  # create_user with no password sets an unusable one: agents never sign in to the web
        Membership.objects.create(organization=org, user=user, role=Role.MEMBER, title="AI agent")
        TeamMembership.objects.create(organization=org, team=found["team"], user=user)
        profile = AgentProfile.objects.create(
            organization=org, user=user, created_by=actor.user, purpose=purpose.strip(), **found
        )
        changes = {"sponsor_id": found["sponsor"].pk, "team_id": found["team"].pk, "purpose": profile.purpose}
        audit(actor, "agent.create", profile, changes)
    return profile


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
