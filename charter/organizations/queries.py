"""The organizations app's hand-written SQL, every statement of it, through `core.queries` (named
parameters, the organization filter required). The actor's reads and the session's run on every request,
and the pickers on many pages: as querysets they cost more CPU to build than the database takes to answer.
Three are declared unscoped: the session row (read by its key before anyone is known), the signed-in user
(read before the session's organization is checked) and a token (found by its hash)."""

from functools import cache

from django.db import connection

from charter.core import queries
from charter.core.rows import among, columns, row_reader, values_param

from .models import ApiToken, Membership, Organization, Team, TeamMembership, User

# The actor's marks (see `actors`): one text value that says a person's role, teams and led teams in an
# organization, and how many organizations they belong to.
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


@cache
def _organization_query(vendor: str):
    sql = (
        f"SELECT {columns(Organization, 'o')}, {_marks_sql('o.id', 'u.id')}"
        f" FROM {_q(Organization)} o, {_q(User)} u WHERE o.id = %(organization_id)s AND u.id = %(user_id)s"
    )
    return sql, row_reader(Organization)


def organization_with_marks(*, organization_id: int, user_id: int) -> tuple[Organization, str | None] | None:
    """The organization and the person's marks in it; None when there is no such organization (or user)."""
    sql, (read, n) = _organization_query(connection.vendor)
    row = queries.fetch_one(sql, {"organization_id": organization_id, "user_id": user_id})
    return None if row is None else (read(row[:n]), row[n])


@cache
def _session_user_query(vendor: str):
    user_cols, org_cols = columns(User, "u"), columns(Organization, "o")
    sql = (
        f"SELECT {user_cols}, {org_cols}, {_marks_sql('o.id', 'u.id')}"
        f" FROM {_q(User)} u LEFT JOIN {_q(Organization)} o ON o.id = %(organization_id)s"
        " WHERE u.id = %(user_id)s"
    )
    return sql, row_reader(User), row_reader(Organization)


def session_user(*, user_id, organization_id: int | None) -> tuple[User, tuple | None] | None:
    """The user, and (the session's organization, the person's marks in it) when it still exists."""
    sql, (read_user, n_user), (read_org, _) = _session_user_query(connection.vendor)
    params = {"organization_id": organization_id, "user_id": user_id}
    row = queries.fetch_one(
        sql, params, unscoped="the signed-in user, read with the organization the session names"
    )
    if row is None:
        return None
    org_values = row[n_user:-1]
    return read_user(row[:n_user]), (org_values[0] is not None and (read_org(org_values), row[-1]))


@cache
def _token_query(vendor: str):
    models = (ApiToken, User, Organization)
    token_cols, user_cols, org_cols = (
        columns(model, alias) for alias, model in zip("tuo", models, strict=True)
    )
    sql = (
        f"SELECT {token_cols}, {user_cols}, {org_cols}, {_marks_sql('t.organization_id', 't.user_id')}"
        f" FROM {_q(ApiToken)} t JOIN {_q(User)} u ON u.id = t.user_id"
        f" JOIN {_q(Organization)} o ON o.id = t.organization_id"
        " WHERE t.token_hash = %(token_hash)s AND t.revoked_at IS NULL"
    )
    return sql, [row_reader(model) for model in models]


def token_with_actor(*, token_hash: str) -> ApiToken | None:
    """The unrevoked token with this hash, its user and organization set, its owner's marks as
    `actor_marks`."""
    sql, ((read_token, n_token), (read_user, n_user), (read_org, _)) = _token_query(connection.vendor)
    row = queries.fetch_one(sql, {"token_hash": token_hash}, unscoped="a token names its organization itself")
    if row is None:
        return None
    token = read_token(row[:n_token])
    token.user = read_user(row[n_token : n_token + n_user])
    token.organization = read_org(row[n_token + n_user : -1])
    token.actor_marks = row[-1]
    return token


@cache
def _session_query(vendor: str):
    from django.contrib.sessions.models import Session

    fields = Session._meta.concrete_fields
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(Session._meta.db_table)}"
        f" WHERE {quote('session_key')} = %(session_key)s AND {quote('expire_date')} > %(now)s"
    )
    return sql, row_reader(Session)[0]


def session_row(*, session_key: str, now):
    """The unexpired session with this key (a `Session`), or None."""
    sql, read = _session_query(connection.vendor)
    params = {"session_key": session_key, "now": connection.ops.adapt_datetimefield_value(now)}
    row = queries.fetch_one(sql, params, unscoped="a session is found by its key, before anyone is known")
    return None if row is None else read(row)


def rate_hit(*, key: str, window: int) -> int:
    """Count one hit of `key` in `window` (an atomic upsert: a row of an earlier window starts again at
    1); the window's count so far."""
    from .models import RateCounter

    quote = connection.ops.quote_name
    table, k, w, h = (quote(n) for n in (RateCounter._meta.db_table, "key", "window", "hits"))
    sql = (
        f"INSERT INTO {table} ({k}, {w}, {h}) VALUES (%(key)s, %(window)s, 1)"
        f" ON CONFLICT ({k}) DO UPDATE SET "
        f"{h} = CASE WHEN {table}.{w} = excluded.{w} THEN {table}.{h} + 1 ELSE 1 END, {w} = excluded.{w} "
        f"RETURNING {h}"
    )
    why = "the sign-in and API throttle counts by IP address, account or token, before any organization"
    return queries.fetch_one(sql, {"key": key, "window": window}, unscoped=why)[0]


def lock_users() -> None:
    """PostgreSQL: lock the user table until the transaction ends (two first runs at once: the second
    waits)."""
    queries.execute(
        f"LOCK TABLE {_q(User)} IN EXCLUSIVE MODE", unscoped="the first run, before any organization"
    )


# The pickers: rows (id, two texts, the organization's count, `picked`: 0 the chosen one, 1 a wanted one, 2
# a row read only to carry the count; the place by name in the database's collation).


@cache
def _team_picker_query(vendor: str, search: bool, shown: int) -> str:
    team = _q(Team)
    if search:  # as the label reads, "Parent › Team"; LIKE's wildcards in the search are escaped
        wanted = (
            "UPPER(t.name) LIKE UPPER(%(like)s) ESCAPE '\\' OR UPPER(p.name) LIKE UPPER(%(like)s) ESCAPE '\\'"
        )
    else:
        wanted = f"t.parent_id IS NULL OR t.id {among(vendor).replace('%s', '%(team_ids)s')}"
    wanted = f"(c.n <= {shown} OR {wanted})"
    return (
        "SELECT t.id, t.name, p.name, c.n,"
        f" CASE WHEN t.id = %(chosen)s THEN 0 WHEN {wanted} THEN 1 ELSE 2 END AS picked,"
        " ROW_NUMBER() OVER (ORDER BY t.name, t.id)"
        f" FROM {team} t LEFT JOIN {team} p ON p.id = t.parent_id"
        f" CROSS JOIN (SELECT COUNT(*) AS n FROM {team} WHERE organization_id = %(organization_id)s) c"
        f" WHERE t.organization_id = %(organization_id)s AND ({wanted} OR t.id = %(chosen)s"
        f" OR t.id = (SELECT MIN(id) FROM {team} WHERE organization_id = %(organization_id)s))"
        " ORDER BY picked, t.name, t.id LIMIT %(limit)s"
    )


@cache
def _person_picker_query(vendor: str, search: bool, shown: int) -> str:
    """With a search, the members whose name or email contains it (a scan, as any search of a substring);
    without, the candidates gathered by index first (the chosen one, the person, their team mates, the
    first member; every member only when they are at most `shown`, a branch the database skips otherwise),
    so that a large organization's members are not all read and sorted."""
    user, member, team_member = (_q(m) for m in (User, Membership, TeamMembership))
    team_ids = among(vendor).replace("%s", "%(team_ids)s")
    if search:  # the name or the email contains it; LIKE's wildcards in the search are escaped
        wanted = (
            "UPPER(u.full_name) LIKE UPPER(%(like)s) ESCAPE '\\'"
            " OR UPPER(u.email) LIKE UPPER(%(like)s) ESCAPE '\\'"
        )
        wanted = f"(c.n <= {shown} OR {wanted})"
        return (
            "SELECT u.id, u.full_name, u.email, c.n,"
            f" CASE WHEN u.id = %(chosen)s THEN 0 WHEN {wanted} THEN 1 ELSE 2 END AS picked,"
            " ROW_NUMBER() OVER (ORDER BY u.full_name, u.email, u.id)"
            f" FROM {member} m JOIN {user} u ON u.id = m.user_id"
            f" CROSS JOIN (SELECT COUNT(*) AS n FROM {member}"
            " WHERE organization_id = %(organization_id)s AND is_active) c"
            " WHERE m.organization_id = %(organization_id)s AND m.is_active"
            f" AND ({wanted} OR u.id = %(chosen)s"
            f" OR u.id = (SELECT MIN(user_id) FROM {member}"
            " WHERE organization_id = %(organization_id)s AND is_active))"
            " ORDER BY picked, u.full_name, u.email, u.id LIMIT %(limit)s"
        )
    return (
        f"WITH c AS (SELECT COUNT(*) AS n FROM {member}"
        " WHERE organization_id = %(organization_id)s AND is_active)"
        " SELECT u.id, u.full_name, u.email, c.n, k.picked,"
        " ROW_NUMBER() OVER (ORDER BY u.full_name, u.email, u.id)"
        " FROM (SELECT user_id, MIN(picked) AS picked FROM ("
        " SELECT %(chosen)s AS user_id, 0 AS picked UNION ALL SELECT %(user_id)s, 1"
        f" UNION ALL SELECT user_id, 1 FROM {team_member} WHERE team_id {team_ids}"
        f" UNION ALL SELECT user_id, 1 FROM (SELECT user_id FROM {member}"
        f" WHERE organization_id = %(organization_id)s AND is_active AND (SELECT n FROM c) <= {shown}"
        f" LIMIT {shown}) e"
        f" UNION ALL SELECT MIN(user_id), 2 FROM {member}"
        " WHERE organization_id = %(organization_id)s AND is_active"
        ") w GROUP BY user_id) k"
        f" JOIN {member} m ON m.user_id = k.user_id"
        " AND m.organization_id = %(organization_id)s AND m.is_active"
        f" JOIN {user} u ON u.id = k.user_id CROSS JOIN c"
        " ORDER BY k.picked, u.full_name, u.email, u.id LIMIT %(limit)s"
    )


def _like(q: str) -> str:
    return f"%{connection.ops.prep_for_like_query(q)}%"


def team_picker_rows(*, organization_id: int, chosen: int, q: str, team_ids, shown: int) -> list[tuple]:
    """The team picker's rows: the chosen team, the teams matching `q` (else the person's `team_ids` and
    the top-level ones; every team when the organization has at most `shown`), at most `shown` + 1."""
    params = {"organization_id": organization_id, "chosen": chosen, "limit": shown + 1}
    if q:
        params["like"] = _like(q)
    else:
        params["team_ids"] = values_param(team_ids)
    return queries.fetch_all(_team_picker_query(connection.vendor, bool(q), shown), params)


def person_picker_rows(
    *, organization_id: int, chosen: int, q: str, user_id: int, team_ids, shown: int
) -> list[tuple]:
    """The person picker's rows: the chosen member, the members matching `q` (else the person and their
    team mates; every member when the organization has at most `shown`), at most `shown` + 1."""
    params = {"organization_id": organization_id, "chosen": chosen, "limit": shown + 1}
    if q:
        params["like"] = _like(q)
    else:
        params.update(user_id=user_id, team_ids=values_param(team_ids))
    return queries.fetch_all(_person_picker_query(connection.vendor, bool(q), shown), params)
