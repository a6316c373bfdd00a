"""The notifications app's hand-written SQL, through `core.queries`: the home page's inbox panel, read on
every visit of home (as a queryset it cost more to compile than to run)."""

from functools import cache

from django.db import connection

from charter.core import queries
from charter.core.rows import columns, row_reader

from .models import Notification


@cache
def _latest_unread(vendor: str):
    table = connection.ops.quote_name(Notification._meta.db_table)
    sql = (
        f"SELECT {columns(Notification, 'n')} FROM {table} n"
        " WHERE n.organization_id = %(organization_id)s AND n.recipient_id = %(user_id)s"
        " AND n.read_at IS NULL ORDER BY n.created_at DESC, n.id DESC LIMIT %(limit)s"
    )
    return sql, row_reader(Notification)[0]


def latest_unread(*, organization_id: int, user_id: int, limit: int) -> list[Notification]:
    """The person's newest `limit` unread notifications, newest first."""
    sql, read = _latest_unread(connection.vendor)
    params = {"organization_id": organization_id, "user_id": user_id, "limit": limit}
    return [read(row) for row in queries.fetch_all(sql, params)]
