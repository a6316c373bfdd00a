"""Reading one number out of a fetched document: a small JSON path evaluator, a CSV cell, numbers.

An error names the step, column or kind of value that failed, never the document's own text: a run's
error is shown to everyone who sees the source, and the document may hold what they must not read.
"""

import csv
import io
import math
import re


class ExtractError(Exception):
    """The document does not hold a number where the source says it is."""


_STEP = re.compile(r"\.?([A-Za-z_][\w-]*)|\[(-?\d+)\]|\[\"([^\"]*)\"\]|\['([^']*)'\]")


def parse_path(path: str) -> list[str | int]:
    """`data.items[0].value` → ["data", "items", 0, "value"]; a leading `$` is allowed."""
    text = path.strip().removeprefix("$")
    steps, pos = [], 0
    while pos < len(text):
        match = _STEP.match(text, pos)
        if match is None or (match.group(1) and pos > 0 and not text[pos] == "."):
            raise ExtractError(f"The path “{path}” cannot be read at character {pos + 1}.")
        name, index, quoted, single = match.groups()
        steps.append(int(index) if index is not None else name or quoted or single or "")
        pos = match.end()
    if not steps:
        raise ExtractError("The path is empty: name the field that holds the value, e.g. data.value.")
    return steps


def json_value(document, path: str):
    """The element of a parsed JSON document at `path`; ExtractError names the first missing step."""
    node, walked = document, "$"
    for step in parse_path(path):
        if isinstance(step, int):
            if not isinstance(node, list) or not -len(node) <= step < len(node):
                raise ExtractError(f"No item [{step}] in {walked}.")
            walked += f"[{step}]"
        else:
            if not isinstance(node, dict) or step not in node:
                raise ExtractError(f"No field “{step}” in {walked}.")
            walked += f".{step}"
        node = node[step]
    return node


def csv_value(text: str, column: str, row: int = -1):
    """The cell of `column` (a header name, or a 0-based index) in data row `row` (-1: the last)."""
    try:
        rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    except csv.Error as exc:  # its message names the fault (a field too long, a NUL), not the text
        raise ExtractError(f"The CSV cannot be read: {exc}.") from None
    if not rows:
        raise ExtractError("The CSV is empty.")
    if column.strip().isdigit():  # rows are counted below a header row, as with a named column
        index, data = int(column), rows[1:] if len(rows) > 1 else rows
    else:
        header = [h.strip() for h in rows[0]]
        if column.strip() not in header:
            raise ExtractError(f"No column “{column}” in the CSV header (it has {len(header)} columns).")
        index, data = header.index(column.strip()), rows[1:]
    if not data or not -len(data) <= row < len(data):
        raise ExtractError(f"No data row {row} in the CSV ({len(data)} rows).")
    cells = data[row]
    if index >= len(cells):
        raise ExtractError(f"Row {row} of the CSV has no column {index}.")
    return cells[index]


def _kind(raw) -> str:
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true or false"
    if isinstance(raw, dict):
        return "an object"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, str):
        return f"text of {len(raw)} characters" if raw.strip() else "empty"
    return f"of type {type(raw).__name__}"


def to_number(raw) -> float:
    """A finite float from a JSON number or a numeric string; ExtractError otherwise."""
    if isinstance(raw, bool) or raw is None:
        raise ExtractError(f"The value is not a number (it is {_kind(raw)}).")
    if isinstance(raw, str):
        raw = raw.strip().replace(",", "") if re.fullmatch(r"-?[\d,]+(\.\d+)?", raw.strip()) else raw.strip()
    try:
        number = float(raw)
    except (TypeError, ValueError):
        raise ExtractError(f"The value is not a number (it is {_kind(raw)}).") from None
    if not math.isfinite(number):
        raise ExtractError("The value is not a finite number.")
    return number
