"""Comments and ideas in a real browser: a comment with an @mention picked from the autocomplete is
added without a reload; an idea is proposed, voted for by htmx, and shows on the board."""

import re

import pytest
from playwright.sync_api import expect

from charter.discussion.models import Mention
from charter.goals.tests.factories import make_cycle, make_goal
from charter.notifications.models import Notification
from charter.organizations.models import Role
from charter.organizations.tests.factories import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, actor):
    page.goto("/login/")
    page.get_by_label("Email", exact=True).fill(actor.user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_comment_with_mention_and_idea_vote(page, shot, owner):
    goal = make_goal(owner, make_cycle(owner, "2026 Q4"), "Clinics onboard in a day")
    ana = make_person(owner, Role.MEMBER, full_name="Ana Lopez")
    _log_in(page, owner)

    page.goto(f"/goals/{goal.pk}/")
    page.get_by_role("tab", name="Discussion").click()
    box = page.get_by_label("Add a comment")
    box.click()
    with page.expect_response(lambda response: "q=Ana" in response.url):
        box.type("Could you look at this, @Ana")
    option = page.get_by_role("option", name=re.compile("Ana Lopez"))
    option.click()
    expect(box).to_have_value(re.compile(r"@\[Ana Lopez\]\(user:\d+\)"))
    box.type("**today**?")
    page.evaluate("window.__no_reload = true")
    page.get_by_role("button", name="Comment", exact=True).click()
    comment = page.locator("article.comment").filter(has_text="today")
    comment.wait_for()
    assert page.evaluate("window.__no_reload") is True  # added by htmx, not a page load
    assert comment.locator("strong", has_text="@Ana Lopez").count() == 1
    assert box.input_value() == ""
    assert page.locator(f"#comments-goal-{goal.pk}-count").inner_text() == "1"
    shot(page, "goal-comments")
    assert Mention.objects.for_org(owner.organization).filter(user_id=ana.user_id).exists()
    assert Notification.objects.for_org(owner.organization).filter(recipient_id=ana.user_id).exists()

    page.goto("/ideas/new/")
    page.get_by_label("Title", exact=True).fill("Onboarding checklist")
    page.get_by_label("Linked goals", exact=True).select_option(str(goal.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Submit idea").click()
    page.goto("/ideas/")
    vote = page.get_by_role("button", name=re.compile("vote for Onboarding checklist"))
    vote.click()
    page.get_by_role("button", name=re.compile("remove my vote for Onboarding checklist")).wait_for()
    shot(page, "ideas-board")
