"""Plain SQL rows read as the ORM would read them: each column through its field's converters (SQLite
gives text for datetimes, decimals and JSON), for the hot reads and writes that skip building a queryset."""

import json
from collections.abc import Callable

from django.db import connection


def field_reader(field):
    """The database's value of `field` as the ORM would give it."""
    column = field.get_col(field.model._meta.db_table)
    converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)

    def read(value):
        for convert in converters:
            value = convert(value, column, connection)
        return value

    return read


def columns(model, alias: str) -> str:
    """The columns `row_reader(model)` reads, in its order, of the table named `alias` in a query."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def row_reader(model):
    """Builds a `model` instance from its columns in a row (what the ORM's compiler does for a
    select_related row), and says how many columns it takes."""
    fields = model._meta.concrete_fields
    readers = [field_reader(field) for field in fields]
    names = [field.attname for field in fields]

    def read(values):
        converted = [reader(value) for reader, value in zip(readers, values, strict=True)]
        return model.from_db(connection.alias, names, converted)

    return read, len(fields)


def among(vendor: str) -> str:
    """SQL that tests a column against a list of values given as one parameter (`values_param`): an
    array on PostgreSQL, a JSON list on SQLite (so the statement's text does not depend on the list)."""
    return "= ANY(%s)" if vendor == "postgresql" else "IN (SELECT value FROM json_each(%s))"


def values_param(values) -> list | str:
    """The parameter of `among` for `values`."""
    values = list(values)
    return values if connection.vendor == "postgresql" else json.dumps(values)


def plain_select(model, fields: tuple[str, ...]) -> tuple[str, Callable]:
    """`SELECT <columns> FROM <table> m LEFT JOIN ...` for `fields` named as `.values()` names them (a
    field, its attname, or a foreign key's field as "fk__field", one level deep; each foreign key joined
    once as `j_<fk>`), and a function that makes a row of the cursor a dict of those names, each value
    through its field's converters as `.values()` gives it. For hot reads whose queryset cost more to
    compile than to run: build it once per process (`functools.cache`), add the WHERE and ORDER BY."""
    q, meta = connection.ops.quote_name, model._meta
    joins: dict[str, str] = {}
    columns, converted = [], []
    for n, name in enumerate(fields):
        if "__" in name:
            fk_name, sub = name.split("__")
            fk = meta.get_field(fk_name)
            alias, target = f"j_{fk_name}", fk.related_model._meta
            joins.setdefault(
                fk_name,
                f" LEFT JOIN {q(target.db_table)} {alias}"
                f" ON {alias}.{q(fk.target_field.column)} = m.{q(fk.column)}",
            )
            field = target.get_field(sub)
            columns.append(f"{alias}.{q(field.column)}")
        else:
            field = meta.get_field(name)
            columns.append(f"m.{q(field.column)}")
        column = field.get_col(field.model._meta.db_table)
        if connection.ops.get_db_converters(column) + field.get_db_converters(connection):
            converted.append((n, field_reader(field)))
    sql = f"SELECT {', '.join(columns)} FROM {q(meta.db_table)} m{''.join(joins.values())}"

    def as_dict(values) -> dict:
        if converted:
            values = list(values)
            for n, read in converted:
                values[n] = read(values[n])
        return dict(zip(fields, values, strict=True))

    return sql, as_dict
