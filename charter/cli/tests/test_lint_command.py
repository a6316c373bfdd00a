"""`charter lint`: a goals file with known problems (text, JSON, exit codes), the demo, settings."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from charter.cli.base import owner_actor
from charter.goals.models import Goal
from charter.lint.services import lint_settings_update
from charter.organizations.models import Organization
from charter.search import embedder

TODAY = timezone.localdate()
GOALS = f"""\
charter: 1
people:
  - email: ana@example.org
    name: Ana
teams:
  - name: Product
  - name: Growth
    parent: Product
cycles:
  - name: Now
    starts_on: {TODAY - timedelta(days=30)}
    ends_on: {TODAY + timedelta(days=60)}
goals:
  - key: root
    title: Customers stay
    owner: ana@example.org
    purpose: Churn eats growth.
    end_state: Customers renew.
    constraints: No discounts.
    freedoms: Any channel.
    key_results:
      - title: Churn from 5% to 2%
        kind: decrease
        start: 5
        target: 2
        check_ins:
          - date: {TODAY}
            value: 4
            confidence: 7
  - key: orphan
    title: Grow fast
    team: Growth
    owner: ana@example.org
    purpose: More customers.
    end_state: Twice the sign-ups.
    constraints: No ads.
    freedoms: Any tool.
    key_results:
      - title: Launch the referral program
        kind: milestone
  - key: empty
    title: Nothing measured
    owner: ana@example.org
    parent: root
"""


def _line(text: str) -> int:
    return GOALS.splitlines().index(text) + 1


EXPECTED = [
    (_line("    title: Grow fast"), "CH005"),
    (_line("    title: Grow fast"), "CH008"),
    (_line("      - title: Launch the referral program"), "CH003"),
    (_line("    title: Nothing measured"), "CH001"),
    (_line("    title: Nothing measured"), "CH006"),
]
if embedder.identity() is not None:  # the meaning rules: "Grow fast" fits "Customers stay" (0.50), and
    EXPECTED += [  # "Nothing measured" says nothing of its parent (0.06)
        (_line("    title: Grow fast"), "CH203"),
        (_line("    parent: root"), "CH201"),
    ]


@pytest.fixture
def goals_file(tmp_path):
    path = tmp_path / "goals.yaml"
    path.write_text(GOALS, encoding="utf-8")
    return str(path)


def lint(*args) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("lint", *args, stdout=out, stderr=StringIO())
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


def test_a_file_reports_exactly_the_expected_codes_and_lines(db, goals_file):
    text, code = lint(goals_file)
    assert code == 1  # CH001 is an error
    lines = text.strip().splitlines()
    assert [(int(line.split(":")[1]), line.split(": ")[1].split()[0]) for line in lines] == sorted(EXPECTED)
    assert lines[0].startswith(
        f"{goals_file}:{EXPECTED[0][0]}: CH005 warning: The goal is aligned to nothing ("
    )


def test_json_output_is_a_list_of_objects(db, goals_file):
    text, code = lint("--format", "json", goals_file)
    rows = json.loads(text)
    assert code == 1
    assert sorted((r["line"], r["code"]) for r in rows) == sorted(EXPECTED)
    assert {"file", "code", "severity", "message", "hint", "goal_id", "line"} <= set(rows[0])
    assert {r["goal_id"] for r in rows} == {"orphan", "empty"}


def test_warnings_only_exit_zero(db, tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(GOALS.split("  - key: empty")[0], encoding="utf-8")
    text, code = lint(str(path))
    assert code == 0 and "CH005" in text


def test_an_unreadable_or_broken_file_exits_two(db, tmp_path):
    assert lint(str(tmp_path / "missing.yaml"))[1] == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("goals: [\n", encoding="utf-8")
    assert lint(str(broken))[1] == 2
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text("goals:\n  - key: x\n", encoding="utf-8")
    assert lint(str(invalid))[1] == 2


@pytest.fixture
def demo(db):
    call_command("demo", stdout=StringIO(), stderr=StringIO())
    return Organization.objects.get()


def test_the_demo_shows_its_stale_and_orphan_goals(demo):
    text, code = lint("--organization", demo.slug)
    assert code in (0, 1)
    assert text.splitlines()[0].startswith("goal ")
    rows = json.loads(lint("--format", "json", "--organization", demo.slug)[0])
    codes = {(r["goal_id"], r["code"]) for r in rows}
    stale = [g for g in Goal.objects.for_org(demo).filter(cycle__state="active") if g.status == "stale"]
    orphan = Goal.objects.for_org(demo).get(title="Launch a podcast for clinic managers")
    assert stale, "the demo has stale goals"
    assert all((g.pk, "CH008") in codes for g in stale)
    assert (orphan.pk, "CH005") in codes


def test_settings_disable_a_rule_on_the_database(demo):
    lint_settings_update(actor=owner_actor(demo), disabled=["CH008"])
    text, _ = lint("--organization", demo.slug)
    assert "CH008" not in text


def test_an_unknown_cycle_is_refused(demo):
    assert lint("--organization", demo.slug, "--cycle", "1999 Q1")[1] == 2
