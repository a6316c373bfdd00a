"""Reads about organizations, people and teams, always within the actor's organization."""

from django.db.models import Count, Prefetch

from charter.core.actor import Actor
from charter.core.errors import NotFound

from .models import ApiToken, Membership, Organization, Team, TeamMembership, User
from .permissions import allowed_actions


def actor_for(*, user, organization: Organization, request_id: str = "", via: str = "web") -> Actor | None:
    """The actor for `user` in `organization`, or None when they are not an active member."""
    membership = Membership.objects.for_org(organization).filter(user=user, is_active=True).first()
    if membership is None:
        return None
    teams = {t.pk: t.parent_id for t in Team.objects.for_org(organization).only("id", "parent_id")}
    mine = list(
        TeamMembership.objects.for_org(organization).filter(user=user).values_list("team_id", "is_lead")
    )
    leads = {team_id for team_id, is_lead in mine if is_lead}
    return Actor(
        user=user,
        organization=organization,
        role=membership.role,
        allowed=allowed_actions(membership.role),
        team_ids=frozenset(team_id for team_id, _ in mine),
        lead_team_ids=frozenset(_with_descendants(leads, teams)),
        request_id=request_id,
        via=via,
    )


def _with_descendants(roots: set[int], parent_of: dict[int, int | None]) -> set[int]:
    """A lead of a team also leads the teams below it."""
    result = set(roots)
    for team_id in parent_of:
        seen, node = set(), team_id
        while node is not None and node not in seen:
            if node in roots:
                result.add(team_id)
                break
            seen.add(node)
            node = parent_of.get(node)
    return result


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
