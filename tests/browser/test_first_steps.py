"""A new organization's first steps in a real browser: the first goal's cycle made in place (what was typed
kept), the mission's first version without a reason and with a value added by the "Add a value" button,
and a first check-in that asks for a confidence instead of inventing one."""

import re

import pytest

from charter.goals.models import Cycle, Goal
from charter.goals.tests.factories import drop_cycles, make_cycle, make_goal, make_key_result
from charter.mission.selectors import mission_get
from charter.organizations.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, actor):
    page.goto("/login/")
    page.get_by_label("Email", exact=True).fill(actor.user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r":\d+/$"))


def _submit(page, button):
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_the_first_goal_gets_its_cycle_in_place(page, shot, owner):
    drop_cycles(owner)  # as an organization whose every cycle is gone
    _sign_in(page, owner)
    page.goto("/goals/new/")
    page.get_by_label("Title", exact=True).fill("Clinics onboard in a day")
    page.get_by_label("Purpose", exact=True).fill("Slow onboarding is where churn starts.")
    assert page.get_by_label("Cycle", exact=True).count() == 0  # no empty required list
    shot(page, "first-steps-1-goal-form-without-cycle")
    _submit(page, "Create this cycle")
    cycle = Cycle.objects.for_org(owner.organization).get()
    assert cycle.state == "active"
    assert page.get_by_label("Title", exact=True).input_value() == "Clinics onboard in a day"
    assert page.get_by_label("Purpose", exact=True).input_value() == "Slow onboarding is where churn starts."
    assert page.get_by_label("Cycle", exact=True).input_value() == str(cycle.pk)
    shot(page, "first-steps-2-cycle-created-goal-kept")
    page.get_by_label("End state", exact=True).fill("A new clinic books its first patient on day one.")
    _submit(page, "Create goal")
    goal = Goal.objects.for_org(owner.organization).get()
    assert page.url.endswith(f"/goals/{goal.pk}/") and goal.cycle_id == cycle.pk
    assert "No status yet" in page.locator("main").inner_text()
    shot(page, "first-steps-3-goal-no-status-yet")


def test_the_first_mission_needs_no_reason_and_takes_a_fourth_value(page, shot, owner):
    _sign_in(page, owner)
    page.goto("/mission/edit/")
    page.get_by_label("Mission", exact=True).fill("Give every clinic its time back for patients.")
    assert "Not needed for the first version" in page.locator("main").inner_text()
    rows = page.locator(".value-row")
    assert rows.count() == 3
    page.get_by_role("button", name="Add a value").click()
    assert rows.count() == 4
    assert page.evaluate("document.activeElement.name") == "values-3-name"
    for i, (name, meaning) in enumerate(
        [("Patients first", "We pick the patient."), ("Own it", "We say early."), ("Write it", "In writing."),
         ("Care", "We look after each other.")]
    ):  # fmt: skip
        page.get_by_label(f"Value {i + 1} name", exact=True).fill(name)
        page.get_by_label(f"Value {i + 1}: what it means in practice", exact=True).fill(meaning)
    shot(page, "first-steps-4-mission-four-values")
    _submit(page, "Save the mission")
    assert [v["name"] for v in mission_get(actor=owner).values] == [
        "Patients first",
        "Own it",
        "Write it",
        "Care",
    ]

    page.goto("/mission/edit/")  # a change now: the reason is required, a value can go
    page.get_by_label("Remove value 2").check()
    _submit(page, "Save as a new revision")
    assert "Say why the mission changes" in page.locator("main").inner_text()
    page.get_by_label("Reason for this change").fill("Own it is part of Write it.")
    page.get_by_label("Remove value 2").check()
    _submit(page, "Save as a new revision")
    assert [v["name"] for v in mission_get(actor=owner).values] == ["Patients first", "Write it", "Care"]


def test_a_first_check_in_asks_for_a_confidence(page, shot, owner):
    cycle = make_cycle(owner, "2026 Q4", days_before=30, days_after=60)
    goal = make_goal(owner, cycle, "Clinics onboard in a day")
    kr = make_key_result(owner, goal, "Clinics live on day one", start=0, target=100, owner_id=owner.user_id)
    _sign_in(page, owner)
    page.goto("/check-in/")
    row = page.locator(f"#check-in-{kr.pk}")
    assert row.get_by_label("Confidence", exact=True).input_value() == ""
    assert "6 or lower marks it at risk" in row.inner_text()
    row.get_by_label(re.compile(r"^Value")).fill("40")
    row.get_by_role("button", name=re.compile("^Save")).click()
    error = page.locator(f"#kr{kr.pk}_confidence_error")
    error.wait_for()
    assert "Give a confidence from 0" in error.inner_text()
    assert not kr.check_ins.exists()
    shot(page, "first-steps-5-check-in-asks-confidence")
    page.locator(f"#check-in-{kr.pk}").get_by_label("Confidence", exact=True).fill("8")
    page.locator(f"#check-in-{kr.pk}").get_by_role("button", name=re.compile("^Save")).click()
    page.locator(f"#check-in-{kr.pk}").get_by_text("✓ Saved").wait_for()
    assert kr.check_ins.get().confidence == 8
