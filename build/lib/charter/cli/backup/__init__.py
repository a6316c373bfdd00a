"""Backup and restore of a whole Charter database in a versioned, vendor-neutral archive (ADR 6)."""

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
