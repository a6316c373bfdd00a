"""Rows of a correlated subquery as one column: a page reads several small lists in one query.

`JSONRows(queryset, "id", "title", author="author__full_name")` is an expression (a scalar subquery, so
`OuterRef` ties it to the outer row) that aggregates the queryset's rows, in its order and at most `limit`
of them, into one JSON array (PostgreSQL `json_agg`, SQLite `json_group_array`), and reads it back as a list
of dicts keyed by the given names, each value converted by its field as the ORM would give it (datetimes
aware, booleans, dates, decimals, JSON). Django has `JSONObject` and `JSONArray` but no portable JSON array
aggregate; arrays of arrays keep the text short and the column names out of it.
"""

import datetime
import json
from decimal import Decimal

from django.db.models import F, Subquery, TextField
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time


def _datetime(value):
    moment = parse_datetime(value)  # PostgreSQL gives an offset, SQLite naive UTC
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)


_READERS = {
    "DateTimeField": _datetime,
    "DateField": parse_date,
    "TimeField": parse_time,
    "DecimalField": lambda v: Decimal(str(v)),
    "FloatField": float,
    "BooleanField": bool,
    "JSONField": json.loads,  # carried as text (see `_column`), so its own numbers stay as stored
}


def _reader(field):
    return _READERS.get(field.get_internal_type()) if field is not None else None


class JSONRows(Subquery):
    """The rows of `queryset` as a list of dicts (empty when none), in one column of the outer query."""

    output_field = TextField()

    def __init__(self, queryset, *names: str, limit: int = 1000, **columns):
        columns = {**{name: F(name) for name in names}, **columns}
        columns = {name: F(c) if isinstance(c, str) else c for name, c in columns.items()}
        self.names = list(columns)
        # Internal aliases: a model's field names may not be taken by annotations.
        inner = queryset.values(**{f"_c{i}": c for i, c in enumerate(columns.values())})
        fields = [inner.query.annotations[f"_c{i}"] for i in range(len(columns))]
        self.readers = [_reader(getattr(f, "_output_field_or_none", None)) for f in fields]
        self.json_columns = [reader is json.loads for reader in self.readers]
        super().__init__(inner[:limit])  # a slice keeps the order (Django drops an unsliced one's)

    def as_sql(self, compiler, connection, template=None, **extra_context):
        inner_sql, params = self.query.as_sql(compiler, connection)
        postgres = connection.vendor == "postgresql"
        cols = ", ".join(self._column(i, is_json, postgres) for i, is_json in enumerate(self.json_columns))
        if postgres:
            # An aggregate over a sorted subquery takes its rows in that order (PostgreSQL's documented way).
            sql = f"(SELECT COALESCE(json_agg(json_build_array({cols})), '[]')::text FROM {inner_sql} _r)"
        else:
            sql = f"(SELECT json_group_array(json_array({cols})) FROM {inner_sql} _r)"
        return sql, params

    @staticmethod
    def _column(i: int, is_json: bool, postgres: bool) -> str:
        if is_json and postgres:
            return f"_r._c{i}::text"
        return f"_r._c{i}"

    def get_db_converters(self, connection):
        return [*super().get_db_converters(connection), self._read]

    def _read(self, value, expression, connection) -> list[dict]:
        rows = json.loads(value) if value else []
        readers, names = self.readers, self.names
        return [
            {
                name: v if v is None or reader is None else reader(v)
                for name, reader, v in zip(names, readers, row, strict=True)
            }
            for row in rows
        ]
