"""A hot page's query compiled once per process: building and compiling a query of many subqueries costs more
CPU than running it (the goal page's, with every panel's reads, ~10 ms a request), while its SQL only changes
with a few ids.

`replay(key, build, organization_id=..., user_id=..., **ids)` calls `build(actor, **ids)` once per process,
database and `key` with a stand-in actor and stand-in ids (large negative numbers that no real id or
constant takes), compiles it, and remembers where those numbers sit among the parameters. Each call gives a
queryset that runs that SQL with the real ids in their places and reads its rows as the original queryset
would (model instances, select_related, annotations with their converters; prefetches run as usual).
`build` may use only the actor's `organization` (its `pk`), `organization_id` and `user_id`: the stand-in
refuses anything else, so a query that depends on more (a role, a permission) fails loudly instead of being
shared between people; and it is built twice with different stand-ins, so a query whose other parameters
change between builds (the time, say) is refused instead of being run with the first build's values.
"""

import copy
import threading
from functools import cache
from types import SimpleNamespace

from django.db import connections

_BASE = -7_340_000_000_000
_cache: dict = {}
_lock = threading.Lock()


class StandInActor:
    """The actor a replayed query is built with: only the ids its SQL may depend on."""

    def __init__(self, organization_id: int, user_id: int):
        self.organization = SimpleNamespace(pk=organization_id)
        self.organization_id = organization_id
        self.user_id = user_id

    def __getattr__(self, name):
        raise AttributeError(
            f"A replayed query may depend on the organization and the person only, not {name!r}"
        )


def _execute(compiler, sql: str, params: list):
    """The compiler's `execute_sql` for a replay: the remembered SQL with these parameters, every row at
    once (as `execute_sql` gives them when not chunked)."""

    def execute_sql(*args, **kwargs):
        with prepared_cursor(compiler.connection) as cursor:
            cursor.execute(sql, params)
            return [cursor.fetchall()]

    return execute_sql


def prepared_cursor(connection):
    """A cursor for a replayed query, or for a hot page's plain SQL built once per process (its text the
    same for every request, only the parameters changing). On PostgreSQL with prepared statements on
    (`prepare_threshold` set, see `config.settings.base.database_config`), one that binds its parameters on
    the server, so that the query is planned once per connection and then only executed: planning the goal
    page's query costs more than running it. Django's other cursors bind on the client and are never
    prepared. Django wraps both, so the query is counted and logged as any other.

    With the connection in UTC (USE_TZ, Django's default), its timestamps are read by psycopg's own
    loader, in C: it gives the same aware datetimes (tzinfo `timezone.utc`) as Django's loader, which
    calls it and then replaces the tzinfo in Python (a few ms for a page of thousands of timestamps)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        return connection.cursor()
    import psycopg

    with connection.wrap_database_errors:
        cursor = psycopg.Cursor(connection.connection)
        if connection.timezone_name == "UTC":
            cursor.adapters.register_loader("timestamptz", _native_timestamptz_loader())
        return connection._prepare_cursor(cursor)


@cache
def _native_timestamptz_loader():
    import psycopg

    oid = psycopg.postgres.types["timestamptz"].oid
    return psycopg.postgres.adapters.get_loader(oid, psycopg.pq.Format.TEXT)


def _build(build, names: tuple[str, ...], using: str, base: int):
    stand_ins = {name: base - i for i, name in enumerate(names)}
    actor = StandInActor(stand_ins["organization_id"], stand_ins["user_id"])
    ids = {name: value for name, value in stand_ins.items() if name not in ("organization_id", "user_id")}
    queryset = build(actor, **ids)
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    by_value = {value: name for name, value in stand_ins.items()}
    slots = [(i, by_value[p]) for i, p in enumerate(params) if type(p) is int and p in by_value]
    return queryset, compiler, sql, list(params), slots


def _compiled(key, build, names: tuple[str, ...], using: str):
    """Built twice with other stand-ins: the SQL and every parameter but the ids' must be the same, else
    the query depends on something else (the time, a setting read at build time) and may not be kept."""
    entry = _build(build, names, using, _BASE)
    _, _, sql, params, slots = entry
    _, _, sql_again, params_again, slots_again = _build(build, names, using, _BASE - 1_000_000)
    ids_at = {i for i, _ in slots}
    others = [p for i, p in enumerate(params) if i not in ids_at]
    others_again = [p for i, p in enumerate(params_again) if i not in ids_at]
    if sql != sql_again or slots != slots_again or others != others_again:
        raise ValueError(f"{key!r} depends on more than its ids: it cannot be compiled once and replayed.")
    return entry


def replay(key, build, *, organization_id: int, user_id: int, using: str = "default", **ids):
    """The queryset `build(actor, **ids)` gives, compiled once per process (see the module)."""
    names = ("organization_id", "user_id", *sorted(ids))
    cache_key = (key, using, connections[using].vendor, names)
    entry = _cache.get(cache_key)
    if entry is None:
        entry = _compiled(key, build, names, using)
        with _lock:
            _cache[cache_key] = entry
    queryset, compiler, sql, params, slots = entry
    values = {"organization_id": organization_id, "user_id": user_id, **ids}
    params = list(params)
    for i, name in slots:
        params[i] = values[name]
    replayed = copy.copy(compiler)  # its select, converters and model info, as compiled
    replayed.connection = connections[using]  # this thread's: the compiling thread's is not to be shared
    replayed.execute_sql = _execute(replayed, sql, params)
    clone = queryset._chain()
    clone.query.get_compiler = lambda *args, **kwargs: replayed
    return clone
