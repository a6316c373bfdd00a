"""Plain SQL rows read as the ORM would read them: each column through its field's converters (SQLite
gives text for datetimes, decimals and JSON), for the hot reads and writes that skip building a queryset."""

import json

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
