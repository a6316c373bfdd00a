"""In a real browser: sign in by keyboard, see how my work contributes, add a team member with htmx."""

import pytest

from charter.goals.tests.factories import make_goal, make_key_result
from charter.mission.services import mission_update
from charter.organizations.models import Role
from charter.organizations.tests.factories import PASSWORD, make_person, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, actor):
    page.goto("/login/")
    page.get_by_label("Email").fill(actor.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Hello, {actor.user.get_short_name()}").wait_for()


def _mission(owner, statement="Help teams lead by mission.", reason="r"):
    values = [{"name": "Candour", "meaning": "We say what we see."}]
    mission_update(actor=owner, statement=statement, vision="", values=values, reason=reason)


def test_home_shows_the_chain_to_the_mission(page, shot, owner, cycle):
    _mission(owner)
    top = make_team(owner, "Company")
    team = make_team(owner, "Product", parent=top)
    person = make_person(owner, Role.MEMBER, team=team, full_name="Mia Member")
    strategic = make_goal(owner, cycle, "Customers stay", team_id=top.pk)
    goal = make_goal(owner, cycle, "Onboarding in a day", team_id=team.pk, parent_id=strategic.pk)
    make_key_result(owner, goal, "Set-up days", owner_id=person.user_id, start=9, target=2, kind="decrease")
    _sign_in(page, person)
    chain = page.get_by_role("list", name="What Onboarding in a day contributes to")
    assert "Customers stay" in chain.inner_text()
    assert "Help teams lead by mission." in chain.inner_text()
    assert page.get_by_role("link", name="Check in now").is_visible()
    shot(page, "web-home")


def test_owner_adds_a_team_lead_without_a_page_load(page, shot, owner):
    team = make_team(owner, "Ops")
    make_person(owner, full_name="Lena Lead")
    _sign_in(page, owner)
    page.goto(f"/teams/{team.pk}/")
    option = page.locator("#id_user_id option", has_text="Lena Lead").get_attribute("value")
    page.get_by_label("Person").select_option(option)
    page.get_by_label("Leads this team").check()
    page.get_by_role("button", name="Add to team").click()
    members = page.locator("#team-members")
    members.get_by_text("Lena Lead is now in the team as a lead.").wait_for()
    assert "Lead" in members.inner_text()
    shot(page, "web-team")


def test_guide_and_help_render(page, shot, owner):
    _sign_in(page, owner)
    page.get_by_role("link", name="Open the guide").click()
    assert page.get_by_text("0 of 5 done").is_visible()
    page.get_by_text("What is intent?").first.click()
    shot(page, "web-guide")
    page.goto("/help/")
    shot(page, "web-help")


def test_people_teams_mission_and_tokens_pages(page, shot, owner):
    _mission(owner, reason="First")
    _mission(owner, statement="Help every team lead by mission.", reason="Wider")
    team = make_team(owner, "Company")
    make_person(owner, Role.LEADER, team=make_team(owner, "Product", parent=team), is_lead=True)
    _sign_in(page, owner)
    for url, name in (("/teams/", "teams"), ("/people/", "people"), ("/mission/", "mission")):
        page.goto(url)
        shot(page, f"web-{name}")
    page.goto("/tokens/")
    page.get_by_label("Name").fill("CI pipeline")
    page.get_by_role("button", name="Create token").click()
    assert page.locator("#raw-token").input_value().startswith("chr_")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke CI pipeline").click()
    page.get_by_text("Revoked").wait_for()
    shot(page, "web-tokens")
