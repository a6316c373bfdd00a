"""Backup and restore of a whole Charter database in a versioned, vendor-neutral archive (ADR 6).

The one place outside the apps' `queries.py` modules that runs SQL on a cursor of its own: it works on
every table of every organization at once, by table name beneath the models (transaction modes, TRUNCATE,
COPY-like bulk reads and writes, introspection), which neither the ORM nor `core.queries`' organization
filter describes."""

from .dump import BackupSummary, default_path, make_backup
from .format import FORMAT, FORMAT_VERSION, BackupError
from .load import Archive, RestoreSummary, restore_backup

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "Archive",
    "BackupError",
    "BackupSummary",
    "RestoreSummary",
    "default_path",
    "make_backup",
    "restore_backup",
]
