"""The goal list page: a page of GOAL_LIST_PAGE_SIZE goals at a time with a pager that keeps the filters,
the status filter computed by the database (the same as `Goal.status`), a bounded person filter, and the
same number of queries whatever the number of goals."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from charter.goals import rules
from charter.goals.models import Goal
from charter.goals.selectors import GOAL_LIST_PAGE_SIZE
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.models import Membership, User
from charter.organizations.selectors import PERSON_PICKER_SHOWN
from charter.organizations.tests.factories import make_person, make_team

pytestmark = pytest.mark.django_db

TITLE = re.compile(r'<a href="/goals/(\d+)/" class="fw-bold">')


def _shown(html: str) -> list[int]:
    return [int(pk) for pk in TITLE.findall(html)]


def _goals(owner, cycle, n: int, prefix: str = "Goal", **kwargs) -> list[Goal]:
    for i in range(n):
        make_goal(owner, cycle, f"{prefix} {i:03}", **kwargs)
    return list(Goal.objects.for_org(owner.organization).filter(cycle=cycle).order_by("title", "id"))


def _spread_statuses(owner, goals: list[Goal]) -> None:
    """Give the goals every status: progress, confidence and check-ins varied."""
    now = timezone.now()
    for i, goal in enumerate(goals):
        Goal.objects.for_org(owner.organization).filter(pk=goal.pk).update(
            progress=[0.0, 0.2, 0.45, 0.9, 1.2, -0.1][i % 6],
            confidence=[8, 3, 6, 1, 9][i % 5],
            last_check_in_at=[None, now, now - timedelta(days=40)][i % 3],
            created_at=now - timedelta(days=[1, 20, 90][i % 3]),
        )


def test_a_page_shows_fifty_goals_and_the_range_with_links_keeping_the_filters(owner, cycle, login):
    team = make_team(owner, "Growth")
    goals = _goals(owner, cycle, 2 * GOAL_LIST_PAGE_SIZE + 7, team_id=team.pk)
    client = login(owner)
    params = {"cycle": cycle.pk, "team": team.pk, "owner": owner.user_id}
    html = client.get(reverse("goal_list"), params).content.decode()
    assert _shown(html) == [g.pk for g in goals[:GOAL_LIST_PAGE_SIZE]]
    assert "Goals 1–50 of 107" in html and "Page 1 of 3" in html
    kept = f"cycle={cycle.pk}&amp;team={team.pk}&amp;owner={owner.user_id}"
    assert f'href="?{kept}&amp;page=2" rel="next"' in html and f'href="?{kept}&amp;page=3"' in html
    html = client.get(reverse("goal_list"), {**params, "page": 2}).content.decode()
    assert _shown(html) == [g.pk for g in goals[50:100]]
    assert f'href="?{kept}&amp;page=1" rel="prev"' in html and "Goals 51–100 of 107" in html
    html = client.get(reverse("goal_list"), {**params, "page": 3}).content.decode()
    assert _shown(html) == [g.pk for g in goals[100:]] and "Goals 101–107 of 107" in html


@pytest.mark.parametrize("page", ["99", "1000000000000000000000", "3"])
def test_a_page_past_the_end_shows_the_last_page(owner, cycle, login, page):
    goals = _goals(owner, cycle, GOAL_LIST_PAGE_SIZE + 3)
    html = login(owner).get(reverse("goal_list"), {"page": page}).content.decode()
    assert _shown(html) == [g.pk for g in goals[50:]] and "Page 2 of 2" in html


@pytest.mark.parametrize("page", ["", "abc", "-2", "0", "1.5", "²"])
def test_a_page_that_is_not_a_number_shows_the_first(owner, cycle, login, page):
    goals = _goals(owner, cycle, GOAL_LIST_PAGE_SIZE + 3)
    response = login(owner).get(reverse("goal_list"), {"page": page})
    assert response.status_code == 200
    assert _shown(response.content.decode()) == [g.pk for g in goals[:50]]


def test_one_page_has_no_pager_and_no_goals_say_so(owner, cycle, login):
    client = login(owner)
    html = client.get(reverse("goal_list")).content.decode()
    assert "No goals here" in html and "pagination" not in html
    _goals(owner, cycle, 3)
    html = client.get(reverse("goal_list")).content.decode()
    assert "Goals 1–3 of 3" in html and "pagination" not in html


def test_the_key_result_count_is_each_goals(owner, cycle, login):
    goals = _goals(owner, cycle, 3)
    for _ in range(2):
        make_key_result(owner, goals[1])
    html = login(owner).get(reverse("goal_list")).content.decode()
    counts = re.findall(r'<td class="text-end">(\d+)</td>', html)
    assert counts == ["0", "2", "0"]


@pytest.mark.parametrize("status", [rules.ON_TRACK, rules.AT_RISK, rules.OFF_TRACK, rules.STALE])
def test_the_status_filter_in_the_database_is_goal_status(owner, cycle, login, status):
    """One cycle and all cycles (a past and a future one too): the same goals as `Goal.status` picks."""
    past = make_cycle(owner, "Past", days_before=200, days_after=-100, state="closed")
    future = make_cycle(owner, "Next", days_before=-10, days_after=100, state="planning")
    for c, prefix in ((cycle, "Now"), (past, "Past"), (future, "Next")):
        _spread_statuses(owner, _goals(owner, c, 30, prefix=prefix))
    every = list(Goal.objects.for_org(owner.organization).select_related("cycle").order_by("title", "id"))
    client = login(owner)
    html = client.get(reverse("goal_list"), {"cycle": cycle.pk, "status": status}).content.decode()
    assert _shown(html) == [g.pk for g in every if g.cycle_id == cycle.pk and g.status == status]
    html = client.get(reverse("goal_list"), {"cycle": "all", "status": status}).content.decode()
    expected = [g.pk for g in every if g.status == status]
    assert expected and _shown(html) == expected[:GOAL_LIST_PAGE_SIZE]
    assert f"of {len(expected)}</p>" in html


def test_the_queries_stay_the_same_whatever_the_goals_and_people(
    owner, cycle, login, django_assert_num_queries
):
    client = login(owner)
    _goals(owner, cycle, 3)
    urls = [
        f"{reverse('goal_list')}?cycle={cycle.pk}",
        f"{reverse('goal_list')}?cycle=all&status=at_risk",
        f"{reverse('goal_list')}?cycle=all&page=2",
        f"{reverse('goal_list')}?status=on_track&owner={owner.user_id}&owner_q=e&team=",
    ]
    client.get(urls[0])  # the first request of a session writes it
    # The session, the user with the actor; the cycles; the team filter; the person filter; the page's
    # goals with the total and their key results counted.
    with django_assert_num_queries(6):
        assert client.get(urls[0]).status_code == 200
    _spread_statuses(owner, _goals(owner, cycle, 3 * GOAL_LIST_PAGE_SIZE, prefix="More"))
    users = User.objects.bulk_create(User(email=f"p{i}@example.org", full_name=f"P {i}") for i in range(100))
    Membership.objects.bulk_create(Membership(organization=owner.organization, user=u) for u in users)
    for url in urls:
        with django_assert_num_queries(6):
            assert client.get(url).status_code == 200
    # A page past the end counts, then reads the last page.
    with django_assert_num_queries(8):
        assert client.get(f"{reverse('goal_list')}?page=99").status_code == 200


def test_the_owner_filter_is_a_bounded_person_picker(owner, other_owner, cycle, login):
    users = User.objects.bulk_create(
        User(email=f"crowd{i:03}@example.org", full_name=f"Crowd {i:03}") for i in range(150)
    )
    Membership.objects.bulk_create(Membership(organization=owner.organization, user=u) for u in users)
    stranger = make_person(other_owner, full_name="Stranger Person")
    chosen = users[-1]
    make_goal(owner, cycle, "Chosen's goal", owner_id=chosen.pk)
    client = login(owner)
    html = client.get(reverse("goal_list"), {"owner": chosen.pk}).content.decode()
    select = re.search(r'<select[^>]* id="filter-owner"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert select.count("<option") <= PERSON_PICKER_SHOWN + 2
    assert f'<option value="{chosen.pk}" selected>Crowd 149</option>' in select
    assert 'name="owner_q"' in html and 'hx-get="/people/options/"' in html
    # The row partial (Jinja2, markupsafe) writes a quote as &#39;.
    assert "Chosen&#39;s goal" in html and "Stranger Person" not in html
    # Without scripts, submitting the search narrows the options.
    html = client.get(reverse("goal_list"), {"owner_q": "Crowd 01"}).content.decode()
    select = re.search(r'<select[^>]* id="filter-owner"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert select.count("<option") == 1 + 10 + 0 and 'value="Crowd 01"' in html
    # Another organization's person as the owner filter: nobody's goals, the stranger never listed.
    html = client.get(reverse("goal_list"), {"owner": stranger.user_id}).content.decode()
    assert "No goals here" in html and "Stranger Person" not in html
