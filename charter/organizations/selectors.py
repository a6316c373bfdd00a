"""Reads about organizations, people and teams, always within the actor's organization."""

from django.db.models import Count, Prefetch

from charter.core.actor import Actor
from charter.core.errors import NotFound

from .actors import actor_for, session_actor
from .models import ApiToken, Membership, Organization, Team, TeamMembership, User

__all__ = ["actor_for", "session_actor"]  # the actor's reads live in `actors`; kept here for callers


def organizations_of(*, user) -> list[Organization]:
    mine = Membership.objects.unscoped().filter(user=user, is_active=True).values("organization_id")
    return list(Organization.objects.filter(pk__in=mine).order_by("name"))


def organization_of(*, user, organization_id: int) -> Organization:
    """One of the user's organizations; another one is missing, exactly like an unknown id."""
    mine = Membership.objects.unscoped().filter(user=user, is_active=True).values("organization_id")
    organization = Organization.objects.filter(pk=organization_id, pk__in=mine).first()
    if organization is None:
        raise NotFound("No such organization.")
    return organization


def team_choices(*, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the organization's teams by name, for a filter or picker: no member counts, no
    parents, no instances (an organization has hundreds of teams)."""
    return list(Team.objects.for_org(actor.organization).order_by("name").values_list("id", "name"))


def team_list(*, actor: Actor):
    return (
        Team.objects.for_org(actor.organization)
        .annotate(member_count=Count("memberships"))
        .select_related("parent")
        .order_by("name")
    )


def team_get(*, actor: Actor, team_id: int) -> Team:
    team = (
        Team.objects.for_org(actor.organization)
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "memberships", queryset=TeamMembership.objects.select_related("user").order_by("-is_lead")
            ),
            "children",
        )
        .filter(pk=team_id)
        .first()
    )
    if team is None:
        raise NotFound("No such team.")
    return team


def team_tree(*, actor: Actor) -> list[dict]:
    """Teams as nested dicts, roots first, in one query."""
    teams = list(
        Team.objects.for_org(actor.organization).annotate(member_count=Count("memberships")).order_by("name")
    )
    nodes = {t.pk: {"team": t, "children": []} for t in teams}
    roots = []
    for t in teams:
        (nodes[t.parent_id]["children"] if t.parent_id in nodes else roots).append(nodes[t.pk])
    return roots


def person_list(*, actor: Actor):
    return (
        Membership.objects.for_org(actor.organization)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__team_memberships",
                queryset=TeamMembership.objects.for_org(actor.organization).select_related("team"),
            )
        )
        .order_by("user__full_name")
    )


def person_get(*, actor: Actor, user_id: int) -> Membership:
    membership = person_list(actor=actor).filter(user_id=user_id).first()
    if membership is None:
        raise NotFound("No such person.")
    return membership


def member_users(*, actor: Actor):
    """People of the organization, for choosing an owner or accountable person."""
    return User.objects.filter(
        memberships__organization=actor.organization, memberships__is_active=True
    ).order_by("full_name")


def token_list(*, actor: Actor):
    return ApiToken.objects.for_org(actor.organization).filter(user=actor.user).order_by("-created_at")


def is_agent_email(*, email: str) -> bool:
    """Whether an address belongs to an AI agent (agents never sign in to the web)."""
    return User.objects.filter(email=email.strip().lower(), kind=User.Kind.AGENT).exists()
