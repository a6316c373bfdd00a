"""Who is asking: the actor of a request, read in one query on every request (never kept between them).

One subquery gives everything the actor needs about a person in an organization, as one text value of
marks: "R<role>" when their membership is active, "M<id>" for each team they belong to, "L<id>" for
each team they lead and every team below those, and "O<n>" for the number of organizations the person
is an active member of (the organization switcher reads their list only when there are two or more).
It is correlated to the row that names the person and the organization (the session's organization, a
token), so that row and the actor come together, and it never reads the organization's other teams: the
recursion walks down from the led teams only (UNION stops it should the tree ever loop). A removed
member, a changed role or team and a revoked token therefore count from the next request on.
"""

from functools import cache

from django.db import connection

from charter.core.actor import Actor
from charter.core.compiled import prepared_cursor
from charter.core.rows import columns, row_reader

from .models import ApiToken, Membership, Organization, Team, TeamMembership, User
from .permissions import allowed_actions

_MARKS = """(
WITH RECURSIVE led(id) AS (
    SELECT tm.team_id FROM {tm} tm
    WHERE tm.organization_id = {org} AND tm.user_id = {user} AND tm.is_lead
    UNION
    SELECT t.id FROM {team} t JOIN led ON t.parent_id = led.id WHERE t.organization_id = {org}
), marks(mark) AS (
    SELECT 'R' || m.role FROM {membership} m
    WHERE m.organization_id = {org} AND m.user_id = {user} AND m.is_active
    UNION ALL
    SELECT 'L' || CAST(id AS TEXT) FROM led
    UNION ALL
    SELECT 'M' || CAST(tm.team_id AS TEXT) FROM {tm} tm
    WHERE tm.organization_id = {org} AND tm.user_id = {user}
    UNION ALL
    SELECT 'O' || CAST(COUNT(*) AS TEXT) FROM {membership} m WHERE m.user_id = {user} AND m.is_active
)
SELECT {agg} FROM marks
)"""
_AGGREGATE = {"postgresql": "string_agg(mark, ',')"}  # SQLite (and the rest): group_concat


def _q(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _marks_sql(org: str, user: str) -> str:
    """The marks subquery for SQL expressions naming the organization and the person."""
    return _MARKS.format(
        tm=_q(TeamMembership),
        team=_q(Team),
        membership=_q(Membership),
        org=org,
        user=user,
        agg=_AGGREGATE.get(connection.vendor, "group_concat(mark, ',')"),
    )


def actor_from(*, user, organization, marks: str | None, request_id: str = "", via: str = "web"):
    """The actor the marks describe; None when they hold no role (not an active member)."""
    role, teams, leads, organization_count = None, set(), set(), 0
    for mark in (marks or "").split(","):
        if mark[:1] == "R":
            role = mark[1:]
        elif mark[:1] == "O":
            organization_count = int(mark[1:])
        elif mark:
            (leads if mark[0] == "L" else teams).add(int(mark[1:]))
    if role is None:
        return None
    return Actor(
        user=user,
        organization=organization,
        role=role,
        allowed=allowed_actions(role),
        team_ids=frozenset(teams),
        lead_team_ids=frozenset(leads),
        organization_count=organization_count,
        request_id=request_id,
        via=via,
    )


def _organization_with_marks(organization_id: int, user_id: int) -> Organization | None:
    """The organization, with the person's marks in it as `actor_marks`. Plain SQL read into the model:
    every signed-in page pays for it, and a queryset would cost about a millisecond more to build."""
    sql = (
        f"SELECT o.*, {_marks_sql('o.id', 'u.id')} AS actor_marks"
        f" FROM {_q(Organization)} o, {_q(User)} u WHERE o.id = %s AND u.id = %s"
    )
    return next(iter(Organization.objects.raw(sql, [organization_id, user_id])), None)


def actor_for(*, user, organization: Organization, request_id: str = "", via: str = "web") -> Actor | None:
    """The actor for `user` in `organization`, or None when they are not an active member (one query)."""
    row = _organization_with_marks(organization.pk, user.pk)
    marks = row and row.actor_marks
    return actor_from(user=user, organization=organization, marks=marks, request_id=request_id, via=via)


def session_actor(*, user, organization_id: int, request_id: str = "") -> Actor | None:
    """The actor of a web session in the organization it names (organization, role and teams in one
    query); None when the person is not, or no longer, an active member of it."""
    organization = _organization_with_marks(organization_id, user.pk)
    if organization is None:
        return None
    marks = organization.__dict__.pop("actor_marks")  # not a field: it leaves with the actor
    return actor_from(user=user, organization=organization, marks=marks, request_id=request_id)


@cache
def _session_user_query(vendor: str):
    """The signed-in user's query: the user, the session's organization (a LEFT JOIN: it may be gone)
    and the person's marks in it, with the row readers; built once per process."""
    user_cols, org_cols = columns(User, "u"), columns(Organization, "o")
    sql = (
        f"SELECT {user_cols}, {org_cols}, {_marks_sql('o.id', 'u.id')}"
        f" FROM {_q(User)} u LEFT JOIN {_q(Organization)} o ON o.id = %s WHERE u.id = %s"
    )
    return sql, row_reader(User), row_reader(Organization)


def session_user(user_id, organization_id: int | None):
    """The user of a session, with the session's organization and their marks in it kept as
    `session_organization` (the pair, or None): so the actor of a web request costs no query of its own.
    None when there is no such user."""
    sql, (read_user, n_user), (read_org, _) = _session_user_query(connection.vendor)
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [organization_id, user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    user = read_user(row[:n_user])
    org_values = row[n_user:-1]
    user.session_organization = org_values[0] is not None and (read_org(org_values), row[-1])
    return user


def preloaded_session_actor(*, user, organization_id: int, request_id: str = "") -> Actor | None:
    """The actor `session_user` read with the user, when it read the organization the session names
    now; None otherwise (then `session_actor` reads it)."""
    pair = getattr(user, "session_organization", None)
    if not pair or pair[0].pk != organization_id:
        return None
    return actor_from(user=user, organization=pair[0], marks=pair[1], request_id=request_id)


@cache
def _token_query(vendor: str):
    """The token query's SQL and row readers, built once per process (they depend on the database)."""
    models = (ApiToken, User, Organization)
    token_cols, user_cols, org_cols = (
        columns(model, alias) for alias, model in zip("tuo", models, strict=True)
    )
    sql = (
        f"SELECT {token_cols}, {user_cols}, {org_cols}, {_marks_sql('t.organization_id', 't.user_id')}"
        f" FROM {_q(ApiToken)} t JOIN {_q(User)} u ON u.id = t.user_id"
        f" JOIN {_q(Organization)} o ON o.id = t.organization_id"
        " WHERE t.token_hash = %s AND t.revoked_at IS NULL"
    )
    return sql, [row_reader(model) for model in models]


def token_with_actor(token_hash: str) -> ApiToken | None:
    """The unrevoked token with this hash, its user and organization set, and its owner's marks as
    `actor_marks`: one query in plain SQL (every API request pays for it; the queryset with two
    select_related models and the marks costs about a millisecond of CPU to build)."""
    sql, ((read_token, n_token), (read_user, n_user), (read_org, _)) = _token_query(connection.vendor)
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [token_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    token = read_token(row[:n_token])
    token.user = read_user(row[n_token : n_token + n_user])
    token.organization = read_org(row[n_token + n_user : -1])
    token.actor_marks = row[-1]
    return token
