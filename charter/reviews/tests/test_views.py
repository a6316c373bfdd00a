"""Review pages: the overview, a team's review with its forms, the lock, refusals, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.goals.services import cycle_update, goal_update
from charter.goals.tests.factories import make_goal, make_key_result
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team
from charter.reviews import selectors

pytestmark = pytest.mark.django_db


def _page(rv):
    return reverse("cycle_review", args=[rv.cycle.pk]) + f"?team={rv.team.pk}"


def test_the_team_page_shows_suggestions_and_forms(login, rv):
    html = login(rv.member).get(_page(rv)).content.decode()
    assert "Faster onboarding" in html and "Suggested from progress: <strong>0.8</strong>" in html
    assert "Save retrospective" in html and "Carry over to" in html


def test_grade_adapt_and_retrospective_through_the_pages(login, rv):
    client = login(rv.member)
    response = client.post(reverse("goal_grade", args=[rv.goal.pk]), {f"g{rv.goal.pk}-grade": "0.7"})
    assert response.status_code == 302
    prefix = f"adapt-{rv.other.pk}-"
    response = client.post(
        reverse("goal_adapt", args=[rv.other.pk]),
        {prefix + "adaptation": "drop", prefix + "reason": "Moved."},
    )
    assert response.status_code == 302
    retro = {"what_worked": "Pairing", "what_did_not": "Scope", "what_we_change": "Smaller"}
    response = client.post(reverse("review_retrospective", args=[rv.cycle.pk, rv.team.pk]), retro)
    assert response.status_code == 302
    overview = client.get(reverse("review_home") + f"?cycle={rv.cycle.pk}").content.decode()
    assert "1 of 2" in overview and "written" in overview
    review = selectors.reviews_for_cycle(organization=rv.member.organization, cycle_id=rv.cycle.pk)[0]
    assert client.get(reverse("review_detail", args=[review.pk])).status_code == 200


def test_bad_input_is_shown_beside_the_field_and_changes_nothing(login, rv):
    client = login(rv.member)
    response = client.post(reverse("goal_grade", args=[rv.goal.pk]), {f"g{rv.goal.pk}-grade": "3"})
    assert response.status_code == 422 and "The grade must be at most 1." in response.content.decode()
    prefix = f"adapt-{rv.goal.pk}-"
    response = client.post(reverse("goal_adapt", args=[rv.goal.pk]), {prefix + "adaptation": "drop"})
    assert response.status_code == 422 and "Say why" in response.content.decode()
    assert selectors.grades_for_cycle(organization=rv.member.organization, cycle_id=rv.cycle.pk) == []


def test_a_closed_cycle_refuses_writes_with_a_message(owner, login, rv):
    cycle_update(
        actor=owner,
        cycle_id=rv.cycle.pk,
        name=rv.cycle.name,
        starts_on=rv.cycle.starts_on,
        ends_on=rv.cycle.ends_on,
        state="closed",
    )
    client = login(rv.member)
    response = client.post(reverse("goal_grade", args=[rv.goal.pk]), {f"g{rv.goal.pk}-grade": "0.7"})
    assert response.status_code == 409 and "locked" in response.content.decode()
    response = client.post(
        reverse("review_retrospective", args=[rv.cycle.pk, rv.team.pk]), {"what_worked": "x"}
    )
    assert response.status_code == 409
    html = client.get(_page(rv)).content.decode()
    assert "locked" in html and "Save grade" not in html


def test_another_teams_member_gets_403_and_a_read_only_page(owner, login, rv):
    outsider = make_person(owner, Role.MEMBER, team=make_team(owner, "Sales"))
    client = login(outsider)
    response = client.post(reverse("goal_grade", args=[rv.goal.pk]), {f"g{rv.goal.pk}-grade": "0.7"})
    assert response.status_code == 403
    html = client.get(_page(rv)).content.decode()
    assert "only the team's members and leaders" in html and "Save grade" not in html


def test_the_revisions_panel_shows_who_why_and_a_word_diff(login, owner, rv):
    goal_update(actor=owner, goal_id=rv.goal.pk, purpose="Slow onboarding loses customers.", reason="Sharper")
    html = login(owner).get(reverse("goal_detail", args=[rv.goal.pk])).content.decode()
    assert "Revisions" in html and "Sharper" in html
    assert '<ins class="text-success" aria-label="added">' in html and "<del" in html


def test_query_counts_do_not_grow_with_goals(owner, login, rv):
    client = login(owner)
    urls = [
        _page(rv),
        reverse("review_home") + f"?cycle={rv.cycle.pk}",
        reverse("goal_detail", args=[rv.goal.pk]),
    ]
    counts = {}
    for size in (10, 100):
        while len(rv.cycle.goals.all()) < size:
            goal = make_goal(owner, rv.cycle, team_id=rv.team.pk)
            make_key_result(owner, goal)
        goal_update(actor=owner, goal_id=rv.goal.pk, title=f"Faster onboarding {size}", reason="grow")
        for url in urls:
            client.get(url)  # warm: one-time lookups (session, content types) are not what is measured
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.setdefault(url, []).append(len(ctx))
    assert all(a == b for a, b in counts.values()), counts
