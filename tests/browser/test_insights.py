"""Insights in a real browser: the leadership profile's radar drawn from data built through the services,
and the printable cycle review report."""

import json
import re

import pytest

from charter.delegation.tests.factories import make_domain, record, set_level
from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.ideas.services import idea_move
from charter.ideas.tests.factories import make_idea
from charter.organizations.models import Role
from charter.organizations.tests.factories import PASSWORD, make_person, make_team
from charter.pulse.tests.factories import answer, close, make_survey
from charter.reviews.services import goal_grade, review_write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _build(owner):
    cycle = make_cycle(owner, "2026 Q4", days_before=30, days_after=60)
    team = make_team(owner, "Onboarding", parent=make_team(owner, "Product"))
    lead = make_person(owner, Role.LEADER, team=team, is_lead=True, full_name="Lea Lead")
    members = [make_person(owner, Role.MEMBER, team=team, full_name=f"Member {i}") for i in range(5)]
    strategic = make_goal(owner, cycle, "Clinics trust us with their day")
    goal = make_goal(owner, cycle, "Clinics onboard in a day", team_id=team.pk, parent_id=strategic.pk)
    kr = make_key_result(owner, goal, "Days to first booking", kind="decrease", start=7, target=1)
    check_in_record(actor=owner, key_result_id=kr.pk, value=3, confidence=7)
    goal_grade(actor=owner, goal_id=goal.pk, grade=0.8)
    review_write(
        actor=lead,
        cycle_id=cycle.pk,
        team_id=team.pk,
        what_worked="Pairing with clinics",
        what_did_not="Late data imports",
        what_we_change="A weekly demo",
    )
    domain = make_domain(owner, "Tooling")
    set_level(owner, team, domain, 6)
    record(members[0], team, domain, "Use a shared checklist")
    idea = make_idea(members[1], "Video walkthroughs")
    idea_move(actor=owner, idea_id=idea.pk, to_status="adopted", reason="Cheap", adopted_goal_id=goal.pk)
    _, rnd = make_survey(owner)
    for person in members:
        answer(person, rnd, engagement=4, enps=9, team_id=team.pk)
    close(rnd)  # pulse figures count closed rounds only
    return cycle, team


def test_profile_radar_and_cycle_report(page, shot, owner):
    cycle, team = _build(owner)
    page.goto("/login/")
    page.get_by_label("Email", exact=True).fill(owner.user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r":\d+/$"))

    page.goto(f"/insights/profile/?cycle={cycle.pk}&team={team.pk}")
    page.locator("#profile-chart canvas").first.wait_for()
    data = json.loads(page.locator("#profile-data").text_content())
    assert len(data["measured"]) == 5
    assert all(isinstance(v, (int, float)) for v in data["measured"])  # every factor has data here
    assert page.get_by_text("How is this computed?").first.is_visible()
    page.wait_for_timeout(800)  # the radar's entry animation
    shot(page, "insights-profile")

    page.get_by_role("link", name="Cycle report").click()
    page.wait_for_url(re.compile(r"/insights/report/"))
    assert page.get_by_text("Pairing with clinics").is_visible()
    assert page.get_by_role("cell", name="0.80").is_visible()
    shot(page, "cycle-report")
