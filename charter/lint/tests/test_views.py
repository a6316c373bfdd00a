"""Lint pages, the goal panel and map badges: rendering, settings, isolation and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.goals.tests.factories import drop_cycles, make_cycle, make_goal, make_key_result
from charter.lint.models import LintSettings
from charter.lint.views import badges_html
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team

pytestmark = pytest.mark.django_db


def _grow(owner, cycle, team, goals: list, until: int) -> None:
    """Goals in a tree; every third has no key result (CH001), team goals without parent are orphans."""
    while len(goals) < until:
        i = len(goals)
        parent = None if i == 0 or i % 5 == 0 else goals[(i - 1) // 2]
        goal = make_goal(
            owner, cycle, f"Goal {i:03}", team_id=team.pk if i % 2 else None, parent_id=parent and parent.pk
        )
        if i % 3:
            make_key_result(owner, goal, f"Launch thing {i}", kind="milestone")
        goals.append(goal)


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_goals(owner, cycle, login, django_assert_num_queries):
    client = login(owner)
    team = make_team(owner, "Growth", parent=make_team(owner, "Product"))
    goals: list = []
    _grow(owner, cycle, team, goals, 10)
    urls = [
        reverse("lint") + f"?cycle={cycle.pk}",
        reverse("strategy_map") + f"?cycle={cycle.pk}",
        reverse("goal_detail", args=[goals[1].pk]),
    ]
    counts = {url: _count(client, url) for url in urls}
    _grow(owner, cycle, team, goals, 100)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            response = client.get(url)
        assert response.status_code == 200
    page = client.get(urls[0]).content.decode()
    assert "CH001" in page and "CH003" in page and "Goal 099" in page


def test_map_shows_badges_and_goal_page_lists_findings_with_hints(owner, cycle, login):
    team = make_team(owner, "Onboarding", parent=make_team(owner, "Product"))
    orphan = make_goal(owner, cycle, "Onboard in a day", team_id=team.pk)
    client = login(owner)
    strategy = client.get(reverse("strategy_map")).content.decode()
    assert "lint-badges" in strategy and "CH001" in strategy and "CH005" in strategy
    page = client.get(reverse("goal_detail", args=[orphan.pk])).content.decode()
    assert "Goal lint" in page and "CH005" in page and "choose the goal above" in page


def test_lint_page_groups_by_rule_and_team_with_counts(owner, cycle, login):
    team = make_team(owner, "Onboarding", parent=make_team(owner, "Product"))
    orphan = make_goal(owner, cycle, "Onboard in a day", team_id=team.pk)
    page = login(owner).get(reverse("lint")).content.decode()
    assert "By rule" in page and "By team" in page and "Onboarding" in page
    assert "orphan-goal" in page and reverse("goal_detail", args=[orphan.pk]) in page


def test_lint_page_without_cycle(owner, login):
    drop_cycles(owner)
    assert "No cycle yet" in login(owner).get(reverse("lint")).content.decode()


def test_settings_disable_a_rule_and_change_a_threshold(owner, cycle, login):
    make_goal(owner, cycle, "No measures yet")
    client = login(owner)
    data = {f"on_CH00{i}": "on" for i in range(2, 10)} | {"CH004.max_key_results": "7"}
    form = client.get(reverse("lint_settings")).context["form"]
    data |= {name: form[name].value() for name in form.fields if "." in name and name not in data}
    response = client.post(reverse("lint_settings"), data)
    assert response.status_code == 302
    saved = LintSettings.objects.for_org(owner.organization).get()
    assert "CH001" in saved.disabled and "CH004" not in saved.disabled
    assert saved.thresholds == {"CH004": {"max_key_results": 7}}
    assert "CH001" not in client.get(reverse("lint")).content.decode().split("By rule")[-1]


def test_settings_refuse_bad_thresholds_beside_the_field(owner, login):
    client = login(owner)
    form = client.get(reverse("lint_settings")).context["form"]
    data = {name: form[name].value() for name in form.fields if "." in name}
    data["CH101.max_share"] = "3"
    response = client.post(reverse("lint_settings"), data)
    assert response.status_code == 422
    assert "share between 0 and 1" in response.content.decode()
    assert not LintSettings.objects.for_org(owner.organization).exists()


def test_settings_are_for_admins(owner, login):
    leader = make_person(owner, Role.LEADER)
    assert login(leader).get(reverse("lint_settings")).status_code == 403
    assert login(leader).get(reverse("lint")).status_code == 200


def test_another_organizations_cycle_is_never_shown(owner, other_owner, login):
    theirs = make_cycle(other_owner, "Their cycle")
    make_goal(other_owner, theirs, "Their secret goal")
    page = login(owner).get(reverse("lint") + f"?cycle={theirs.pk}").content.decode()
    assert "Their secret goal" not in page and "Their cycle" not in page


def test_badges_are_escaped_and_counted_as_the_template_wrote_them():
    html = badges_html(7, "<b>A & B</b>", {"error": 1, "warning": 2, "info": 1}, "CH001, CH003")
    assert html == (
        '\n<a href="/goals/7/#lint-findings" class="lint-badges text-decoration-none ms-1" '
        'title="Goal lint: CH001, CH003"><span class="badge bg-red-lt me-1">1 error</span>'
        '<span class="badge bg-yellow-lt me-1">2 warnings</span>'
        '<span class="badge bg-blue-lt me-1">1 info</span>'
        '<span class="visually-hidden"> of goal lint for &lt;b&gt;A &amp; B&lt;/b&gt;</span></a>\n'
    )
