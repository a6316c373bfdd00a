"""The goal list's rows drawn in Python are the markup the template's row drew: a goal with a parent and
a team, one of the organization without, an owner without a name, all cycles' column, progress above
100% and below 0, every status, every text escaped."""
# ruff: noqa: E501  (the template's row as it was, line for line)

from datetime import timedelta

import pytest
from django.db.models import Count
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import timezone

from charter.goals.list_html import goal_rows, three_places
from charter.goals.models import Goal
from charter.goals.selectors import goal_list_page
from charter.goals.tests.factories import make_goal, make_key_result
from charter.organizations.models import User
from charter.organizations.tests.factories import make_team

pytestmark = pytest.mark.django_db

# The rows goal_list.html held, kept here to compare with.
ROWS = Template(
    """{% for goal in goals %}
        <tr>
          <td>
            <a href="{% url 'goal_detail' goal.pk %}" class="fw-bold">{{ goal.title }}</a>
            {% if goal.parent %}<div class="small text-secondary">→ {{ goal.parent.title }}</div>{% endif %}
          </td>
          <td>{% if goal.team %}{{ goal.team.name }}{% else %}<span class="text-secondary">Organization</span>{% endif %}</td>
          <td>{{ goal.owner.full_name|default:goal.owner.email }}</td>
          {% if all_cycles %}<td>{{ goal.cycle.name }}</td>{% endif %}
          <td>{% include "goals/_status.html" with status=goal.status %}</td>
          <td>{% include "goals/_progress.html" with value=goal.progress label="Progress of "|add:goal.title %}</td>
          <td class="text-end">{{ goal.key_result_count }}</td>
        </tr>
        {% endfor %}"""
)


def test_the_rows_are_the_templates(owner, cycle):
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
    # The template drew model instances, read as the page read them before.
    models = list(
        Goal.objects.for_org(owner.organization)
        .select_related("cycle", "team", "owner", "organization", "parent")
        .annotate(key_result_count=Count("key_results"))
        .order_by("title", "id")
    )
    assert [g["id"] for g in goals] == [g.pk for g in models]
    assert [g["status"] for g in goals] == [g.status for g in models]
    for all_cycles in (False, True):
        expected = ROWS.render(Context({"goals": models, "all_cycles": all_cycles}))
        assert goal_rows(goals, all_cycles) == expected
    assert "&lt;script&gt;" in goal_rows(goals, True) and "<script>" not in goal_rows(goals, True)
    assert goal_rows([], False) == ""


def test_three_places_is_floatformat():
    values = [0.0, -0.0, 0.0005, -0.0005, 0.0004999, 0.4995, 0.125, 1.0, 1.25, -0.1, 2 / 3, 1e-9]
    values.append(123456.78951)
    values += [i / 7919 for i in range(-200, 12000, 7)] + [float("inf"), float("nan")]
    for value in values:
        assert three_places(value) == floatformat(value, "3u"), value
