"""The goal list's rows (`goals/_goal_rows.jinja`): a goal with a parent and a team, one of the
organization without, an owner without a name, all cycles' column, progress above 100% and below 0, every
status, every text escaped; the badge and the bar are the shared widgets' own markup."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from charter.core.templatetags.charter import progress_bar
from charter.goals.models import Goal
from charter.goals.partials import goal_list_rows as goal_rows
from charter.goals.selectors import goal_list_page
from charter.goals.templatetags.goal_widgets import status_badge
from charter.goals.tests.factories import make_goal, make_key_result
from charter.organizations.models import User
from charter.organizations.tests.factories import make_team

pytestmark = pytest.mark.django_db


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_each_row_shows_its_goal(owner, cycle):
    cycle.name = "Q4 <b>&</b>"
    cycle.save()
    team = make_team(owner, "Team <i>\"x\"</i> & 'y'")
    top = make_goal(owner, cycle, "Top <script>alert(1)</script>")
    child = make_goal(owner, cycle, "Child & 'quoted' \"goal\"", team_id=team.pk, parent_id=top.pk)
    make_key_result(owner, child)
    User.objects.filter(pk=owner.user_id).update(full_name="")
    now = timezone.now()
    for i, (progress, confidence) in enumerate(
        [(0.0, 8), (0.4995, 3), (1.25, 9), (-0.1, 1), (0.0005, 6), (0.125, 7), (1.0, 10)]
    ):
        goal = make_goal(owner, cycle, f"Goal {i} <&>", team_id=team.pk if i % 2 else None)
        Goal.objects.for_org(owner.organization).filter(pk=goal.pk).update(
            progress=progress,
            confidence=confidence,
            last_check_in_at=now - timedelta(days=40 * (i % 2)),
        )
    goals, total, _ = goal_list_page(actor=owner, cycles=[cycle], cycle_id=cycle.pk)
    assert total == 9 and {g["status"] for g in goals} >= {"on_track", "off_track"}
    for all_cycles in (False, True):
        rows = goal_rows(goals, all_cycles).split("</tr>")[:-1]
        assert len(rows) == len(goals)
        for goal, row in zip(goals, rows, strict=True):
            cells = _cells(row)
            link = f'<a href="{reverse("goal_detail", args=[goal["id"]])}" class="fw-bold">'
            assert cells[0].startswith(link + str(escape(goal["title"])) + "</a>")
            parent = goal["parent__title"]
            assert ("→ " in cells[0]) == (parent is not None)
            assert parent is None or "→ " + str(escape(parent)) in cells[0]
            assert cells[1] == (
                str(escape(goal["team__name"]))
                if goal["team__name"]
                else '<span class="text-secondary">Organization</span>'
            )
            assert cells[2] == escape(owner.user.email)
            if all_cycles:
                assert cells.pop(3) == str(escape("Q4 <b>&</b>"))
            assert cells[3] == status_badge(goal["status"])
            assert cells[4] == progress_bar(goal["progress"], f"Progress of {goal['title']}")
            assert cells[5] == str(goal["key_result_count"])
    assert "&lt;script&gt;" in goal_rows(goals, True) and "<script>" not in goal_rows(goals, True)
    assert goal_rows([], False) == ""


def test_progress_bar_value_has_three_places():
    values = [
        0.0,
        -0.0,
        0.0005,
        -0.0005,
        0.0004999,
        0.4995,
        0.125,
        1.0,
        1.25,
        -0.1,
        2 / 3,
        1e-9,
        123456.78951,
    ]
    values += [i / 7919 for i in range(-200, 12000, 7)]
    for value in values:
        shown = re.search(r'value="([^"]*)"', progress_bar(value)).group(1)
        assert re.fullmatch(r"-?\d+\.\d{3}", shown) and shown != "-0.000", (value, shown)
        assert abs(float(shown) - value) <= 0.0005 + 1e-12, (value, shown)
        assert f">{round(value * 100)}%</progress>" in progress_bar(value)
