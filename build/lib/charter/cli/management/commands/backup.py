"""`charter backup`: the whole database in one archive, taken while Charter keeps running."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from charter.cli.backup import BackupError, default_path, make_backup
from charter.cli.base import CharterCommand, progress_bar


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"


class Command(CharterCommand):
    help = (
        "Back up every table (versioned zip of canonical JSON Lines with a manifest of row counts and "
        "SHA-256 checksums) from one consistent read-only snapshot; the server may keep running."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            help="Archive to write (default: backups/charter-<UTC time>.backup.zip in the data folder).",
        )
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, output=None, database="default", **options):
        path = Path(output) if output else default_path(Path(settings.DATA_DIR) / "backups")
        if path.exists():
            raise CommandError(f"{path} exists already; choose another name or remove it first.")
        try:
            summary = make_backup(path, using=database, progress=progress_bar)
        except BackupError as error:
            raise CommandError(str(error), returncode=1)
        self.stdout.write(
            f"Backed up {summary.tables} tables, {summary.rows} rows to {summary.path} "
            f"({human_size(summary.size)}) in {summary.seconds:.2f} s."
        )
