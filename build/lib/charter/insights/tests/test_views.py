"""Insights pages: figures, the report, CSV rows, isolation, constant queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.tests.factories import make_team

pytestmark = pytest.mark.django_db
PAGES = ["insights", "insights_profile", "insights_report"]


def _goals(owner, cycle, team, n):
    strategic = make_goal(owner, cycle, "Strategic")
    for i in range(n):
        goal = make_goal(owner, cycle, f"G{i}", team_id=team.pk, parent_id=strategic.pk)
        kr = make_key_result(owner, goal)
        check_in_record(actor=owner, key_result_id=kr.pk, value=40, confidence=7)


@pytest.mark.parametrize("name", PAGES)
def test_pages_render(owner, cycle, login, name):
    team = make_team(owner, "Platform")
    _goals(owner, cycle, team, 2)
    client = login(owner)
    response = client.get(reverse(name), {"cycle": cycle.pk, "team": team.pk})
    assert response.status_code == 200
    assert b"Not enough data" in response.content or b"not graded" in response.content


def test_profile_page_has_chart_data(owner, cycle, login):
    make_team(owner, "Platform")
    response = login(owner).get(reverse("insights_profile"))
    chart = response.context["chart"]
    assert len(chart["measured"]) == 5 and len(chart["mission_based"]) == 5
    assert b'id="profile-data"' in response.content
    assert b"How is this computed?" in response.content


def test_no_cycle_pages(owner, login):
    for name in PAGES:
        assert login(owner).get(reverse(name)).status_code == 200


def test_foreign_cycle_and_team_are_404(owner, other_owner, cycle, login):
    foreign_team = make_team(other_owner, "Theirs")
    client = login(owner)
    assert client.get(reverse("insights"), {"team": foreign_team.pk}).status_code == 404
    foreign_cycle = make_cycle(other_owner, "Theirs")
    assert client.get(reverse("insights_profile"), {"cycle": foreign_cycle.pk}).status_code == 404


def test_csv_rows(owner, cycle, login):
    make_team(owner, "Platform")
    make_team(owner, "=Evil()")
    response = login(owner).get(reverse("insights_csv"), {"cycle": cycle.pk})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["cycle", "scope", "team_id"]
    scopes = {r[1] for r in rows[1:]}
    assert scopes == {"Organization", "Platform", "'=Evil()"}
    per_scope = len(rows[1:]) // 3
    assert per_scope == 16  # 11 indicators + 5 factors
    attainment = next(r for r in rows if r[1] == "Organization" and r[3] == "attainment_rate")
    assert attainment[5] == ""  # not enough data: empty, never 0


def test_report_markdown(owner, cycle, login):
    team = make_team(owner, "Platform")
    _goals(owner, cycle, team, 1)
    response = login(owner).get(reverse("insights_report_markdown"), {"cycle": cycle.pk})
    text = response.content.decode()
    assert response["Content-Disposition"].startswith("attachment")
    assert text.startswith(f"# Cycle review report: {cycle.name}")
    assert "### G0" in text and "| Focus |" in text


@pytest.mark.parametrize("name", ["insights", "insights_profile"])
def test_query_counts_constant(owner, cycle, login, name):
    """The same number of queries at 10 and at 100 goals."""
    team = make_team(owner, "Platform")
    client = login(owner)
    url = reverse(name)
    client.get(url)  # the first request of a session writes it
    counts = []
    for n in (10, 90):
        _goals(owner, cycle, team, n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"cycle": cycle.pk, "team": team.pk}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("name", ["insights", "insights_profile"])
def test_stored_figures_page_queries(owner, cycle, login, name, django_assert_max_num_queries):
    """Once stored, the page reads the figures of the cycle and the trend in one query: seven in all
    (session, person, membership, cycles, team choices, figures, organization), and the team for a team."""
    team = make_team(owner, "Platform")
    _goals(owner, cycle, team, 3)
    client = login(owner)
    url = reverse(name)
    for params, most in (({}, 7), ({"cycle": cycle.pk, "team": team.pk}, 8)):
        client.get(url, params)
        with django_assert_max_num_queries(most):
            assert client.get(url, params).status_code == 200
