"""The cycle review in a real browser: a leader moves the cycle to reviewing, grades the team's goals,
writes the retrospective, carries one goal over, drops another with a reason, and closes the cycle."""

import re

import pytest

from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.models import Role
from charter.organizations.tests.factories import PASSWORD, make_person, make_team
from charter.reviews.models import GoalGrade

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, button, within=None):
    with page.expect_navigation():
        (within or page).get_by_role("button", name=button, exact=True).click()


def _set_state(page, cycle, state):
    page.goto(f"/cycles/{cycle.pk}/edit/")
    page.get_by_label("State", exact=True).select_option(state)
    _submit(page, "Save cycle")


def test_leader_reviews_a_cycle_and_closes_it(page, shot, owner):
    cycle = make_cycle(owner, "2026 Q3", days_before=88, days_after=2)
    next_cycle = make_cycle(owner, "2026 Q4", days_before=-3, days_after=90, state="planning")
    team = make_team(owner, "Onboarding")
    leader = make_person(owner, Role.LEADER, team=team, full_name="Lea Leader")
    keep = make_goal(owner, cycle, "Clinics onboard in a day", team_id=team.pk)
    kr = make_key_result(owner, keep, "Days to first patient", kind="decrease", start=7, target=1)
    check_in_record(actor=owner, key_result_id=kr.pk, value=3, confidence=6)
    drop = make_goal(owner, cycle, "Printed manuals", team_id=team.pk)
    make_key_result(owner, drop, "Manuals sent", start=0, target=50)

    page.goto("/login/")
    page.get_by_label("Email", exact=True).fill(leader.user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r":\d+/$"))
    _set_state(page, cycle, "reviewing")

    page.get_by_role("button", name="Lead").click()
    page.get_by_role("link", name="Cycle reviews", exact=True).click()
    page.get_by_role("link", name="Onboarding", exact=True).click()
    page.wait_for_url(re.compile(r"/review/"))
    shot(page, "review-team-page")

    for goal, grade in ((keep, "0.7"), (drop, "0.1")):
        card = page.locator(f"#goal-{goal.pk}")
        card.get_by_label("Grade", exact=True).fill(grade)
        _submit(page, "Save grade", card)
    assert page.locator(f"#goal-{keep.pk}").get_by_text("attained", exact=True).is_visible()

    card = page.locator(f"#goal-{keep.pk}")
    card.locator("summary").click()
    card.get_by_label("Adaptation", exact=True).select_option("carry_over")
    card.get_by_label("Carry over to", exact=True).select_option(str(next_cycle.pk))
    _submit(page, "Save adaptation", card)

    card = page.locator(f"#goal-{drop.pk}")
    card.locator("summary").click()
    card.get_by_label("Adaptation", exact=True).select_option("drop")
    card.get_by_label("Reason", exact=True).fill("Clinics read the help centre instead.")
    _submit(page, "Save adaptation", card)

    page.get_by_label("What worked", exact=True).fill("Pairing with two pilot clinics.")
    page.get_by_label("What did not", exact=True).fill("Printed material nobody read.")
    page.get_by_label("What we change", exact=True).fill("Measure first use, not shipments.")
    _submit(page, "Save retrospective")
    shot(page, "review-done")

    grades = {g.goal_id: g for g in GoalGrade.objects.for_org(owner.organization)}
    assert grades[keep.pk].carried_to.cycle_id == next_cycle.pk
    assert grades[drop.pk].adaptation == "drop"

    page.goto(f"/reviews/?cycle={cycle.pk}")
    assert page.get_by_text("2 of 2").is_visible()
    shot(page, "review-overview")

    _set_state(page, cycle, "closed")
    page.goto(f"/cycles/{cycle.pk}/review/?team={team.pk}")
    assert page.get_by_text("is closed: its grades, adaptations and retrospectives are locked").is_visible()
    assert page.get_by_role("button", name="Save grade").count() == 0
    shot(page, "review-locked")
