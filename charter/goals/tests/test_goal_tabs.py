"""The goal page: what matters first (title, status, progress, intent, key results), the rest in tabs, each
tab a link to its section (so the page works without scripts too)."""

import re

import pytest
from django.urls import reverse

from .factories import make_goal, make_key_result

pytestmark = pytest.mark.django_db


def test_goal_page_puts_key_results_first_and_the_rest_in_tabs(owner, login, cycle):
    goal = make_goal(owner, cycle, "Clinics onboard in a day", purpose="Clinics see value on day one.")
    make_key_result(owner, goal, "Days to first booking", kind="decrease", start=7, target=1)
    html = login(owner).get(reverse("goal_detail", args=[goal.pk])).content.decode()
    assert "{#" not in html and "{%" not in html
    tabs = re.findall(r'href="#(tab-[\w-]+)" data-bs-toggle="tab" role="tab"', html)
    assert tabs[:2] == ["tab-check-ins", "tab-alignment"] and len(tabs) == len(set(tabs))
    for tab in tabs:
        assert f'id="{tab}" role="tabpanel"' in html, tab
    assert "tab-discussion" in tabs and "tab-revisions" in tabs  # panels registered with a tab
    first_tab = html.index('role="tablist"')
    assert html.index("Days to first booking") < first_tab and html.index("Clinics see value") < first_tab
    assert html.index('id="comments-goal-') > first_tab  # the comment thread waits in its tab
    assert "No check-ins yet" in html and 'id="progress-chart"' not in html
