"""Back-brief pages: the goal page panel and its htmx actions, home panel, list page, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.backbriefs.models import BackBrief
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team

from .factories import TEXTS, make_given, submit

HTMX = {"HX-Request": "true"}


def _goal_page(client, given):
    return client.get(reverse("goal_detail", args=[given.goal.pk])).content.decode()


def test_the_goal_page_shows_the_leaders_intent_beside_the_teams_and_the_form(given, login):
    page = _goal_page(login(given.member), given)
    assert "Back-brief of Onboarding team" in page and "The leader's intent" in page
    assert given.goal.purpose in page and "Requested" in page
    assert "Submit back-brief" in page and "What is a back-brief?" in page


def test_the_team_submits_through_htmx_and_the_panel_is_swapped(given, login):
    client = login(given.member)
    response = client.post(reverse("back_brief_submit", args=[given.back_brief.pk]), TEXTS, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="back-brief"' in html and "Back-brief submitted." in html and TEXTS["plan"] in html
    assert "<html" not in html


def test_a_plain_submit_goes_back_to_the_goal_page(given, login):
    response = login(given.lead).post(reverse("back_brief_submit", args=[given.back_brief.pk]), TEXTS)
    assert response.status_code == 302
    assert response["Location"] == reverse("goal_detail", args=[given.goal.pk]) + "#back-brief"


def test_missing_texts_are_shown_beside_their_fields(given, login):
    url = reverse("back_brief_submit", args=[given.back_brief.pk])
    response = login(given.member).post(url, {**TEXTS, "plan": "", "needs": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_plan_error"' in html and 'id="id_needs_error"' in html and "id_intent_error" not in html
    given.back_brief.refresh_from_db()
    assert given.back_brief.state == BackBrief.State.REQUESTED


def test_the_reviewer_sees_confirm_and_clarify_and_confirms(given, login):
    submit(given.member, given.back_brief)
    client = login(given.owner)
    page = _goal_page(client, given)
    assert "Confirm back-brief" in page and "Ask for clarification" in page
    response = client.post(reverse("back_brief_confirm", args=[given.back_brief.pk]), headers=HTMX)
    assert "Confirmed" in response.content.decode()


def test_clarify_needs_a_message(given, login):
    submit(given.member, given.back_brief)
    client = login(given.owner)
    url = reverse("back_brief_clarify", args=[given.back_brief.pk])
    assert client.post(url, {"message": ""}).status_code == 422
    response = client.post(url, {"message": "What is day one?"}, headers=HTMX)
    assert (
        "What is day one?" in response.content.decode()
        and "Clarification requested" in response.content.decode()
    )


def test_a_wrong_actor_is_refused(given, login):
    submit(given.member, given.back_brief)
    client = login(given.lead)
    url = reverse("back_brief_confirm", args=[given.back_brief.pk])
    assert client.post(url).status_code == 403
    response = client.post(url, headers=HTMX)  # htmx: the refusal inside the panel
    assert response.status_code == 200 and "never the one who wrote it" in response.content.decode()
    assert "Confirm back-brief" not in _goal_page(client, given)


def test_confirming_a_requested_back_brief_is_refused(given, login):
    response = login(given.owner).post(reverse("back_brief_confirm", args=[given.back_brief.pk]))
    assert response.status_code == 409


def test_home_shows_back_briefs_to_write_and_to_confirm(given, login, client):
    home = login(given.member).get(reverse("home")).content.decode()
    assert "Back-briefs to write" in home and given.goal.title in home
    submit(given.member, given.back_brief)
    client.logout()
    home = login(given.owner).get(reverse("home")).content.decode()
    assert "Back-briefs to confirm" in home and given.goal.title in home


def test_the_list_shows_pending_back_briefs_and_filters(given, login, cycle):
    other = make_given(given.owner, cycle, "Billing")
    submit(other.member, other.back_brief)
    client = login(make_person(given.owner, Role.VIEWER))
    page = client.get(reverse("back_brief_list")).content.decode()
    assert given.goal.title in page and other.goal.title in page
    page = client.get(reverse("back_brief_list"), {"state": "submitted"}).content.decode()
    assert other.goal.title in page and given.goal.title not in page
    page = client.get(reverse("back_brief_list"), {"team": given.team.pk}).content.decode()
    assert given.goal.title in page and other.goal.title not in page


# ---- query counts do not grow with the data -------------------------------------------------------


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(owner, cycle, reviewer_team, n):
    from charter.goals.tests.factories import make_goal

    have = BackBrief.objects.for_org(owner.organization).count()
    for i in range(have, n):
        team = make_team(owner, f"Team {i}")
        writer = make_person(owner, Role.MEMBER, team=team)
        goal = make_goal(owner, cycle, f"Goal {i}", team_id=team.pk)
        bb = BackBrief.objects.for_org(owner.organization).get(goal=goal)
        if i % 2:
            submit(writer, bb)


@pytest.mark.parametrize("who", ["owner", "member"])
def test_query_counts_do_not_grow_with_back_briefs(given, cycle, login, who, django_assert_num_queries):
    actor = given.owner if who == "owner" else given.member
    client = login(actor)
    urls = [reverse("back_brief_list"), reverse("back_brief_list") + "?state=all", reverse("home")]
    urls.append(reverse("goal_detail", args=[given.goal.pk]))
    _grow(given.owner, cycle, given.team, 10)
    counts = {url: _count(client, url) for url in urls}
    _grow(given.owner, cycle, given.team, 100)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            client.get(url)
