"""Values no database column can hold, refused once for every operation before any view runs.

Pydantic accepts integers of any size, NaN and infinity, NUL characters and lone UTF-16 surrogates
(JSON escapes such as "\\ud800"), time zone offsets up to 24 hours, moments without an offset and
moments that leave the years 1-9999 once in UTC. None of them can be stored or used: SQLite overflows
above 64 bits, PostgreSQL refuses NUL in text and offsets of 16 hours or more, neither encodes a lone
surrogate, Python cannot read back a year 0, a moment without an offset cannot be compared with the
server's clock, and NaN or infinity would make roll-ups and JSON answers invalid. So every parsed value
of a request (path, query and body, nested to any depth) is checked here, and a bad one is a 422 that
names its field like any validation error.
"""

import math
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
MAX_OFFSET = timedelta(hours=16)  # PostgreSQL refuses a time zone displacement of 16 hours or more


def _problem(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            return f"Whole numbers must lie between {INT_MIN} and {INT_MAX}."
    elif isinstance(value, float):
        if not math.isfinite(value):
            return "Numbers must be finite (not NaN or infinity)."
    elif isinstance(value, datetime):
        if value.utcoffset() is None:
            return "Give the moment with its time zone offset, such as 2026-03-31T17:00:00Z or +02:00."
        if abs(value.utcoffset()) >= MAX_OFFSET:
            return "A time zone offset must lie within ±15:59."
        try:
            value.astimezone(UTC)
        except OverflowError:
            return "The moment must lie between the years 1 and 9999 in UTC."
    elif isinstance(value, str):
        if "\x00" in value:
            return "Text must not contain NUL (\\u0000) characters."
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "Text must be valid Unicode (no lone surrogate escapes such as \\ud800)."
    return None


def _walk(value, loc: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, BaseModel):
        value = {name: getattr(value, name) for name in type(value).model_fields}
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and (message := _problem(key)):
                yield (*loc, key), message
            yield from _walk(item, (*loc, key))
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from _walk(item, (*loc, index))
    elif message := _problem(value):
        yield loc, message


def problems(values: Mapping) -> list[dict]:
    """Ninja-style errors (`loc`, `msg`) for every unstorable value among a view's keyword arguments.

    A schema argument (a body, a query schema, the pagination) is named by its own fields, the way
    ninja names them; a plain argument (a path or query parameter) by its name.
    """
    found = []
    for name, value in values.items():
        loc = () if isinstance(value, BaseModel) else (name,)
        found += [{"loc": where, "msg": message} for where, message in _walk(value, loc)]
    return found


def document_bounds(node) -> None:
    """Write the integer bounds into an OpenAPI document (in place), so clients see the limit."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            if "exclusiveMinimum" not in node:
                node.setdefault("minimum", INT_MIN)
            if "exclusiveMaximum" not in node:
                node.setdefault("maximum", INT_MAX)
        for value in node.values():
            document_bounds(value)
    elif isinstance(node, list):
        for value in node:
            document_bounds(value)
