"""The insights app's hand-written SQL, through `core.queries` (named parameters, the organization filter
required): the stamp of the stored figures and the stored figures that still hold, in one query (building
it through the ORM cost more than running it, on every page view)."""

from django.db import connection

from charter.core import queries
from charter.core.models import AuditEvent
from charter.core.rows import among, values_param
from charter.pulse.models import RoundParticipation

from .models import StoredFigures

STAMP = ("audit_max", "audit_count", "pulse_count")


def _stamp_sql(unread: tuple[str, ...]) -> tuple[list[str], dict]:
    """The three parts of the stamp as scalar subqueries (SQL shared by PostgreSQL and SQLite), with
    their parameters besides the organization's: audit events of objects other than `unread`, and pulse
    participations."""
    audit, pulse = AuditEvent._meta.db_table, RoundParticipation._meta.db_table
    names = [f"unread_{n}" for n in range(len(unread))]
    audit_rows = (
        f"FROM {audit} WHERE organization_id = %(organization_id)s"
        f" AND object_type NOT IN ({', '.join(f'%({name})s' for name in names)})"
    )
    parts = [
        f"(SELECT COALESCE(MAX(id), 0) {audit_rows})",
        f"(SELECT COUNT(*) {audit_rows})",
        f"(SELECT COUNT(*) FROM {pulse} WHERE organization_id = %(organization_id)s)",
    ]
    return parts, dict(zip(names, unread, strict=True))


def stamp(*, organization_id: int, unread: tuple[str, ...]) -> dict:
    """The current stamp, by the names of STAMP."""
    parts, params = _stamp_sql(unread)
    row = queries.fetch_one(f"SELECT {', '.join(parts)}", {**params, "organization_id": organization_id})
    return dict(zip(STAMP, row, strict=True))


def valid_figures(
    *,
    organization_id: int,
    team_keys: list[int],
    cycle_ids: list[int],
    attainment_mark,
    stale_days: int,
    now,
    unread,
) -> list[tuple]:
    """(team key, cycle id, indicators, factors) of the stored figures of these teams (0: the
    organization) and cycles that still hold: stored with the organization's current mark, stale days and
    stamp, and valid until after `now`."""
    parts, params = _stamp_sql(unread)
    sql = (
        f"SELECT team_key, cycle_id, indicators, factors FROM {StoredFigures._meta.db_table} "
        "WHERE organization_id = %(organization_id)s"
        f" AND team_key {among(connection.vendor).replace('%s', '%(team_keys)s')}"
        f" AND cycle_id {among(connection.vendor).replace('%s', '%(cycle_ids)s')}"
        " AND attainment_mark = %(mark)s AND stale_days = %(stale_days)s"
        " AND (valid_until IS NULL OR valid_until > %(now)s) "
        + "".join(f"AND {name} = {part} " for name, part in zip(STAMP, parts, strict=True))
    )
    params.update(
        organization_id=organization_id,
        team_keys=values_param(team_keys),
        cycle_ids=values_param(cycle_ids),
        mark=attainment_mark,
        stale_days=stale_days,
        now=connection.ops.adapt_datetimefield_value(now),
    )
    return queries.fetch_all(sql, params)
