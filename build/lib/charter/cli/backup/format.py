"""The backup file format, version 1: a zip archive of canonical JSON Lines tables and a manifest.

An archive holds `manifest.json` and one member `tables/<table>.jsonl` per table. Each line of a member is
one row: a compact JSON array of the row's values in the manifest's column order, encoded as below, the
rows ordered by primary key (integers by value, text and UUIDs by code point). JSON columns keep their
objects' key order as the database returned it (SQLite keeps it as written; PostgreSQL's jsonb has its own).

Per table the manifest holds two checksums: `sha256`, of the table's canonical content (every line
re-encoded with object keys sorted), the same for the same rows on SQLite and on PostgreSQL, which a
restore checks against the database after loading; and `member_sha256`, of the member's exact bytes.

Values by column kind: `int`, `bool`, `text` and `json` as JSON; `float` as a JSON number (non-finite ones
as the strings "NaN", "Infinity", "-Infinity"); `decimal` as a plain decimal string; `datetime` as ISO 8601
in UTC with microseconds; `date` and `time` as ISO 8601; `duration` as whole microseconds; `uuid` as the
hyphenated hex string; `bytes` as standard base64. SQL NULL is `null`.
"""

import base64
import json
import math
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT = "charter-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

Kind = Literal[
    "int", "float", "bool", "text", "decimal", "datetime", "date", "time", "duration", "uuid", "bytes", "json"
]

# Django's internal field types (after following relations to their target) by the kind that encodes them.
KINDS: dict[str, str] = {
    **dict.fromkeys(
        [
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        ],
        "int",
    ),
    "FloatField": "float",
    "BooleanField": "bool",
    **dict.fromkeys(
        [
            "CharField",
            "TextField",
            "SlugField",
            "EmailField",
            "URLField",
            "FilePathField",
            "FileField",
            "ImageField",
            "GenericIPAddressField",
        ],
        "text",
    ),
    "DecimalField": "decimal",
    "DateTimeField": "datetime",
    "DateField": "date",
    "TimeField": "time",
    "DurationField": "duration",
    "UUIDField": "uuid",
    "BinaryField": "bytes",
    "JSONField": "json",
}


class BackupError(Exception):
    """A backup that cannot be made, or an archive that cannot (or must not) be restored."""


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    kind: Kind


class TableEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    table: str
    model: str
    columns: list[Column]
    rows: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    member: str
    member_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vendor: str
    version: str


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["charter-backup"]
    format_version: Literal[1]
    charter_version: str
    django_version: str
    created_at: datetime
    source: Source
    migrations: dict[str, list[str]]
    tables: list[TableEntry]
    derived: list[str]


def member_name(table: str) -> str:
    return f"tables/{table}.jsonl"


# Encoding: the Python value the ORM reads → a JSON value.

_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _enc_float(value):
    value = float(value)
    if math.isfinite(value):
        return value
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def _enc_datetime(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.isoformat(timespec="microseconds")


ENCODERS = {
    "int": int,
    "float": _enc_float,
    "bool": bool,
    "text": str,
    "decimal": lambda v: format(v, "f"),
    "datetime": _enc_datetime,
    "date": lambda v: v.isoformat(),
    "time": lambda v: v.isoformat(timespec="microseconds"),
    "duration": lambda v: v // timedelta(microseconds=1),
    "uuid": lambda v: str(v if isinstance(v, uuid.UUID) else uuid.UUID(str(v))),
    "bytes": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
    "json": lambda v: v,
}


def encode_row(encoders, row) -> list:
    """One row's JSON-ready values."""
    return [None if v is None else enc(v) for enc, v in zip(encoders, row, strict=True)]


def file_line(values: list) -> bytes:
    """A row as stored in its member: compact JSON, objects' keys in their order."""
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8") + b"\n"


def canonical_line(values: list) -> bytes:
    """A row as checksummed: compact JSON with every object's keys sorted."""
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
    return text.encode("utf-8") + b"\n"


# Decoding: a JSON value → the Python value a field accepts. Each raises ValueError with what is wrong.


def _dec_int(v):
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError(f"expected an integer, found {v!r}")
    return v


def _dec_float(v):
    if isinstance(v, str) and v in _NON_FINITE:
        return _NON_FINITE[v]
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ValueError(f"expected a number, found {v!r}")
    return float(v)


def _dec_bool(v):
    if not isinstance(v, bool):
        raise ValueError(f"expected true or false, found {v!r}")
    return v


def _dec_text(v):
    if not isinstance(v, str):
        raise ValueError(f"expected a string, found {v!r}")
    return v


def _dec_decimal(v):
    try:
        return Decimal(_dec_text(v))
    except InvalidOperation:
        raise ValueError(f"expected a decimal number, found {v!r}")


def _dec_datetime(v):
    value = datetime.fromisoformat(_dec_text(v))
    return value


def _dec_bytes(v):
    try:
        return base64.b64decode(_dec_text(v), validate=True)
    except (ValueError, TypeError) as error:
        raise ValueError(f"expected base64 bytes ({error})")


DECODERS = {
    "int": _dec_int,
    "float": _dec_float,
    "bool": _dec_bool,
    "text": _dec_text,
    "decimal": _dec_decimal,
    "datetime": _dec_datetime,
    "date": lambda v: date.fromisoformat(_dec_text(v)),
    "time": lambda v: time.fromisoformat(_dec_text(v)),
    "duration": lambda v: timedelta(microseconds=_dec_int(v)),
    "uuid": lambda v: uuid.UUID(_dec_text(v)),
    "bytes": _dec_bytes,
    "json": lambda v: v,
}


def decode_line(line: bytes, columns: list[Column], where: str) -> tuple[list, list]:
    """The JSON values of one line and the Python values they stand for; `where` ("tables/x.jsonl
    line 3") names the place in errors."""
    try:
        values = json.loads(line)
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{where}: not a JSON line ({error}).")
    if not isinstance(values, list) or len(values) != len(columns):
        raise BackupError(f"{where}: expected a list of {len(columns)} values.")
    row = []
    for column, value in zip(columns, values, strict=True):
        if value is None:
            row.append(None)
            continue
        try:
            row.append(DECODERS[column.kind](value))
        except ValueError as error:
            raise BackupError(f"{where}, column {column.name}: {error}.")
    return values, row
