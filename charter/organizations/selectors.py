"""Reads about organizations, people and teams, always within the actor's organization."""

from django.db import connection
from django.db.models import Count, Prefetch
from django.db.models.expressions import RawSQL

from charter.core.actor import Actor
from charter.core.errors import NotFound

from .models import ApiToken, Membership, Organization, Team, TeamMembership, User
from .permissions import allowed_actions

# The person's teams and the teams they lead (every team below a led one too), as one text value:
# "M<id>" per team they belong to, "L<id>" per team they lead. A correlated subquery, so the actor is
# read with the row that names the person and the organization (membership or token), in one query,
# without reading every team of the organization. UNION stops the climb should the tree ever loop.
_TEAM_MARKS = """(
WITH RECURSIVE led(id) AS (
    SELECT tm.team_id FROM {tm} tm
    WHERE tm.organization_id = {org} AND tm.user_id = {user} AND tm.is_lead
    UNION
    SELECT t.id FROM {team} t JOIN led ON t.parent_id = led.id WHERE t.organization_id = {org}
), marks(mark) AS (
    SELECT 'L' || CAST(id AS TEXT) FROM led
    UNION ALL
    SELECT 'M' || CAST(tm.team_id AS TEXT) FROM {tm} tm
    WHERE tm.organization_id = {org} AND tm.user_id = {user}
)
SELECT {agg} FROM marks
)"""
_AGGREGATE = {"postgresql": "string_agg(mark, ',')"}  # SQLite (and the rest): group_concat


def team_marks(model) -> RawSQL:
    """The team marks of the row's `user_id` in its `organization_id`, for `.annotate()` on `model`."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    sql = _TEAM_MARKS.format(
        tm=quote(TeamMembership._meta.db_table),
        team=quote(Team._meta.db_table),
        org=f"{table}.{quote('organization_id')}",
        user=f"{table}.{quote('user_id')}",
        agg=_AGGREGATE.get(connection.vendor, "group_concat(mark, ',')"),
    )
    return RawSQL(sql, ())


def actor_from(
    *, user, organization, role: str, marks: str | None, request_id: str = "", via: str = "web"
) -> Actor:
    """The actor of an active member, from the row read with `team_marks`."""
    teams, leads = set(), set()
    for mark in (marks or "").split(","):
        if mark:
            (leads if mark[0] == "L" else teams).add(int(mark[1:]))
    return Actor(
        user=user,
        organization=organization,
        role=role,
        allowed=allowed_actions(role),
        team_ids=frozenset(teams),
        lead_team_ids=frozenset(leads),
        request_id=request_id,
        via=via,
    )


def _active_memberships():
    return Membership.objects.unscoped().filter(is_active=True).annotate(team_marks=team_marks(Membership))


def actor_for(*, user, organization: Organization, request_id: str = "", via: str = "web") -> Actor | None:
    """The actor for `user` in `organization`, or None when they are not an active member (one query)."""
    row = (
        _active_memberships()
        .filter(organization_id=organization.pk, user_id=user.pk)
        .values_list("role", "team_marks")
        .first()
    )
    if row is None:
        return None
    role, marks = row
    return actor_from(
        user=user, organization=organization, role=role, marks=marks, request_id=request_id, via=via
    )


def session_actor(*, user, organization_id: int, request_id: str = "") -> Actor | None:
    """The actor of a web session in the organization it names: membership, organization and teams in
    one query; None when the person is not (or no longer) an active member of it."""
    membership = (
        _active_memberships()
        .filter(organization_id=organization_id, user_id=user.pk)
        .select_related("organization")
        .only("role", "organization")
        .first()
    )
    if membership is None:
        return None
    return actor_from(
        user=user,
        organization=membership.organization,
        role=membership.role,
        marks=membership.team_marks,
        request_id=request_id,
    )


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
