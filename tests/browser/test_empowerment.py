"""The empowerment loop in a real browser: a decision above the team's level reaches its leader through
the inbox and is decided; a team answers a goal with a back-brief that the leader confirms; an idea is
submitted, voted, adopted and linked to a goal."""

import re

import pytest

from charter.backbriefs.models import BackBrief
from charter.delegation.models import Decision
from charter.delegation.services import delegation_set, domain_create
from charter.goals.tests.factories import make_cycle, make_goal
from charter.ideas.models import Idea
from charter.organizations.models import Role
from charter.organizations.tests.factories import PASSWORD, make_person, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, actor):
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("Email", exact=True).fill(actor.user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _submit(page, button):
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


@pytest.fixture
def org(owner):
    """Onboarding: a team with a lead and a member; pricing is theirs only to consult on (level 3)."""
    cycle = make_cycle(owner, "2026 Q4")
    team = make_team(owner, "Onboarding")
    lead = make_person(owner, Role.MEMBER, team=team, is_lead=True, full_name="Lena Lead")
    member = make_person(owner, Role.MEMBER, team=team, full_name="Max Member")
    domain = domain_create(actor=owner, name="Pricing")
    delegation_set(
        actor=owner, team_id=team.pk, domain_id=domain.pk, level=3, reason="Prices touch everyone."
    )
    goal = make_goal(
        owner,
        cycle,
        "Clinics onboard in a day",
        team_id=team.pk,
        purpose="Clinics that wait a week to start leave before they see value.",
        end_state="A new clinic books its first patient on the day it signs up.",
    )
    return {"owner": owner, "team": team, "lead": lead, "member": member, "domain": domain, "goal": goal}


def test_a_decision_above_the_teams_level_is_decided_by_its_leader(page, shot, org):
    _log_in(page, org["member"])
    page.goto("/decisions/new/")
    page.get_by_label("Team", exact=True).select_option(str(org["team"].pk))
    page.get_by_label("Decision domain", exact=True).select_option(str(org["domain"].pk))
    page.get_by_label("Title", exact=True).fill("Free set-up for clinics under 5 seats")
    form = page.get_by_role("form", name="Decision")  # the form is labelled "Decision" too
    form.get_by_label("Decision", exact=True).fill("Waive the set-up fee for small clinics.")
    shot(page, "empowerment-decision-form")
    _submit(page, "Record")
    decision = Decision.objects.for_org(org["owner"].organization).get()
    assert decision.status == "proposed", "above the team's level, recording makes a proposal"

    _log_in(page, org["lead"])
    page.goto("/notifications/")
    shot(page, "empowerment-inbox")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Free set-up for clinics")).first.click()
    assert page.url.endswith(f"/decisions/{decision.pk}/")
    page.get_by_label("Advice or note", exact=True).fill("Yes, for one quarter; we measure churn.")
    _submit(page, "Decide")
    decision.refresh_from_db()
    assert decision.status == "decided" and decision.decided_by_id == org["lead"].user_id
    assert "Decided" in page.locator("main").inner_text()
    shot(page, "empowerment-decision-decided")


def test_a_team_back_briefs_a_goal_and_the_leader_confirms(page, shot, org):
    title = org["goal"].title
    _log_in(page, org["member"])
    to_write = page.get_by_role("list", name="Back-briefs to write")
    with page.expect_navigation():
        to_write.get_by_role("link", name=title, exact=True).click()
    panel = page.locator("#back-brief")
    assert "The leader's intent" in panel.inner_text() and "Requested" in panel.inner_text()
    page.get_by_label("The intent, in our words", exact=True).fill(
        "Clinics should see value on day one; a week's wait loses them."
    )
    page.get_by_label("Our plan", exact=True).fill(
        "Three set-up steps instead of nine; import their calendar."
    )
    page.get_by_label("Our concerns", exact=True).fill("The calendar import depends on the platform team.")
    page.get_by_label("What we need", exact=True).fill("Two days of the platform team in week 3.")
    page.get_by_role("button", name="Submit back-brief", exact=True).click()
    page.locator("#back-brief").get_by_role("status").wait_for()
    assert "Submitted" in page.locator("#back-brief").inner_text()
    shot(page, "empowerment-back-brief-submitted")

    _log_in(page, org["owner"])
    shot(page, "empowerment-home-back-briefs")
    to_confirm = page.get_by_role("list", name="Back-briefs to confirm")
    with page.expect_navigation():
        to_confirm.get_by_role("link", name=title, exact=True).click()
    assert "three set-up steps" in page.locator("#back-brief").inner_text().lower()
    page.get_by_role("button", name="Confirm back-brief", exact=True).click()
    page.locator("#back-brief").get_by_role("status").wait_for()
    assert "Confirmed" in page.locator("#back-brief").inner_text()
    back_brief = BackBrief.objects.for_org(org["owner"].organization).get()
    assert back_brief.state == "confirmed" and back_brief.reviewed_by_id == org["owner"].user_id
    shot(page, "empowerment-back-brief-confirmed")


def test_an_idea_is_voted_adopted_and_linked_to_a_goal(page, shot, org):
    goal = org["goal"]
    _log_in(page, org["member"])
    page.goto("/ideas/new/")
    page.get_by_label("Title", exact=True).fill("Self-serve set-up checklist")
    page.get_by_label("Description", exact=True).fill(
        "A checklist clinics follow alone, so set-up needs no call."
    )
    page.get_by_label("Linked goals", exact=True).select_option(label=goal.title)
    _submit(page, "Submit idea")
    idea = Idea.objects.for_org(org["owner"].organization).get()

    _log_in(page, org["lead"])
    page.goto(f"/ideas/{idea.pk}/")
    page.get_by_role("button", name=re.compile("vote for Self-serve set-up checklist")).click()
    page.locator(".idea-vote button[aria-pressed='true']").first.wait_for()
    shot(page, "empowerment-idea-voted")

    _log_in(page, org["owner"])
    page.goto(f"/ideas/{idea.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Move", exact=True).click()
    page.get_by_label("Move to", exact=True).select_option("adopted")
    page.get_by_label("Reason", exact=True).fill("It is how we reach onboarding in a day.")
    page.get_by_label("It became the goal", exact=True).select_option(label=goal.title)
    _submit(page, "Move idea")
    idea.refresh_from_db()
    assert idea.status == "adopted" and idea.adopted_goal_id == goal.pk and idea.votes.count() == 1
    main = page.locator("main")
    assert main.get_by_role("link", name=goal.title, exact=True).first.is_visible()
    shot(page, "empowerment-idea-adopted")
