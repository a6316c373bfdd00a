"""Every status badge and progress bar on every page that shows one is its widget's own markup: the goal
status badge of `goals/_status.jinja` (`goal_widgets.badge_html`), the progress bar of
`core/_progress.jinja` (`{% progress_bar %}`), the decision status badge of `delegation/_status.jinja`.
Pages drawn by Django templates (`{% status_badge %}`, `{% progress_bar %}`, `{% decision_status %}`) and
the Jinja2 row partials alike: a widget written a second time anywhere fails here."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from charter.core.templatetags.charter import progress_bar
from charter.delegation.templatetags.delegation_tags import decision_status_html
from charter.delegation.tests.factories import make_domain, record
from charter.goals.models import Goal, KeyResult
from charter.goals.templatetags.goal_widgets import badge_html
from charter.goals.tests.factories import make_goal, make_key_result
from charter.organizations.tests.factories import make_team

pytestmark = pytest.mark.django_db

CELL = '<div class="progress-cell">'


def _check_widgets(html: str, progress_values: set[float]) -> dict:
    """Asserts each widget in `html` is its partial's markup; returns how many of each it found."""
    badges = list(re.finditer(r'<span class="badge status-([a-z_]+)[ "]', html))
    for badge in badges:
        assert html.startswith(badge_html(badge[1]), badge.start()), html[badge.start() : badge.start() + 300]
    assert html.count("status-dot") == len(badges), "a status badge not drawn by the partial"
    bars = list(re.finditer(r"<progress ", html))
    for bar in bars:
        start = bar.start() - len(CELL)
        assert html.startswith(CELL, start), html[start - 100 : bar.end() + 200]
        label = unescape(re.compile(r'aria-label="([^"]*)"').search(html, bar.start())[1])
        drawn = [progress_bar(value, label) for value in progress_values]
        assert any(html.startswith(expected, start) for expected in drawn), html[start : start + 400]
    assert html.count("progress-cell") == len(bars), "a progress bar not drawn by the partial"
    decisions = list(re.finditer(r'<span class="badge decision-([a-z_]+)">([^<]*)</span>', html))
    for decision in decisions:
        assert decision[0] == decision_status_html(decision[1], unescape(decision[2]))
    assert html.count('class="badge decision-') == len(decisions), "a decision badge not drawn by the partial"
    return {"badges": len(badges), "bars": len(bars), "decisions": len(decisions)}


def test_every_badge_and_bar_is_the_partials(owner, cycle, login):
    team = make_team(owner, "Care <&> 'team'")
    top = make_goal(owner, cycle, 'Grow <fast> & "well"')
    children = []
    now = timezone.now()
    # One goal per status: checked in recently and confident, trailing, far behind, long ago, never.
    for i, (progress, confidence, days) in enumerate(
        [(1.25, 10, 1), (0.4995, 5, 1), (0.0005, 2, 1), (0.125, 8, 60), (None, None, None)]
    ):
        goal = make_goal(owner, cycle, f"Child {i} <i>", team_id=team.pk, parent_id=top.pk)
        make_key_result(owner, goal, f"Result {i} & <b>", owner_id=owner.user_id)
        if progress is not None:
            Goal.objects.for_org(owner.organization).filter(pk=goal.pk).update(
                progress=progress, confidence=confidence, last_check_in_at=now - timedelta(days=days)
            )
            KeyResult.objects.for_org(owner.organization).filter(goal_id=goal.pk).update(
                progress=progress, current=progress * 100, last_check_in_at=now - timedelta(days=days)
            )
        children.append(goal)
    make_key_result(owner, top, "Top result", owner_id=owner.user_id)
    domain = make_domain(owner, "Pricing")
    decision = record(owner, team, domain, "Price <it>", goal_ids=[top.pk]).decision
    progress_values = {
        *Goal.objects.for_org(owner.organization).values_list("progress", flat=True),
        *KeyResult.objects.for_org(owner.organization).values_list("progress", flat=True),
    }
    client = login(owner)
    pages = {
        "goal list": reverse("goal_list"),
        "goal list, all cycles": reverse("goal_list") + "?cycle=all",
        "strategy map": reverse("strategy_map"),
        "goal page": reverse("goal_detail", args=[top.pk]),
        "a child goal's page": reverse("goal_detail", args=[children[0].pk]),
        "check-in": reverse("check_in_week"),
        "home": reverse("home"),
        "team page": reverse("team_detail", args=[team.pk]),
        "decision log": reverse("decision_log"),
        "decision page": reverse("decision_detail", args=[decision.pk]),
    }
    found = {}
    statuses = set()
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        found[name] = _check_widgets(html, progress_values)
        statuses |= set(re.findall(r'<span class="badge status-([a-z_]+)', html))
    assert statuses == {"on_track", "at_risk", "off_track", "stale", "none"}, statuses
    # Each page showed the widgets it is listed for (the checks above pass on a page with none): six goals
    # with a bar each, six key results, one decision linked to the top goal.
    assert found == {
        "goal list": {"badges": 6, "bars": 6, "decisions": 0},
        "goal list, all cycles": {"badges": 6, "bars": 6, "decisions": 0},
        "strategy map": {"badges": 6, "bars": 12, "decisions": 0},
        "goal page": {"badges": 6, "bars": 2, "decisions": 1},  # its own and its children's badges
        "a child goal's page": {"badges": 1, "bars": 2, "decisions": 0},
        "check-in": {"badges": 0, "bars": 6, "decisions": 0},
        "home": {"badges": 10, "bars": 6, "decisions": 0},  # needs attention, my goals
        "team page": {"badges": 5, "bars": 5, "decisions": 0},
        "decision log": {"badges": 0, "bars": 0, "decisions": 1},
        "decision page": {"badges": 0, "bars": 0, "decisions": 1},
    }
