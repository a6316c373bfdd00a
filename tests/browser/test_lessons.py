"""A leader does a lesson's exercise end to end in a real browser: starts it, rewrites a goal's intent
until lint finds nothing, checks it and sees it done; an admin sees the completion."""

import pytest
from playwright.sync_api import expect

from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.models import Role
from charter.organizations.tests.factories import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, actor):
    page.goto("/login/")
    page.get_by_label("Email", exact=True).fill(actor.user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_leader_completes_the_intent_exercise_and_an_admin_sees_it(page, browser, live_server, shot, owner):
    leader = make_person(owner, Role.LEADER, full_name="Lea Leader")
    admin = make_person(owner, Role.ADMIN, full_name="Ada Admin")
    goal = make_goal(leader, make_cycle(owner, "2026 Q4"), "Grow in Spain", purpose="", end_state="")
    make_key_result(leader, goal, "Sign-ups completed in Spain per week", start=40, target=120)
    _log_in(page, leader)

    page.goto("/help/")
    page.get_by_role("link", name="lessons for leaders").click()
    page.get_by_role("link", name="Delegate the outcome, keep the intent").click()
    page.get_by_role("button", name="Start the exercise").click()
    expect(page.get_by_role("status")).to_contain_text("Exercise started")
    expect(page.locator("#exercise")).to_contain_text("rewrite its purpose and end state")
    shot(page, "lesson-started")

    page.goto(f"/goals/{goal.pk}/edit/")
    page.get_by_label("Purpose", exact=True).fill(
        "Spanish customers give up at sign-up: we ask for a tax number."
    )
    page.get_by_label("End state", exact=True).fill(
        "A new Spanish customer signs up on a phone in five minutes."
    )
    page.get_by_label("Constraints", exact=True).fill("Invoices stay as they are.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save goal").click()

    page.goto("/help/lessons/delegation/")
    page.get_by_role("button", name="Check my exercise").click()
    expect(page.get_by_role("status")).to_contain_text("Not yet.")  # the freedoms are still empty
    expect(page.locator("#exercise")).to_contain_text("Lint still finds 1 thing")

    page.goto(f"/goals/{goal.pk}/edit/")
    page.get_by_label("Freedoms", exact=True).fill("The team picks which sign-up steps to drop.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save goal").click()
    page.goto("/help/lessons/delegation/")
    expect(page.locator("#exercise")).to_contain_text("Charter sees it done")
    page.get_by_role("button", name="Mark the exercise done").click()
    expect(page.get_by_role("status")).to_contain_text("Exercise done.")
    expect(page.locator("h1 .badge")).to_contain_text("Done")
    shot(page, "lesson-done")

    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    admin_page = context.new_page()
    _log_in(admin_page, admin)
    admin_page.goto("/help/lessons/")
    admin_page.get_by_role("link", name="Everyone's progress").click()
    row = admin_page.get_by_role("row", name="Lea Leader")
    expect(row.get_by_text("Done")).to_have_count(1)
    expect(row).to_contain_text("1 of 4")
    widths = admin_page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] == widths[1]
    shot(admin_page, "lesson-progress-phone")
    context.close()
