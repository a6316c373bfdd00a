"""Reads about organizations, people and teams, always within the actor's organization."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.html import escape
from django.utils.safestring import SafeString

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.core.templatetags.charter import options

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


# A team filter offers every team up to this many; above, the person's teams, the top-level teams and the
# chosen one (at most this many), and a search field asks the server for others (`team_picker`).
TEAM_PICKER_SHOWN = 60
TEAM_SEARCH_MAX = 100  # characters of a team search that count


@dataclass(frozen=True)
class TeamPicker:
    """What a team filter shows: `options` (escaped `<option>`s, "Parent › Team" by name, the chosen one
    selected); `partial` when they are not all of the organization's `total` teams (then the page shows
    the search field); `q`, the search it answers."""

    options: SafeString
    partial: bool
    total: int
    q: str = ""


def team_picker(*, actor: Actor, selected: int | None = None, q: str = "") -> TeamPicker:
    """The options of a team filter, bounded whatever the number of teams, in one query. Every team when
    the organization has at most TEAM_PICKER_SHOWN; else, without `q`, the person's teams and the
    top-level teams, with `q` the teams whose name or parent's name contains it; always the `selected`
    team (when it is one of the organization's), first in the query so the bound never drops it. Ordered
    by name; a last disabled option says when more teams would have matched."""
    teams = Team.objects.for_org(actor.organization)
    total = teams.order_by().values("organization_id").annotate(n=Count("id")).values("n")
    q = " ".join(q.split())[:TEAM_SEARCH_MAX]
    wanted = Q(total__lte=TEAM_PICKER_SHOWN)
    if q:  # as the label reads: "Parent › Team"
        wanted |= Q(name__icontains=q) | Q(parent__name__icontains=q)
    else:
        wanted |= Q(parent_id__isnull=True) | Q(pk__in=actor.team_ids)
    # Rank 0 the chosen team, 1 the wanted ones, 2 the organization's first team: read only to carry the
    # number of teams when nothing is wanted (a search that matches nothing), then dropped.
    first = teams.order_by("pk").values("pk")[:1]
    rows = list(
        teams.annotate(
            total=Subquery(total, output_field=IntegerField()),
            rank=Case(When(pk=selected or 0, then=Value(0)), When(wanted, then=Value(1)), default=Value(2)),
            place=Window(RowNumber(), order_by=(F("name").asc(), F("id").asc())),
        )
        .filter(wanted | Q(pk=selected or 0) | Q(pk=Subquery(first)))
        .order_by("rank", "name", "id")
        .values_list("id", "name", "parent__name", "total", "rank", "place")[: TEAM_PICKER_SHOWN + 1]
    )
    count = rows[0][3] if rows else 0
    partial = count > TEAM_PICKER_SHOWN
    rows = [row for row in rows if row[4] < 2]
    more = len(rows) > TEAM_PICKER_SHOWN
    rows = sorted(rows[:TEAM_PICKER_SHOWN], key=lambda row: row[5])  # by name, in the database's collation
    labels = ((pk, f"{parent} › {name}" if parent else name) for pk, name, parent, *_ in rows)
    html = options(labels, selected)
    if more:
        html += '<option value="" disabled>More teams match: type more of the name to find them</option>'
    elif q and partial and all(pk == selected for pk, *_ in rows):
        html += f'<option value="" disabled>No other team’s name contains “{escape(q)}”</option>'
    return TeamPicker(SafeString(html), partial, count, q if partial else "")


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
