"""Goals files ("goals as code"): read, check, write and import YAML files of an organization's goals."""

from .importer import GoalsImport
from .reader import GoalsFileError, parse_goals, read_goals_file
from .schema import GoalsFile
from .writer import dump_goals, export_goals

__all__ = [
    "GoalsFile",
    "GoalsFileError",
    "GoalsImport",
    "dump_goals",
    "export_goals",
    "parse_goals",
    "read_goals_file",
]
