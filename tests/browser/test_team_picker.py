"""The team filter in a real browser, with more teams than it lists: typing in its search field brings the
matching teams into the select (htmx, under the page's CSP), choosing one and filtering keeps ?team=<id>."""

import re

import pytest
from playwright.sync_api import expect

from charter.goals.tests.factories import make_cycle, make_goal
from charter.organizations.models import Team
from charter.organizations.selectors import TEAM_PICKER_SHOWN
from charter.organizations.tests.factories import PASSWORD, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_a_team_beyond_the_list_and_filter_the_map_by_it(page, shot, owner):
    cycle = make_cycle(owner, "2026 Q4", days_before=30, days_after=60)
    tribe = make_team(owner, "Clinics")
    Team.objects.bulk_create(
        Team(organization=owner.organization, name=f"Squad {i:03}", parent=tribe)
        for i in range(TEAM_PICKER_SHOWN + 20)
    )
    squad = Team.objects.for_org(owner.organization).get(name="Squad 042")
    make_goal(owner, cycle, "Clinics onboard in a day", team_id=squad.pk)
    make_goal(owner, cycle, "Another team's goal", team_id=tribe.pk)

    page.goto("/login/")
    page.get_by_label("Email", exact=True).fill(owner.user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r":\d+/$"))

    page.goto(f"/map/?cycle={cycle.pk}")
    team = page.get_by_label("Team", exact=True)
    assert team.locator(f'option[value="{squad.pk}"]').count() == 0  # only the top-level team is listed
    page.get_by_label("Find a team", exact=True).fill("squad 04")
    # "All teams" and Squad 040 … 049 (Playwright's expect: the page's CSP forbids evaluating strings).
    expect(page.locator("#filter-team option")).to_have_count(11)
    team.select_option(str(squad.pk))
    shot(page, "team-picker-search")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(rf"team={squad.pk}"))
    assert "Clinics onboard in a day" in page.content() and "Another team's goal" not in page.content()
    assert page.get_by_label("Team", exact=True).input_value() == str(squad.pk)
