"""Read a goals file: YAML with line numbers, structure checked by Pydantic, then references."""

from pathlib import Path

import yaml
from pydantic import ValidationError as PydanticError
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent
from yaml.nodes import ScalarNode

from .schema import FORMAT_VERSION, GoalIn, GoalsFile, TeamIn

# What an item inside each list is called in messages.
ITEM_NAMES = {
    "goals": "goal",
    "key_results": "key result",
    "check_ins": "check-in",
    "teams": "team",
    "people": "person",
    "members": "member",
    "cycles": "cycle",
    "values": "value",
}
LABEL_FIELDS = ("key", "title", "name", "email", "date")

# Limits that keep a hostile or broken file from exhausting the machine: an organization's goals fit
# in far less, and no goals file nests deeper than a handful of levels.
MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40


class GoalsFileError(Exception):
    """One or more problems, each tied to a line of the file."""

    def __init__(self, filename: str, problems: list[tuple[int, str]]):
        self.filename = filename
        self.problems = sorted(problems, key=lambda p: p[0])
        super().__init__("\n".join(f"{filename}:{line}: {message}" for line, message in self.problems))


class LineDict(dict):
    """A YAML mapping that knows the line it starts on and the line of each of its keys."""

    line = 0
    key_lines: dict = {}


class LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are LineDicts, that refuses anchors and aliases (a 21 KB file of nested
    aliases expands to billions of items), explicit tags (some of PyYAML's constructors fail on a bad
    value with an AttributeError), nesting deeper than MAX_DEPTH (YAML is composed recursively)
    and values Python cannot hold (2026-02-30, an integer of 5,000 digits), each at its line."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if self.check_event(AliasEvent):
            raise ComposerError(
                None,
                None,
                f"aliases (*{event.anchor}) are not allowed: write the value out",
                event.start_mark,
            )
        if getattr(event, "anchor", None):
            raise ComposerError(
                None,
                None,
                f"anchors (&{event.anchor}) are not allowed: write the value out",
                event.start_mark,
            )
        if getattr(event, "tag", None) is not None:  # !!timestamp x, !!binary …: a goals file needs none
            raise ComposerError(None, None, f"tags ({event.tag}) are not allowed", event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            raise ConstructorError(None, None, f"impossible value {node.value!r}: {exc}", node.start_mark)

    def construct_line_map(self, node):
        data = LineDict()
        data.line = node.start_mark.line + 1
        data.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, ScalarNode)}
        yield data
        data.update(self.construct_mapping(node))


LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_line_map)


def read_goals_file(path: str | Path, display_name: str | None = None) -> GoalsFile:
    """The parsed file, or GoalsFileError naming every problem with its line."""
    name = display_name or str(path)
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise GoalsFileError(name, [(0, f"cannot read the file: {exc.strerror or exc}")])
    return parse_goals(data, name)


def _decoded(data: bytes, name: str) -> str:
    if len(data) > MAX_BYTES:
        raise GoalsFileError(name, [(0, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise GoalsFileError(
            name,
            [(line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column}): save it as UTF-8")],
        )


def parse_goals(text: str | bytes, name: str = "goals.yaml") -> GoalsFile:
    """The file's text (or its bytes, UTF-8) parsed and checked; GoalsFileError for anything wrong."""
    text = _decoded(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"), name)
    try:
        raw = yaml.load(text, Loader=LineLoader)
    except yaml.YAMLError as exc:
        raise GoalsFileError(name, [_yaml_problem(exc, text)])
    if not isinstance(raw, dict):
        raise GoalsFileError(
            name, [(1, "a goals file is a mapping with mission, people, teams, cycles, goals")]
        )
    try:
        doc = GoalsFile.model_validate(raw)
    except PydanticError as exc:
        raise GoalsFileError(name, [_problem(raw, error) for error in exc.errors()])
    problems = reference_problems(doc)
    if problems:
        raise GoalsFileError(name, problems)
    return doc


def _yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[int, str]:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return mark.line + 1, f"not valid YAML: {exc.problem}"
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML refuses (a control character)
        line = text.count("\n", 0, exc.position) + 1
        return line, f"not valid YAML: character #x{exc.character:04x} is not allowed"
    return 0, f"not valid YAML: {exc}"


def _problem(raw: dict, error: dict) -> tuple[int, str]:
    """The line and message for one Pydantic error, found by walking its location through the YAML."""
    node, line, label, list_name = raw, getattr(raw, "line", 1), "", ""
    loc = list(error["loc"])
    field = None
    for i, step in enumerate(loc):
        if isinstance(node, dict) and isinstance(step, str):
            if step in node and i < len(loc) - 1:
                line = node.key_lines.get(step, line) if isinstance(node, LineDict) else line
                list_name, node = step, node[step]
                continue
            field = step
            if isinstance(node, LineDict):
                line = node.key_lines.get(step, node.line)
            break
        if isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
            if isinstance(node, LineDict):
                line = node.line
                label = _label(list_name, node)
            continue
        break
    return line, _message(error, label, field)


def _label(list_name: str, item: dict) -> str:
    what = ITEM_NAMES.get(list_name, list_name)
    for key in LABEL_FIELDS:
        if item.get(key) not in (None, ""):
            return f'{what} "{item[key]}"'
    return what


def _message(error: dict, label: str, field: str | None) -> str:
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "value_error" and field is None:
        return message
    prefix = f"{label}: " if label else ""
    if error["type"] == "missing":
        return f"{label or 'the file'} has no {field}"
    if error["type"] == "extra_forbidden":
        return f'{prefix}unknown field "{field}"'
    return f"{prefix}{field}: {message}" if field else f"{prefix}{message}"


def reference_problems(doc: GoalsFile) -> list[tuple[int, str]]:
    """References the file itself must resolve: goal keys, parents, supports, team names, cycles."""
    problems = []
    if doc.charter != FORMAT_VERSION:
        problems.append(
            (doc.line_of("charter"), f"unknown format version {doc.charter}; this reads {FORMAT_VERSION}")
        )
    problems += _unique(doc.teams, "name", "team")
    problems += _unique(doc.cycles, "name", "cycle")
    problems += _unique(doc.people, "email", "person")
    problems += _unique(doc.goals, "key", "goal key")
    keys = {g.key for g in doc.goals}
    cycles = {c.name for c in doc.cycles}
    for goal in doc.goals:
        if goal.parent is not None and goal.parent not in keys:
            problems.append((goal.line_of("parent"), f'goal "{goal.key}": unknown parent "{goal.parent}"'))
        for ref in goal.supports:
            if ref not in keys:
                problems.append(
                    (goal.line_of("supports"), f'goal "{goal.key}": unknown supported goal "{ref}"')
                )
        if goal.cycle is None and len(cycles) != 1:
            problems.append(
                (goal.line, f'goal "{goal.key}" has no cycle (the file has {len(cycles)} cycles)')
            )
    problems += _loops(doc.goals, "key", "goal", "contributes (through its parents) to itself")
    problems += _loops(doc.teams, "name", "team", "is (through its parents) inside itself")
    return problems


def _unique(items, field: str, what: str) -> list[tuple[int, str]]:
    seen, problems = set(), []
    for item in items:
        value = str(getattr(item, field)).lower()
        if value in seen:
            problems.append((item.line_of(field), f'{what} "{getattr(item, field)}" appears twice'))
        seen.add(value)
    return problems


def _loops(items: list[GoalIn] | list[TeamIn], field: str, what: str, problem: str) -> list[tuple[int, str]]:
    """Items whose parent chain (inside the file) comes back to themselves."""
    parent_of = {getattr(i, field): i.parent for i in items}
    problems = []
    for item in items:
        name, node, seen = getattr(item, field), item.parent, set()
        while node is not None and node not in seen:
            if node == name:
                problems.append((item.line_of("parent"), f'{what} "{name}" {problem}'))
                break
            seen.add(node)
            node = parent_of.get(node)
    return problems


def parents_first(items: list, key, parent_key) -> list:
    """Items ordered so that each comes after its parent (when the parent is among them).

    Walked without recursion: a file may chain thousands of parents."""
    by_key = {key(i): i for i in items}
    done, ordered = set(), []
    for item in items:
        chain, seen, node = [], set(), item
        while node is not None and key(node) not in done and key(node) not in seen:
            seen.add(key(node))
            chain.append(node)
            node = by_key.get(parent_key(node))
        for node in reversed(chain):
            done.add(key(node))
            ordered.append(node)
    return ordered
