"""Which tables a backup holds, their columns, and how they are read in canonical order.

The tables are those of every installed app's concrete models, many-to-many through tables included.
Derived tables are not backed up but rebuilt: SQLite's FTS5 keyword index (`search_fts` and its shadow
tables) from the search documents; PostgreSQL's generated `tsv` column follows its row by itself.
Django's migration ledger is recorded in the manifest, not restored. Tables that hold working
credentials and nothing worth keeping are left out, and emptied by a restore (`LEFT_OUT`). Encrypted
columns (`core.crypto`) are read and written as stored: a backup holds their ciphertext. Any other table
fails the backup.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import TextField
from django.db.models.functions import Cast, Collate

from .format import KINDS, BackupError, Column, encode_row

LEDGER = "django_migrations"
# Tables that Django fills by itself after `migrate` (post_migrate); a fresh database holds them, and a
# restore replaces them with the backup's rows (other tables refer to their ids).
FILLED_BY_MIGRATE = {"django_content_type", "auth_permission"}
# Derived tables: prefix → what rebuilds it.
DERIVED_PREFIXES = {"search_fts": "search_fts: SQLite keyword index, rebuilt from search_searchdocument"}
# Left out of every backup and emptied by a restore: sessions are working sign-ins (a session key is a
# cookie), and idempotency keys are a day's retry answers. A restore signs everyone out.
LEFT_OUT = {
    "django_session": "django_session: left out (working sign-ins); a restore signs everyone out",
    "core_idempotencykey": "core_idempotencykey: left out (a day's retry answers); emptied by a restore",
}
DERIVED_NOTES = [
    *DERIVED_PREFIXES.values(),
    *LEFT_OUT.values(),
    "search_searchdocument.tsv: PostgreSQL generated column, computed from its row",
]


@dataclass(frozen=True)
class Table:
    model: type
    fields: tuple

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def columns(self) -> list[Column]:
        return [Column(name=f.column, kind=column_kind(f)) for f in self.fields]

    @property
    def encoders(self):
        from .format import ENCODERS

        return [ENCODERS[column_kind(f)] for f in self.fields]

    def queryset(self, using: str):
        qs = self.model._base_manager.db_manager(using).all()
        if hasattr(qs, "unscoped"):  # an OrgQuerySet refuses to run without it
            qs = qs.unscoped()
        return qs

    def ordered(self, using: str, connection):
        """The rows as tuples of ORM values, in canonical primary-key order."""
        pk = self.model._meta.pk
        if column_kind(pk) == "text":  # code point order on both vendors
            order = Collate("pk", "C" if connection.vendor == "postgresql" else "BINARY")
        else:
            order = "pk"
        qs = self.queryset(using).order_by(order)
        raw = {f"_raw_{f.attname}": Cast(f.attname, TextField()) for f in self.fields if is_encrypted(f)}
        if raw:  # as stored (the ciphertext), not through the field's decryption
            qs = qs.annotate(**raw)
        names = [f"_raw_{f.attname}" if is_encrypted(f) else f.attname for f in self.fields]
        return qs.values_list(*names).iterator(chunk_size=2000)

    def values(self, using: str, connection):
        """Each row's JSON-ready values, in canonical order."""
        encoders = self.encoders
        for row in self.ordered(using, connection):
            yield encode_row(encoders, row)


def is_encrypted(field) -> bool:
    return getattr(field, "encrypted", False)


def column_kind(field) -> str:
    target = field
    while target.is_relation:
        target = target.target_field
    kind = KINDS.get(target.get_internal_type())
    if kind is None:
        raise BackupError(
            f"{field.model._meta.label}.{field.name}: the backup format has no encoding for "
            f"{target.get_internal_type()}; extend charter/cli/backup/format.py."
        )
    return kind


def charter_tables(*, left_out: bool = False) -> list[Table]:
    """Every concrete table of the installed apps backed up, sorted by name (`left_out`: those not)."""
    tables = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.pk is None or len(meta.pk_fields) != 1:
            raise BackupError(f"{meta.label}: the backup format needs a single-column primary key.")
        if (meta.db_table in LEFT_OUT) != left_out:
            continue
        fields = tuple(f for f in meta.concrete_fields if not getattr(f, "generated", False))
        tables.append(Table(model=model, fields=fields))
    tables.sort(key=lambda t: t.name)
    names = [t.name for t in tables]
    if len(set(names)) != len(names):
        raise BackupError("Two models share a table; the backup cannot tell their rows apart.")
    return tables


def is_derived(table: str) -> bool:
    return any(table == p or table.startswith(p + "_") for p in DERIVED_PREFIXES)


def unknown_tables(connection, tables: list[Table]) -> list[str]:
    """Tables in the database that are neither a model's, the ledger, nor derived."""
    known = {t.name for t in tables} | {LEDGER} | set(LEFT_OUT)
    with connection.cursor() as cursor:
        found = [
            info.name
            for info in connection.introspection.get_table_list(cursor)
            if info.type == "t" and not info.name.startswith("sqlite_")
        ]
    return sorted(name for name in found if name not in known and not is_derived(name))


def applied_migrations(connection) -> dict[str, list[str]]:
    """The applied migrations per app, each list sorted."""
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def migration_differences(backup: dict[str, list[str]], database: dict[str, list[str]]) -> list[str]:
    """What differs between two migration states, one phrase per app."""
    problems = []
    for app in sorted(set(backup) | set(database)):
        ours, theirs = set(backup.get(app, [])), set(database.get(app, []))
        missing, extra = sorted(ours - theirs), sorted(theirs - ours)
        if missing:
            problems.append(
                f"{app}: the backup has {', '.join(missing)}, which this database has not applied"
            )
        if extra:
            problems.append(f"{app}: this database has applied {', '.join(extra)}, which the backup lacks")
    return problems


def unapplied_migrations(connection) -> list[str]:
    """Migrations of the installed code that the database has not applied, as "app.name"."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, backwards in plan if not backwards]


def require_columns(connection, tables: list[Table], doing: str) -> None:
    """Refuse when a model's table or column is missing from the database (a model changed without a
    migration, or a migration was faked)."""
    problems = []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table in tables:
            if table.name not in existing:
                problems.append(f"table {table.name} is missing")
                continue
            found = {c.name for c in connection.introspection.get_table_description(cursor, table.name)}
            missing = [f.column for f in table.fields if f.column not in found]
            if missing:
                problems.append(f"{table.name} lacks {', '.join(missing)}")
    if problems:
        raise BackupError(
            f"The database does not have the tables this Charter's models describe ({'; '.join(problems)}); "
            f"a model changed without a migration? Nothing was done ({doing})."
        )


def require_migrated(connection, doing: str) -> None:
    """Refuse to work on a database whose tables may not be what the installed models say."""
    pending = unapplied_migrations(connection)
    if pending:
        shown = ", ".join(pending[:5]) + (f" and {len(pending) - 5} more" if len(pending) > 5 else "")
        raise BackupError(
            f"The database has migrations of this Charter that it has not applied ({shown}); "
            f"run `charter migrate` before {doing}."
        )
