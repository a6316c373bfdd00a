"""Every way a goals file can be wrong ends in `FILE:LINE: what` (or one whole-file message, line 0), never
a traceback: the reader is fuzzed byte by byte and field by field, and the known attacks are refused."""

import re
import tracemalloc
from datetime import date
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.cli.goalsfile import GoalsFile, GoalsFileError, parse_goals, read_goals_file
from charter.cli.goalsfile.reader import MAX_BYTES, MAX_DEPTH, parents_first

from .test_goalsfile import GOOD

NAME = "g.yaml"
VALID = GOOD.encode()
# Bounded and derandomized: the same examples on every run, a few seconds in all.
FUZZ = settings(
    max_examples=200, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def read(data: bytes | str) -> GoalsFile | None:
    """Parse; a refusal must be the reader's own error, each problem on a line of the file (0: all of it)."""
    try:
        return parse_goals(data, NAME)
    except GoalsFileError as error:
        lines = (data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")).count(b"\n") + 1
        assert error.problems
        for line, message in error.problems:
            assert 0 <= line <= lines + 1 and message.strip()
        assert str(error).startswith(f"{NAME}:")
        return None


def test_the_valid_example_reads():
    assert read(VALID) is not None


# ---- byte by byte ---------------------------------------------------------------------------------

mutation = st.one_of(
    st.tuples(st.just("set"), st.integers(0, len(VALID) - 1), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.integers(0, len(VALID)), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), st.integers(0, len(VALID) - 1), st.integers(1, 40)),
    st.tuples(st.just("repeat"), st.integers(0, len(VALID) - 1), st.integers(1, 200)),
)


def mutate(data: bytes, steps) -> bytes:
    for op, at, arg in steps:
        at = min(at, len(data))
        if op == "set" and at < len(data):
            data = data[:at] + bytes([arg]) + data[at + 1 :]
        elif op == "insert":
            data = data[:at] + arg + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + arg :]
        elif op == "repeat":  # a byte (a bracket, a colon, a dash) many times over
            data = data[:at] + data[at : at + 1] * arg + data[at:]
    return data


@FUZZ
@given(st.lists(mutation, min_size=1, max_size=6))
def test_byte_mutations_of_a_valid_file_read_or_name_a_line(steps):
    read(mutate(VALID, steps))


# ---- field by field -------------------------------------------------------------------------------


def _paths(node, path=()):
    """Every place in the parsed example that holds a value (each field, each list item)."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*path, i))


PLAIN = yaml.safe_load(GOOD)
PATHS = [p for p in _paths(PLAIN) if p]
scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from(["", " ", "0", "-1", "1e999", "2026-02-30", "increase", "owner", "ana@example.org"]),
)
value = st.recursive(
    scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def substitute(doc, path, new):
    if not path:
        return new
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[path[0]] = substitute(doc[path[0]], path[1:], new)
    return copy


@FUZZ
@given(st.sampled_from(PATHS), value)
def test_field_substitutions_read_or_name_a_line(path, new):
    read(yaml.safe_dump(substitute(PLAIN, path, new), sort_keys=False, allow_unicode=True))


def remove(doc, path):
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    if len(path) == 1:
        del copy[path[0]]
    else:
        copy[path[0]] = remove(doc[path[0]], path[1:])
    return copy


@FUZZ
@given(st.sampled_from(PATHS))
def test_a_field_removed_reads_or_names_a_line(path):
    read(yaml.safe_dump(remove(PLAIN, path), sort_keys=False))


# ---- field by field, as written: an unquoted token where a value stood ---------------------------------

# Every value written after "key: " in the example, in block and flow style.
VALUE_SPANS = [m.span() for m in re.finditer(r"(?<=: )[^,{}\[\]\n]+", GOOD)]
RAW_TOKENS = [
    "2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31T23:59:59", "9" * 5000, "1e400", ".nan", ".inf",
    "-.inf", "0x1F", "0o17", "1_000", "~", "null", "yes", "''", '""', "!!binary AAAA",
    "!!python/object/apply:os.system [echo]", "!!set {a}", "!!timestamp x", "!!int x", "!!float x", "&a x",
    "*a", "{", "[", "]", "}", "|", ">", "- x", "? x", "%", "@x", "`x", "'unclosed", '"bad \\q"', "a: b: c",
    "x\n  y: z", "\t1", "\u2028", "\x85", "\ufeff",
]  # fmt: skip
raw_token = st.one_of(st.sampled_from(RAW_TOKENS), st.text(max_size=12))


@FUZZ
@given(st.sampled_from(VALUE_SPANS), raw_token)
def test_unquoted_tokens_in_place_of_a_value_read_or_name_a_line(span, token):
    read(GOOD[: span[0]] + token + GOOD[span[1] :])


# ---- through `charter import --dry-run`: the importer and the services behind it ---------------------


@settings(FUZZ, max_examples=60)
@given(st.data())
def test_import_of_a_mutated_file_names_a_line_or_succeeds(owner, tmp_path_factory, data):
    """Values the reader lets through (a far date, a huge number, a long text) reach the services: the
    command still ends in `FILE:LINE: what`, never a traceback, and writes nothing."""
    if data.draw(st.booleans()):
        path, new = data.draw(st.sampled_from(PATHS)), data.draw(value)
        text = yaml.safe_dump(substitute(PLAIN, path, new), sort_keys=False, allow_unicode=True)
    else:
        span, token = data.draw(st.sampled_from(VALUE_SPANS)), data.draw(raw_token)
        text = GOOD[: span[0]] + token + GOOD[span[1] :]
    file = tmp_path_factory.mktemp("fuzz") / NAME
    file.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        call_command("import", str(file), "--dry-run", stdout=StringIO(), stderr=StringIO())
    except CommandError as error:
        assert error.returncode == 1
        assert re.match(rf"^{re.escape(str(file))}:\d+: \S", str(error)), str(error)


# ---- the known attacks and accidents -----------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
    + ["goals: [*i]"]
)


def test_a_billion_laughs_is_refused_at_its_first_anchor_without_expanding_it():
    tracemalloc.start()
    try:
        with pytest.raises(GoalsFileError) as error:
            parse_goals(BILLION_LAUGHS, NAME)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(error.value) == f"{NAME}:1: not valid YAML: anchors (&a) are not allowed: write the value out"
    assert peak < 2 * 1024 * 1024  # 9^9 items were never built


def test_an_alias_is_refused_at_its_line():
    with pytest.raises(GoalsFileError, match=rf"^{NAME}:2: not valid YAML: aliases \(\*p\) are not allowed"):
        parse_goals("charter: 1\npeople: *p\n", NAME)


def test_an_explicit_tag_is_refused_at_its_line():
    # `!!timestamp x` made PyYAML's constructor fail with an AttributeError (found by the fuzz above).
    with pytest.raises(
        GoalsFileError, match=rf"^{NAME}:2: not valid YAML: tags \(tag:yaml.org,2002:timestamp\)"
    ):
        parse_goals("charter: 1\ncycles: [{name: Q, starts_on: !!timestamp x}]\n", NAME)


def test_twenty_thousand_nested_brackets_name_the_line_instead_of_overflowing():
    text = "charter: 1\ngoals: " + "[" * 20_000 + "]" * 20_000 + "\n"
    with pytest.raises(GoalsFileError) as error:
        parse_goals(text, NAME)
    assert str(error.value) == f"{NAME}:2: not valid YAML: nested more than {MAX_DEPTH} levels deep"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"charter: 1\nmission:\n  statement: caf\xe9\n",
            f"{NAME}:3: not UTF-8 text (byte 0xe9 at column 17)",
        ),
        ("charter: 1\n".encode("utf-16"), f"{NAME}:1: not UTF-8 text (byte 0xff at column 1)"),
    ],
)
def test_text_that_is_not_utf8_names_its_line(tmp_path, data, message):
    path = tmp_path / NAME
    path.write_bytes(data)
    with pytest.raises(GoalsFileError) as error:
        read_goals_file(path, NAME)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "cycles:\n  - {name: Q1, starts_on: 2026-02-30, ends_on: 2026-03-31}\n",
            "2: not valid YAML: impossible value '2026-02-30': day is out of range for month",
        ),
        ("charter: " + "9" * 5000 + "\n", "1: not valid YAML: impossible value"),
        ("cycles:\n  - {name: Q1, starts_on: 0001-01-01, ends_on: 2026-03-31}\n", '2: cycle "Q1": starts_on'),
        ("mission:\n  statement: a\x07b\n", "2: not valid YAML: character #x0007 is not allowed"),
        ("goals:\n  - {key: a, title: t, owner: a@b.c, weight: .nan}\n", '2: goal "a": weight:'),
    ],
)
def test_impossible_values_name_their_line(text, message):
    with pytest.raises(GoalsFileError) as error:
        parse_goals(text, NAME)
    assert str(error.value).startswith(f"{NAME}:{message}")


def test_a_file_over_the_size_limit_is_refused_whole_without_reading_it_all(tmp_path):
    path = tmp_path / NAME
    path.write_bytes(b"# " + b"x" * MAX_BYTES + b"\ncharter: 1\n")
    with pytest.raises(GoalsFileError) as error:
        read_goals_file(path, NAME)
    assert str(error.value) == f"{NAME}:0: the file is larger than 5 MB"


def test_a_long_chain_of_parents_is_ordered_without_recursion():
    items = [(str(i), str(i + 1) if i < 5000 else None) for i in range(5001)]
    ordered = parents_first(items, lambda i: i[0], lambda i: i[1])
    assert [i[0] for i in ordered] == [str(i) for i in range(5000, -1, -1)]
