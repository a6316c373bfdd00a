"""Reads about organizations, people and teams, always within the actor's organization."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch

from charter.core.actor import Actor
from charter.core.errors import NotFound

from . import queries
from .actors import actor_for, session_actor
from .models import ApiToken, Invitation, Membership, Organization, Team, TeamMembership, User

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
class Picker:
    """What a bounded filter (of teams, of people) shows, drawn by `organizations/_picker.html` (its options
    by `organizations/_picker_options.html`): `choices`, (id, label) pairs by name; `selected`, the chosen
    id; `note`, the text of a last disabled option ("" for none); `partial` when they are not all of the
    organization's `total` (then the page shows the search field); `q`, the search it answers."""

    choices: tuple[tuple[int, str], ...]
    selected: int | None
    note: str
    partial: bool
    total: int
    q: str = ""


def picker_of_rows(rows, selected, q, *, shown: int, label, noun: str, searched: str) -> Picker:
    """A picker from its query's rows (id, two texts, the organization's count, `picked`: 0 the
    chosen one, 1 a wanted one, 2 a row read only to carry the count; the place by name): at most
    `shown` options by name, `label(row)` each, with a last disabled option when more would have matched
    or when a search found none but the chosen one. Other apps' pickers (the decision log's goals) draw
    through it."""
    count = rows[0][3] if rows else 0
    partial = count > shown
    rows = [row for row in rows if row[4] < 2]
    more = len(rows) > shown
    rows = sorted(rows[:shown], key=lambda row: row[5])  # by name, in the database's collation
    note = ""
    if more:
        note = f"More {noun} match: type more of the name to find them"
    elif q and partial and all(row[0] == selected for row in rows):
        note = f"No other {searched} contains “{q}”"
    choices = tuple((row[0], label(row)) for row in rows)
    return Picker(choices, selected, note, partial, count, q if partial else "")


def team_picker(*, actor: Actor, selected: int | None = None, q: str = "") -> Picker:
    """The options of a team filter, bounded whatever the number of teams, in one query. Every team when
    the organization has at most TEAM_PICKER_SHOWN; else, without `q`, the person's teams and the
    top-level teams, with `q` the teams whose name or parent's name contains it; always the `selected`
    team (when it is one of the organization's), first in the query so the bound never drops it. Ordered
    by name; a last disabled option says when more teams would have matched."""
    q = " ".join(q.split())[:TEAM_SEARCH_MAX]
    rows = queries.team_picker_rows(
        organization_id=actor.organization_id,
        chosen=selected or 0,
        q=q,
        team_ids=actor.team_ids,
        shown=TEAM_PICKER_SHOWN,
    )
    return picker_of_rows(
        rows,
        selected,
        q,
        shown=TEAM_PICKER_SHOWN,
        label=lambda row: f"{row[2]} › {row[1]}" if row[2] else row[1],
        noun="teams",
        searched="team’s name",
    )


# A person filter offers every member up to this many; above, the person's team mates, the person and the
# chosen one (at most this many), and a search field asks the server for others (`person_picker`).
PERSON_PICKER_SHOWN = 60


def person_picker(*, actor: Actor, selected: int | None = None, q: str = "") -> Picker:
    """The options of a person filter (an owner, the accountable person), bounded whatever the number of
    members, in one query, as `team_picker`: every active member when the organization has at most
    PERSON_PICKER_SHOWN; else, without `q`, the person and their team mates, with `q` the members whose
    name or email contains it; always the `selected` member (when one of the organization's). By name
    (the email when none); a last disabled option says when more would have matched."""
    q = " ".join(q.split())[:TEAM_SEARCH_MAX]
    rows = queries.person_picker_rows(
        organization_id=actor.organization_id,
        chosen=selected or 0,
        q=q,
        user_id=actor.user_id,
        team_ids=actor.team_ids,
        shown=PERSON_PICKER_SHOWN,
    )
    return picker_of_rows(
        rows,
        selected,
        q,
        shown=PERSON_PICKER_SHOWN,
        label=lambda row: row[1] or row[2],
        noun="people",
        searched="person’s name or email",
    )


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


def invitation_list(*, actor: Actor, pending_only: bool = False):
    """The organization's invitations, newest first (pending only: not accepted nor revoked; expired
    ones stay, to be sent again)."""
    actor.require("people.invite")
    query = Invitation.objects.for_org(actor.organization).select_related("team", "invited_by")
    if pending_only:
        query = query.filter(accepted_at__isnull=True, revoked_at__isnull=True)
    return query.order_by("-created_at", "-pk")
