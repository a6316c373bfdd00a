"""Restore a backup: check everything first, then replace every table in one transaction and verify it."""

import hashlib
import json
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connections, transaction
from pydantic import ValidationError

from charter.core.crypto import Ciphertext

from .dump import _no_progress
from .format import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    Manifest,
    canonical_line,
    decode_line,
    member_name,
)
from .tables import (
    FILLED_BY_MIGRATE,
    Table,
    applied_migrations,
    charter_tables,
    is_encrypted,
    migration_differences,
    require_columns,
    require_migrated,
)

BATCH = 1000


@dataclass(frozen=True)
class RestoreSummary:
    path: Path
    tables: int
    rows: int
    size: int
    seconds: float
    manifest: Manifest


class Archive:
    """An opened backup file whose manifest has been read and validated."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise BackupError(f"{self.path}: no such file.")
        except (zipfile.BadZipFile, OSError) as error:
            raise BackupError(
                f"{self.path}: not a Charter backup or damaged (not a readable zip archive: {error})."
            )
        self.manifest = self._manifest()

    def _read(self, member: str) -> bytes:
        try:
            return self.zip.read(member)
        except KeyError:
            raise BackupError(f"{self.path}: {member} is missing from the archive.")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise BackupError(f"{self.path}: {member} is damaged ({error}).")

    def _manifest(self) -> Manifest:
        try:
            data = json.loads(self._read(MANIFEST))
        except BackupError as error:
            raise BackupError(f"{error} This is not a Charter backup, or it is damaged.")
        except ValueError as error:
            raise BackupError(f"{self.path}: {MANIFEST} is not valid JSON ({error}).")
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(
                f"{self.path}: not a Charter backup (its manifest does not name the {FORMAT} format)."
            )
        found = data.get("format_version")
        if found != FORMAT_VERSION:
            raise BackupError(
                f"{self.path}: backup format version {found!r} is not one this Charter reads "
                f"(it reads version {FORMAT_VERSION}); restore it with the Charter version that made it."
            )
        try:
            return Manifest.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            place = ".".join(str(p) for p in first["loc"])
            raise BackupError(f"{self.path}: {MANIFEST} is invalid at {place}: {first['msg']}.")

    def lines(self, member: str):
        """The member's lines, raw; a damaged member raises BackupError."""
        try:
            with self.zip.open(member) as stream:
                yield from stream
        except KeyError:
            raise BackupError(f"{self.path}: {member} is missing from the archive.")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise BackupError(f"{self.path}: {member} is damaged ({error}).")

    def close(self):
        self.zip.close()


def restore_backup(path: Path, *, using: str = "default", force: bool = False, progress=_no_progress):
    """Replace the database's content with the backup's, or change nothing and raise BackupError."""
    started = time.perf_counter()
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Restores support SQLite and PostgreSQL, not {connection.vendor}.")
    archive = Archive(path)
    try:
        manifest = archive.manifest
        tables = _matching_tables(manifest, connection)
        if not force:
            _refuse_if_not_empty(tables, using)
        total = sum(e.rows for e in manifest.tables)
        with progress("Checking the archive", total) as advance:
            for entry in manifest.tables:
                _check_member(archive, entry, advance)
        with transaction.atomic(using=using):
            with progress("Restoring", total) as advance:
                _clear(tables + charter_tables(left_out=True), connection)  # sign-ins end here
                for table, entry in zip(tables, manifest.tables, strict=True):
                    try:
                        _load(archive, table, entry, connection, advance)
                    except BackupError as error:  # a line that does not decode
                        raise BackupError(f"{error} The restore was rolled back; nothing was written.")
                    except (DatabaseError, connection.Database.Error) as error:
                        raise BackupError(
                            f"The database refused the rows of {table.name}: {error}. Nothing was written."
                        )
            _reset_sequences(tables, connection)
            _rebuild_derived(connection, using)
            _check_foreign_keys(tables, connection)
            with progress("Verifying", total) as advance:
                for table, entry in zip(tables, manifest.tables, strict=True):
                    _verify(table, entry, using, connection, advance)
        ContentType.objects.clear_cache()
    finally:
        archive.close()
    return RestoreSummary(
        path=Path(path),
        tables=len(manifest.tables),
        rows=total,
        size=Path(path).stat().st_size,
        seconds=time.perf_counter() - started,
        manifest=manifest,
    )


def _matching_tables(manifest: Manifest, connection) -> list[Table]:
    """The database's tables in the manifest's order; refuses another migration state or schema."""
    differences = migration_differences(manifest.migrations, applied_migrations(connection))
    if differences:
        raise BackupError(
            "The database is not at the backup's migration state: "
            + "; ".join(differences)
            + f". Migrate it to the same state, or restore with the Charter version that made the backup "
            f"({manifest.charter_version}). Nothing was written."
        )
    require_migrated(connection, "a restore")
    ours = {t.name: t for t in charter_tables()}
    theirs = [e.table for e in manifest.tables]
    missing, extra = sorted(set(ours) - set(theirs)), sorted(set(theirs) - set(ours))
    if missing or extra or len(set(theirs)) != len(theirs):
        parts = []
        if missing:
            parts.append(f"the backup lacks {', '.join(missing)}")
        if extra:
            parts.append(f"this Charter has no table {', '.join(extra)}")
        if len(set(theirs)) != len(theirs):
            parts.append("the manifest lists a table twice")
        raise BackupError(f"The backup's tables do not match this database: {'; '.join(parts)}.")
    tables = []
    for entry in manifest.tables:
        table = ours[entry.table]
        if entry.columns != table.columns:
            raise BackupError(
                f"Table {entry.table}: the backup's columns "
                f"({', '.join(f'{c.name} {c.kind}' for c in entry.columns)}) differ from this database's "
                f"({', '.join(f'{c.name} {c.kind}' for c in table.columns)})."
            )
        if entry.member != member_name(entry.table):
            raise BackupError(
                f"Table {entry.table}: unexpected member name {entry.member!r} in the manifest."
            )
        tables.append(table)
    require_columns(connection, tables, "nothing was written")
    return tables


def _refuse_if_not_empty(tables: list[Table], using: str) -> None:
    busy = [t.name for t in tables if t.name not in FILLED_BY_MIGRATE and t.queryset(using).exists()]
    if busy:
        shown = ", ".join(busy[:5]) + (f" and {len(busy) - 5} more" if len(busy) > 5 else "")
        raise BackupError(
            f"The database is not empty ({shown} hold rows). A restore replaces everything in it; "
            "pass --force to do that. Nothing was written."
        )


def _check_member(archive: Archive, entry, advance) -> None:
    """The member's exact bytes and row count are the manifest's (its content is checked after loading)."""
    stored, rows = hashlib.sha256(), 0
    for rows, line in enumerate(archive.lines(entry.member), start=1):
        stored.update(line)
        if rows % BATCH == 0:
            advance(BATCH, f"Checking {entry.table}")
    advance(rows % BATCH, f"Checking {entry.table}")
    if (rows, stored.hexdigest()) != (entry.rows, entry.member_sha256):
        raise BackupError(
            f"{archive.path}: {entry.member} is damaged or was altered: it has {rows} rows with SHA-256 "
            f"{stored.hexdigest()[:16]}…, the manifest says {entry.rows} rows with "
            f"{entry.member_sha256[:16]}…. Nothing was written."
        )


def _clear(tables: list[Table], connection) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred checks still pending in this transaction (a caller's
            # earlier writes): run those checks now, then defer again for the load.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE " + ", ".join(quote(t.name) for t in tables))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table.name)}")


def _load(archive: Archive, table: Table, entry, connection, advance) -> None:
    """Insert the member's rows: PostgreSQL through COPY, SQLite through batched INSERTs."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in table.fields)
    fields = table.fields

    def prepared_rows():
        for number, line in enumerate(archive.lines(entry.member), start=1):
            _, values = decode_line(line, entry.columns, f"{entry.member} line {number}")
            yield [
                f.get_db_prep_save(Ciphertext(v) if v and is_encrypted(f) else v, connection)
                for f, v in zip(fields, values, strict=True)
            ]
            if number % BATCH == 0:
                advance(BATCH, f"Restoring {table.name}")
        advance(entry.rows % BATCH, f"Restoring {table.name}")

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                for row in prepared_rows():
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        batch = []
        for row in prepared_rows():
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _reset_sequences(tables: list[Table], connection) -> None:
    """PostgreSQL: each identity sequence continues after the restored ids (SQLite's follow by themselves)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _rebuild_derived(connection, using: str) -> None:
    """SQLite's keyword index, from the restored search documents, through the search app's own writer."""
    if connection.vendor != "sqlite" or "search_fts" not in connection.introspection.table_names():
        return
    from charter.search.keyword import SqliteKeywords
    from charter.search.models import SearchDocument

    keywords = SqliteKeywords()
    docs = SearchDocument.all_objects.db_manager(using).order_by("pk").values_list("pk", "title", "body")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_fts")
    for doc_id, title, body in docs.iterator(chunk_size=2000):
        keywords.write(doc_id, title, body, using=using)


def _check_foreign_keys(tables: list[Table], connection) -> None:
    try:
        connection.check_constraints(table_names=[t.name for t in tables])
    except IntegrityError as error:
        raise BackupError(f"The backup's rows break a foreign key: {error}. Nothing was written.")


def _verify(table: Table, entry, using: str, connection, advance) -> None:
    """The restored table, read back and encoded again, has the manifest's row count and checksum."""
    digest, rows = hashlib.sha256(), 0
    for values in table.values(using, connection):
        digest.update(canonical_line(values))
        rows += 1
    advance(rows, f"Verifying {table.name}")
    if rows != entry.rows or digest.hexdigest() != entry.sha256:
        raise BackupError(
            f"Table {table.name} reads back as {rows} rows with SHA-256 {digest.hexdigest()[:16]}…, "
            f"not the backup's {entry.rows} rows with {entry.sha256[:16]}…; the restore was rolled back."
        )
