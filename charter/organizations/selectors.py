"""Reads about organizations, people and teams, always within the actor's organization."""

from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Count, Prefetch
from django.utils.html import escape
from django.utils.safestring import SafeString

from charter.core.actor import Actor
from charter.core.compiled import prepared_cursor
from charter.core.errors import NotFound
from charter.core.rows import among, values_param
from charter.core.templatetags.charter import options

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
    """What a bounded filter (of teams, of people) shows, drawn by `organizations/_picker.html`:
    `options` (escaped `<option>`s by name, the chosen one selected); `partial` when they are not all of
    the organization's `total` (then the page shows the search field); `q`, the search it answers."""

    options: SafeString
    partial: bool
    total: int
    q: str = ""


@cache
def _team_picker_query(vendor: str, search: bool):
    """The SQL of `team_picker`, built once per process (as a queryset it cost more to compile than to
    run). Rows: id, name, parent's name, the organization's number of teams, `picked` (0 the chosen team, 1 a
    wanted one, 2 the organization's first team: read only to carry the number when nothing is wanted),
    and the place by name in the database's collation (names need no converter: text on every database)."""
    q = connection.ops.quote_name
    team = q(Team._meta.db_table)
    if search:  # as the label reads, "Parent › Team"; LIKE's wildcards in the search are escaped
        wanted = "UPPER(t.name) LIKE UPPER(%s) ESCAPE '\\' OR UPPER(p.name) LIKE UPPER(%s) ESCAPE '\\'"
    else:
        wanted = f"t.parent_id IS NULL OR t.id {among(vendor)}"
    wanted = f"(c.n <= {TEAM_PICKER_SHOWN} OR {wanted})"
    sql = (
        "SELECT t.id, t.name, p.name, c.n,"
        f" CASE WHEN t.id = %s THEN 0 WHEN {wanted} THEN 1 ELSE 2 END AS picked,"
        " ROW_NUMBER() OVER (ORDER BY t.name, t.id)"
        f" FROM {team} t LEFT JOIN {team} p ON p.id = t.parent_id"
        f" CROSS JOIN (SELECT COUNT(*) AS n FROM {team} WHERE organization_id = %s) c"
        f" WHERE t.organization_id = %s AND ({wanted} OR t.id = %s"
        f" OR t.id = (SELECT MIN(id) FROM {team} WHERE organization_id = %s))"
        " ORDER BY picked, t.name, t.id LIMIT %s"
    )
    return sql


def _picker_wanted_params(q: str, otherwise: list) -> list:
    """The parameters that say which rows a picker wants: the search's, else `otherwise`."""
    if q:
        like = f"%{connection.ops.prep_for_like_query(q)}%"
        return [like, like]
    return otherwise


def _picker(
    sql, actor, selected, q, wanted, *, shown: int, label, noun: str, searched: str, params=None
) -> Picker:
    """Run a picker's query (rows: id, two texts, the organization's count, `picked`, the place by name)
    and draw its options: at most `shown`, by name, `label(row)` each, with a last disabled option when
    more would have matched or when a search found none but the chosen one. The query's parameters are
    `params` when given, else the team picker's layout (`wanted` twice: in the rank and the condition)."""
    org_id, chosen = actor.organization_id, selected or 0
    if params is None:
        params = [chosen, *wanted, org_id, org_id, *wanted, chosen, org_id, shown + 1]
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return picker_of_rows(rows, selected, q, shown=shown, label=label, noun=noun, searched=searched)


def picker_of_rows(rows, selected, q, *, shown: int, label, noun: str, searched: str) -> Picker:
    """Draw a picker from its query's rows (id, two texts, the organization's count, `picked`: 0 the
    chosen one, 1 a wanted one, 2 a row read only to carry the count; the place by name): at most
    `shown` options by name, `label(row)` each, with a last disabled option when more would have matched
    or when a search found none but the chosen one. Other apps' pickers (the decision log's goals) draw
    through it."""
    count = rows[0][3] if rows else 0
    partial = count > shown
    rows = [row for row in rows if row[4] < 2]
    more = len(rows) > shown
    rows = sorted(rows[:shown], key=lambda row: row[5])  # by name, in the database's collation
    html = options(((row[0], label(row)) for row in rows), selected)
    if more:
        html += f'<option value="" disabled>More {noun} match: type more of the name to find them</option>'
    elif q and partial and all(row[0] == selected for row in rows):
        html += f'<option value="" disabled>No other {searched} contains “{escape(q)}”</option>'
    return Picker(SafeString(html), partial, count, q if partial else "")


def team_picker(*, actor: Actor, selected: int | None = None, q: str = "") -> Picker:
    """The options of a team filter, bounded whatever the number of teams, in one query. Every team when
    the organization has at most TEAM_PICKER_SHOWN; else, without `q`, the person's teams and the
    top-level teams, with `q` the teams whose name or parent's name contains it; always the `selected`
    team (when it is one of the organization's), first in the query so the bound never drops it. Ordered
    by name; a last disabled option says when more teams would have matched."""
    q = " ".join(q.split())[:TEAM_SEARCH_MAX]
    return _picker(
        _team_picker_query(connection.vendor, bool(q)),
        actor,
        selected,
        q,
        _picker_wanted_params(q, [values_param(actor.team_ids)]),
        shown=TEAM_PICKER_SHOWN,
        label=lambda row: f"{row[2]} › {row[1]}" if row[2] else row[1],
        noun="teams",
        searched="team’s name",
    )


# A person filter offers every member up to this many; above, the person's team mates, the person and the
# chosen one (at most this many), and a search field asks the server for others (`person_picker`).
PERSON_PICKER_SHOWN = 60


@cache
def _person_picker_query(vendor: str, search: bool) -> str:
    """The SQL of `person_picker`, built once per process, as `_team_picker_query`. Rows: id, name,
    email, the organization's number of members, `picked` (0 the chosen one, 1 a wanted one, 2 the
    organization's first member: read only to carry the number) and the place by name. With a search, the
    members whose name or email contains it (a scan, as any search of a substring; the parameters as the
    team picker's); without, the candidates gathered by index first (the chosen one, the person, their team
    mates, the first member; every member only when they are at most PERSON_PICKER_SHOWN, a branch the
    database skips otherwise), so that a large organization's members are not all read and sorted:
    parameters organization, chosen, person, their teams, organization, organization, limit."""
    q = connection.ops.quote_name
    user, member, team_member = (q(m._meta.db_table) for m in (User, Membership, TeamMembership))
    if search:  # the name or the email contains it; LIKE's wildcards in the search are escaped
        wanted = "UPPER(u.full_name) LIKE UPPER(%s) ESCAPE '\\' OR UPPER(u.email) LIKE UPPER(%s) ESCAPE '\\'"
        wanted = f"(c.n <= {PERSON_PICKER_SHOWN} OR {wanted})"
        return (
            "SELECT u.id, u.full_name, u.email, c.n,"
            f" CASE WHEN u.id = %s THEN 0 WHEN {wanted} THEN 1 ELSE 2 END AS picked,"
            " ROW_NUMBER() OVER (ORDER BY u.full_name, u.email, u.id)"
            f" FROM {member} m JOIN {user} u ON u.id = m.user_id"
            f" CROSS JOIN (SELECT COUNT(*) AS n FROM {member} WHERE organization_id = %s AND is_active) c"
            f" WHERE m.organization_id = %s AND m.is_active AND ({wanted} OR u.id = %s"
            f" OR u.id = (SELECT MIN(user_id) FROM {member} WHERE organization_id = %s AND is_active))"
            " ORDER BY picked, u.full_name, u.email, u.id LIMIT %s"
        )
    return (
        f"WITH c AS (SELECT COUNT(*) AS n FROM {member} WHERE organization_id = %s AND is_active)"
        " SELECT u.id, u.full_name, u.email, c.n, k.picked,"
        " ROW_NUMBER() OVER (ORDER BY u.full_name, u.email, u.id)"
        " FROM (SELECT user_id, MIN(picked) AS picked FROM ("
        " SELECT %s AS user_id, 0 AS picked UNION ALL SELECT %s, 1"
        f" UNION ALL SELECT user_id, 1 FROM {team_member} WHERE team_id {among(vendor)}"
        f" UNION ALL SELECT user_id, 1 FROM (SELECT user_id FROM {member} WHERE organization_id = %s"
        f" AND is_active AND (SELECT n FROM c) <= {PERSON_PICKER_SHOWN} LIMIT {PERSON_PICKER_SHOWN}) e"
        f" UNION ALL SELECT MIN(user_id), 2 FROM {member} WHERE organization_id = %s AND is_active"
        ") w GROUP BY user_id) k"
        f" JOIN {member} m ON m.user_id = k.user_id AND m.organization_id = %s AND m.is_active"
        f" JOIN {user} u ON u.id = k.user_id CROSS JOIN c"
        " ORDER BY k.picked, u.full_name, u.email, u.id LIMIT %s"
    )


def person_picker(*, actor: Actor, selected: int | None = None, q: str = "") -> Picker:
    """The options of a person filter (an owner, the accountable person), bounded whatever the number of
    members, in one query, as `team_picker`: every active member when the organization has at most
    PERSON_PICKER_SHOWN; else, without `q`, the person and their team mates, with `q` the members whose
    name or email contains it; always the `selected` member (when one of the organization's). By name
    (the email when none); a last disabled option says when more would have matched."""
    q = " ".join(q.split())[:TEAM_SEARCH_MAX]
    org_id, params = actor.organization_id, None
    if not q:  # the candidates' query, its own parameters (`_person_picker_query`)
        teams, bound = values_param(actor.team_ids), PERSON_PICKER_SHOWN + 1
        params = [org_id, selected or 0, actor.user_id, teams, org_id, org_id, org_id, bound]
    return _picker(
        _person_picker_query(connection.vendor, bool(q)),
        actor,
        selected,
        q,
        _picker_wanted_params(q, []),
        params=params,
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
