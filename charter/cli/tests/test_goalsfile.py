"""Goals files: export then import reproduces an organization; bad files name the line and write nothing."""

import textwrap
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from charter.cli.demo.content import OWNER_EMAIL
from charter.cli.goalsfile import GoalsFileError, parse_goals
from charter.goals import rules
from charter.goals.models import Cycle, Goal
from charter.organizations.models import Organization
from charter.organizations.tests.factories import make_org

from .helpers import row_counts, snapshot

GOOD = """\
charter: 1
mission:
  statement: Give every clinic its time back for patients.
  values:
    - {name: Patients first, meaning: We pick what makes a patient's day better.}
people:
  - {email: ana@example.org, name: Ana Lima, role: leader}
  - {email: bo@example.org, name: Bo Berg}
teams:
  - name: Growth
    members:
      - {email: ana@example.org, lead: true}
      - {email: bo@example.org}
cycles:
  - {name: 2026 Q1, starts_on: 2026-01-01, ends_on: 2026-03-31, state: closed}
goals:
  - key: growth-1
    title: More clinics try us
    team: Growth
    owner: ana@example.org
    purpose: Sales only wins clinics that raise their hand.
    end_state: A steady flow of trials.
    key_results:
      - title: Trials a month
        start: 40
        target: 120
        owner: bo@example.org
        check_ins:
          - {date: 2026-01-15T10:00:00Z, value: 55, confidence: 7, author: bo@example.org, note: Good start}
  - key: growth-2
    title: Trials turn into customers
    team: Growth
    owner: bo@example.org
    parent: growth-1
    key_results:
      - {title: Trial to paid, kind: increase, unit: "%", start: 14, target: 22}
"""


def write(tmp_path, text, name="goals.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_export_then_import_into_an_empty_organization_reproduces_it(db, tmp_path):
    run("demo")
    source = Organization.objects.get()
    path = str(tmp_path / "lumen.yaml")
    run("export", "--organization", source.slug, "-o", path)
    out = run("import", path, "--new-organization", "Copy", "--owner", "copy@example.org")
    assert "Imported" in out
    copy = Organization.objects.get(name="Copy")
    assert snapshot(copy, skip_emails={"copy@example.org"}) == snapshot(source)
    # the file is stable: exporting the copy gives the same goals file (but for the name and its owner)
    again = str(tmp_path / "copy.yaml")
    run("export", "--organization", copy.slug, "-o", again)
    original = (
        (tmp_path / "lumen.yaml").read_text().replace("organization: Lumen Health", "organization: Copy")
    )
    copied = (tmp_path / "copy.yaml").read_text()
    assert copied.replace("- email: copy@example.org\n  name: copy\n  role: owner\n", "") == original
    assert OWNER_EMAIL in original


def test_import_into_an_existing_organization(owner, tmp_path):
    out = run("import", write(tmp_path, GOOD), "--organization", owner.organization.slug)
    assert "2 goals, 2 key results, 1 check-ins" in out
    child = Goal.objects.for_org(owner.organization).get(title="Trials turn into customers")
    assert child.parent.title == "More clinics try us" and child.team.name == "Growth"
    assert child.parent.key_results.get().current == 55
    assert child.cycle.state == "closed"


def test_dry_run_checks_everything_and_writes_nothing(owner, tmp_path):
    before = row_counts()
    out = run("import", write(tmp_path, GOOD), "--dry-run")
    assert "Nothing was written" in out and "2 goals" in out
    assert row_counts() == before


@pytest.mark.parametrize(
    ("broken", "needle", "message"),
    [
        (
            GOOD.replace("        target: 120\n", ""),
            "- title: Trials a month",
            'key result "Trials a month" has no target',
        ),
        (
            GOOD.replace("parent: growth-1", "parent: growth-9"),
            "parent: growth-9",
            'unknown parent "growth-9"',
        ),
        (
            GOOD.replace("owner: bo@example.org\n    parent", "owner: zed@example.org\n    parent"),
            "owner: zed@example.org",
            'unknown person "zed@example.org"',
        ),
        (
            GOOD.replace("start: 14, target: 22", "start: 14, target: 2"),
            "title: Trial to paid",
            'key result "Trial to paid": The key result is not valid. target: To increase',
        ),
        (
            GOOD.replace("confidence: 7", "confidence: 11"),
            "confidence: 11",
            "confidence: Input should be less",
        ),
    ],
    ids=["kr-without-target", "unknown-parent", "unknown-owner", "service-refuses-kr", "bad-confidence"],
)
def test_a_bad_file_names_its_line_and_writes_nothing(owner, tmp_path, broken, needle, message):
    path = write(tmp_path, broken)
    before = row_counts()
    with pytest.raises(CommandError) as error:
        run("import", path, "--organization", owner.organization.slug)
    assert str(error.value).startswith(f"{path}:{line_of(broken, needle)}: ")
    assert message in str(error.value)
    assert error.value.returncode == 1
    assert row_counts() == before


def test_a_new_organization_is_not_left_behind_when_the_import_fails(db, tmp_path):
    make_org("Existing")
    before = row_counts()
    with pytest.raises(CommandError, match="unknown person"):
        run(
            "import",
            write(tmp_path, GOOD.replace("author: bo@", "author: nobody@")),
            "--new-organization",
            "Fresh",
            "--owner",
            "new-owner@example.org",
        )
    assert row_counts() == before


def test_a_new_organization_takes_the_files_cycles_instead_of_its_first(db, tmp_path):
    """A file that lists cycles brings the new organization's only cycles; without any (it has no goals
    then) the organization keeps the first cycle every new one gets (the current quarter, active)."""
    run("import", write(tmp_path, GOOD), "--new-organization", "Clinics", "--owner", "ana@example.org")
    org = Organization.objects.get(name="Clinics")
    assert list(Cycle.objects.for_org(org).values_list("name", flat=True)) == ["2026 Q1"]

    people_only = "charter: 1\npeople:\n  - {email: bo@example.org, name: Bo Berg}\n"
    run("import", write(tmp_path, people_only), "--new-organization", "Quarter", "--owner", "ana@example.org")
    org = Organization.objects.get(name="Quarter")
    first = Cycle.objects.for_org(org).get()
    assert (first.name, first.state) == (rules.quarter_of(timezone.localdate())[0], "active")


@pytest.mark.parametrize("kind", ["increase", "decrease"])
def test_a_key_result_whose_target_equals_its_start_is_refused_on_import(owner, tmp_path, kind):
    broken = GOOD.replace(
        'kind: increase, unit: "%", start: 14, target: 22', f"kind: {kind}, start: 14, target: 14"
    )
    path = write(tmp_path, broken)
    before = row_counts()
    with pytest.raises(CommandError) as error:
        run("import", path, "--organization", owner.organization.slug)
    assert str(error.value).startswith(f"{path}:{line_of(broken, 'title: Trial to paid')}: ")
    assert "target: The target equals the start (14)" in str(error.value)
    assert row_counts() == before


def test_reader_reports_every_structural_problem_with_its_line():
    text = GOOD.replace("        target: 120\n", "").replace(
        "    title: Trials turn", "    titel: Trials turn"
    )
    with pytest.raises(GoalsFileError) as error:
        parse_goals(text, "g.yaml")
    lines = [line for line, _ in error.value.problems]
    assert lines == sorted(lines) and len(lines) == 3  # no target, unknown titel, missing title
    assert f'g.yaml:{line_of(text, "titel:")}: goal "growth-2": unknown field "titel"' in str(error.value)


def test_invalid_yaml_names_its_line():
    with pytest.raises(GoalsFileError, match=r"^g.yaml:3: not valid YAML"):
        parse_goals("charter: 1\ngoals:\n\t- key: a\n", "g.yaml")
