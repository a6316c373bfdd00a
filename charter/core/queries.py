"""The one door for hand-written SQL. Each app that needs SQL the ORM does not write keeps all of it in its
own `queries.py` and runs it through these functions, with named parameters (`%(organization_id)s`, a
dict), never positional lists.

A query must be scoped to one organization: its parameters name `organization_id` and its text uses
`%(organization_id)s`, or it is refused (`UnscopedQuery`) before it reaches the database. SQL that is
rightly not about one organization (a session read by its key, the sign-in throttle, the search index's
upkeep, a backup) says so with `unscoped="<why>"`, so that every exception can be found with
`grep -rn "unscoped=" charter/`. The sweep in `tests/test_query_sweep.py` runs every page with a second
organization's rows in the database and checks what each scoped query gave back.

On PostgreSQL the parameters are bound on the server (`server_side_binding`, see
`config.settings.base.database_config`), so psycopg prepares each statement on its first use and the
database plans it once per connection.
"""

from collections.abc import Mapping
from functools import cache

from django.db import connections

ORGANIZATION = "%(organization_id)s"


class UnscopedQuery(ValueError):
    """SQL without the organization filter, not declared unscoped."""


_observers: list = []  # callables(sql, params, rows) told of each scoped read (the sweep's)


def checked(sql: str, params: Mapping, unscoped: str | None) -> None:
    """Refuse positional parameters, and SQL without the organization filter unless declared unscoped."""
    if not isinstance(params, Mapping):
        raise TypeError("Parameters are named: give a dict, with %(name)s placeholders in the SQL.")
    if unscoped is not None:
        if not unscoped.strip():
            raise UnscopedQuery("unscoped= needs the reason the query is not about one organization.")
        return
    if params.get("organization_id") is None or ORGANIZATION not in sql:
        raise UnscopedQuery(
            "SQL must filter by %(organization_id)s (and be given it), or say unscoped='<why>': " + sql[:200]
        )


def _tell(sql: str, params: Mapping, unscoped: str | None, rows: list) -> None:
    for observer in _observers:
        observer(sql, params, unscoped, rows)


def fetch_all(
    sql: str, params: Mapping, *, unscoped: str | None = None, using: str = "default"
) -> list[tuple]:
    """Every row of the query, as tuples."""
    checked(sql, params, unscoped)
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.timezone_name == "UTC":
            # psycopg's own loader, in C, gives the aware UTC datetimes that Django's wrapper of it gives
            # after replacing each one's tzinfo in Python (a few ms for the whole cycle's tree).
            cursor.cursor.adapters.register_loader("timestamptz", _utc_timestamps())
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if _observers:
        _tell(sql, params, unscoped, rows)
    return rows


def fetch_one(
    sql: str, params: Mapping, *, unscoped: str | None = None, using: str = "default"
) -> tuple | None:
    """The query's first row, or None."""
    rows = fetch_all(sql, params, unscoped=unscoped, using=using)
    return rows[0] if rows else None


def execute(
    sql: str, params: Mapping | None = None, *, unscoped: str | None = None, using: str = "default"
) -> int:
    """A statement that writes (or sets up the transaction): the number of rows it touched."""
    params = {} if params is None else params
    checked(sql, params, unscoped)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params or None)
        return cursor.rowcount


@cache
def _utc_timestamps():
    import psycopg

    oid = psycopg.postgres.types["timestamptz"].oid
    return psycopg.postgres.adapters.get_loader(oid, psycopg.pq.Format.TEXT)
