"""The first loop in a real browser: log in, create a goal with intent and two key results, check in
on the weekly page, and see progress and status change on the goal page and the strategy map."""

import re

import pytest
from playwright.sync_api import expect

from charter.goals.models import Goal
from charter.goals.tests.factories import make_cycle
from charter.mission.services import mission_update
from charter.organizations.tests.factories import PASSWORD, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _goal_card(page, title):
    """The strategy map's card of one goal."""
    return page.locator(".map-card", has=page.get_by_role("link", name=title, exact=True))


def _submit(page, button):
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_goal_with_intent_and_check_ins_changes_progress_and_status(page, shot, owner):
    mission_update(
        actor=owner,
        statement="Help clinics spend their time on patients, not paperwork.",
        vision="",
        values=[{"name": "Candour", "meaning": "We say what we see."}],
        reason="First mission",
    )
    # 30 of 90 days elapsed: a goal at 0% is off track, at 60% on track.
    cycle = make_cycle(owner, "2026 Q4", days_before=30, days_after=60)
    team = make_team(owner, "Onboarding")

    page.goto("/login/")
    page.get_by_label("Email", exact=True).fill(owner.user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r":\d+/$"))
    shot(page, "home")

    page.goto("/goals/new/")
    page.get_by_label("Title", exact=True).fill("Clinics onboard in a day")
    page.get_by_label("Cycle", exact=True).select_option(str(cycle.pk))
    page.get_by_label("Team", exact=True).select_option(str(team.pk))
    page.get_by_label("Purpose", exact=True).fill(
        "Clinics that wait a week to start leave before they see value."
    )
    page.get_by_label("End state", exact=True).fill(
        "A new clinic books its first patient on the day it signs up."
    )
    page.get_by_label("Constraints", exact=True).fill("No extra work for the clinic's staff.")
    page.get_by_label("Freedoms", exact=True).fill("The team chooses the tools and the order of the steps.")
    shot(page, "goal-form")
    _submit(page, "Create goal")
    goal = Goal.objects.for_org(owner.organization).get(title="Clinics onboard in a day")

    page.get_by_role("link", name="Add key result").first.click()
    page.wait_for_url("**/key-results/new/")
    page.get_by_label("Title", exact=True).fill("Clinics live on day one")
    page.get_by_label("Kind", exact=True).select_option("increase")
    page.get_by_label("Start", exact=True).fill("0")
    page.get_by_label("Target", exact=True).fill("100")
    page.get_by_label("Unit", exact=True).fill("%")
    _submit(page, "Add and add another")
    page.get_by_label("Title", exact=True).fill("Median set-up days")
    page.get_by_label("Kind", exact=True).select_option("decrease")
    page.get_by_label("Start", exact=True).fill("10")
    page.get_by_label("Target", exact=True).fill("5")
    page.get_by_label("Unit", exact=True).fill("days")
    _submit(page, "Add key result")
    assert page.url.endswith(f"/goals/{goal.pk}/")
    assert page.get_by_role("row", name=re.compile("Clinics live on day one")).is_visible()
    assert page.get_by_role("row", name=re.compile("Median set-up days")).is_visible()
    assert "No status yet" in page.locator("main").inner_text()  # nothing checked in: no news

    page.goto("/map/")
    card = _goal_card(page, "Clinics onboard in a day")
    assert "No status yet" in card.inner_text() and "0%" in card.inner_text()

    page.goto("/check-in/")
    shot(page, "check-in")
    first = page.get_by_role("listitem", name="Check-in on Clinics live on day one")
    first.get_by_label(re.compile(r"^Value")).fill("40")
    first.get_by_label("Confidence", exact=True).fill("8")
    first.get_by_label("Note", exact=True).fill("Two pilot clinics went live the same day.")
    first.get_by_label("Note", exact=True).press("Enter")
    page.get_by_role("listitem", name="Check-in on Clinics live on day one").get_by_role("status").wait_for()
    second = page.get_by_role("listitem", name="Check-in on Median set-up days")
    # The saved row hands the focus to the next row's value once htmx settles; typing before that could
    # land in the wrong field (the focus moves under the typist), so wait for it as a person would see it.
    expect(second.get_by_label(re.compile(r"^Value"))).to_be_focused()
    second.get_by_label(re.compile(r"^Value")).fill("6")
    second.get_by_label("Confidence", exact=True).fill("7")
    second.get_by_label(re.compile(r"^Value")).press("Enter")
    page.get_by_role("listitem", name="Check-in on Median set-up days").get_by_role("status").wait_for()
    assert page.url.endswith("/check-in/"), "rows save in place, without leaving the page"
    shot(page, "check-in-saved")

    # (0.4 + 0.8) / 2 = 60%, ahead of the 33% of the cycle elapsed: on track.
    page.goto(f"/goals/{goal.pk}/")
    main = page.locator("main").inner_text()
    assert "On track" in main and "60%" in main
    assert "Two pilot clinics went live the same day." in main
    shot(page, "goal")

    page.goto("/map/")
    card = _goal_card(page, "Clinics onboard in a day")
    assert "On track" in card.inner_text() and "60%" in card.inner_text()
    shot(page, "strategy-map")
