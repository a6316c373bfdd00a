"""`charter restore FILE`: replace the database's content with a backup's, checked and all or nothing."""

from django.core.management.base import CommandError

from charter.cli.backup import BackupError, restore_backup
from charter.cli.base import CharterCommand, progress_bar
from charter.cli.management.commands.backup import human_size


class Command(CharterCommand):
    help = (
        "Restore a backup made by `charter backup` into a database migrated to the same state. Stop Charter "
        "first. Every table's rows and checksum are verified before the one transaction commits."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup archive.")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already holds data (it is emptied)."
        )
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, file, force, database, **options):
        try:
            summary = restore_backup(file, using=database, force=force, progress=progress_bar)
        except BackupError as error:
            raise CommandError(str(error), returncode=1)
        made = summary.manifest
        self.stdout.write(
            f"Restored {summary.tables} tables, {summary.rows} rows from {summary.path} "
            f"({human_size(summary.size)}, made {made.created_at:%Y-%m-%d %H:%M} UTC on {made.source.vendor} "
            f"by Charter {made.charter_version}) in {summary.seconds:.2f} s; every table's row count and "
            "SHA-256 match the manifest."
        )
