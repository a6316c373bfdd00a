"""What the SCIM endpoint and its settings page read: the organization's people (agents aside), its
provisioned teams and its SCIM tokens, always through the actor's organization."""

from django.db.models import Prefetch, Q

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.organizations.models import ApiToken, Membership, Team, TeamMembership, User
from charter.organizations.permissions import SCIM_SCOPE


def people(*, actor: Actor, where: Q | None = None):
    """The organization's people (memberships with their users), oldest first; `where` narrows them."""
    actor.require("people.manage")
    query = (
        Membership.objects.for_org(actor.organization)
        .filter(user__kind=User.Kind.PERSON)
        .select_related("user")
        .order_by("pk")
    )
    return query.filter(where) if where is not None else query


def person(*, actor: Actor, user_id) -> Membership:
    found = people(actor=actor).filter(user_id=user_id).first()
    if found is None:
        raise NotFound("No such person.")
    return found


def person_groups(*, actor: Actor, user_ids) -> dict[int, list[Team]]:
    """The provisioned teams of each of these people."""
    rows = (
        TeamMembership.objects.for_org(actor.organization)
        .filter(user_id__in=list(user_ids), team__provisioned=True)
        .select_related("team")
        .order_by("team__name")
    )
    found: dict[int, list[Team]] = {}
    for row in rows:
        found.setdefault(row.user_id, []).append(row.team)
    return found


def groups(*, actor: Actor, where: Q | None = None):
    """The organization's provisioned teams, each with its people as `people` (a list of memberships)."""
    actor.require("team.manage")
    members = TeamMembership.objects.for_org(actor.organization).filter(user__kind=User.Kind.PERSON)
    query = (
        Team.objects.for_org(actor.organization)
        .filter(provisioned=True)
        .prefetch_related(Prefetch("memberships", queryset=members.select_related("user"), to_attr="people"))
        .order_by("pk")
    )
    return query.filter(where).distinct() if where is not None else query


def group(*, actor: Actor, team_id) -> Team:
    found = groups(actor=actor).filter(pk=team_id).first()
    if found is None:
        raise NotFound("No such group.")
    return found


def scim_tokens(*, actor: Actor) -> list[ApiToken]:
    """The organization's SCIM tokens, newest first, with whoever made them."""
    actor.require("people.manage")
    tokens = (
        ApiToken.objects.for_org(actor.organization).select_related("user").order_by("-created_at", "-pk")
    )
    return [token for token in tokens if SCIM_SCOPE in (token.scopes or ())]
