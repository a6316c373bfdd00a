"""Make a backup: every table read in one consistent, read-only snapshot while Charter keeps running."""

import hashlib
import os
import time
import zipfile
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import django
from django.db import connections, transaction

from .format import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    Manifest,
    Source,
    TableEntry,
    canonical_line,
    file_line,
    member_name,
)
from .tables import (
    DERIVED_NOTES,
    applied_migrations,
    charter_tables,
    require_columns,
    require_migrated,
    unknown_tables,
)


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    tables: int
    rows: int
    size: int
    seconds: float


def _no_progress(description, total):
    return nullcontext(lambda step=1, description=None: None)


def charter_version() -> str:
    try:
        return version("charter")
    except PackageNotFoundError:
        return "unknown"


def database_version(connection) -> str:
    return ".".join(str(part) for part in connection.get_database_version())


@contextmanager
def read_snapshot(connection):
    """One read transaction that sees the database as it was when it began.

    PostgreSQL: REPEATABLE READ, READ ONLY. SQLite: a deferred transaction, whose first read fixes a WAL
    snapshot; writers go on committing beside it (in rollback-journal mode they would wait instead).
    Inside a caller's transaction (tests), that transaction is the snapshot.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # Django's IMMEDIATE transaction mode would take the write lock and stop the server's writers,
        # so the snapshot is a plain deferred transaction opened by hand under autocommit.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")  # nothing was written; ends the read transaction
    else:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def default_path(directory: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return directory / f"charter-{stamp}.backup.zip"


def make_backup(path: Path, *, using: str = "default", progress=_no_progress) -> BackupSummary:
    """Write every table to `path` (replaced only when the backup is complete)."""
    started = time.perf_counter()
    connection = connections[using]
    tables = charter_tables()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    entries = []
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            with read_snapshot(connection):
                created_at = datetime.now(UTC)
                migrations = applied_migrations(connection)  # the first read fixes the snapshot
                require_migrated(connection, "a backup")
                require_columns(connection, tables, "no backup was made")
                unknown = unknown_tables(connection, tables)
                if unknown:
                    raise BackupError(
                        "The database has tables that no installed app's model describes "
                        f"({', '.join(unknown)}); a backup would lose them, so none was made."
                    )
                total = sum(t.queryset(using).count() for t in tables)
                with progress("Backing up", total) as advance:
                    for table in tables:
                        entries.append(_dump_table(archive, table, using, connection, advance))
            manifest = Manifest(
                format=FORMAT,
                format_version=FORMAT_VERSION,
                charter_version=charter_version(),
                django_version=django.get_version(),
                created_at=created_at,
                source=Source(vendor=connection.vendor, version=database_version(connection)),
                migrations=migrations,
                tables=entries,
                derived=DERIVED_NOTES,
            )
            archive.writestr(MANIFEST, manifest.model_dump_json(indent=2) + "\n")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(
        path=path,
        tables=len(entries),
        rows=sum(e.rows for e in entries),
        size=path.stat().st_size,
        seconds=time.perf_counter() - started,
    )


CHUNK = 1 << 20  # bytes handed to the compressor at once (a call per line costs more than the compression)


def _dump_table(archive, table, using, connection, advance) -> TableEntry:
    columns = table.columns
    # Only objects (JSON columns) can differ between a stored line and its canonical form.
    canonical_differs = any(c.kind == "json" for c in columns)
    content, stored, rows = hashlib.sha256(), hashlib.sha256(), 0
    member = member_name(table.name)
    chunk, size = [], 0
    with archive.open(member, "w", force_zip64=True) as out:
        for values in table.values(using, connection):
            line = file_line(values)
            chunk.append(line)
            size += len(line)
            if canonical_differs:
                content.update(canonical_line(values))
            rows += 1
            if size >= CHUNK:
                _flush(out, chunk, stored, None if canonical_differs else content)
                chunk, size = [], 0
            if rows % 1000 == 0:
                advance(1000, f"Backing up {table.name}")
        _flush(out, chunk, stored, None if canonical_differs else content)
    advance(rows % 1000, f"Backing up {table.name}")
    return TableEntry(
        table=table.name,
        model=table.label,
        columns=columns,
        rows=rows,
        sha256=content.hexdigest(),
        member=member,
        member_sha256=stored.hexdigest(),
    )


def _flush(out, chunk, *digests) -> None:
    data = b"".join(chunk)
    out.write(data)
    for digest in digests:
        if digest is not None:
            digest.update(data)
