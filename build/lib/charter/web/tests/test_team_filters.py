"""Every page with a team filter: its options stay bounded with thousands of teams, the chosen team stays
chosen, the search field appears only when needed; the strategy map's queries stay at eight."""

import re

import pytest
from django.urls import reverse

from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_goal, make_key_result
from charter.organizations.models import Team
from charter.organizations.selectors import TEAM_PICKER_SHOWN
from charter.organizations.tests.factories import make_team

pytestmark = pytest.mark.django_db

# The pages with a team filter, by the id of their <select>.
PAGES = {
    "strategy_map": "filter-team",
    "goal_list": "filter-team",
    "insights": "pick-team",
    "decision_log": "f-team",
    "search": "search-team",
}


def _select(html: str, select_id: str) -> str:
    found = re.search(rf'<select[^>]* id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert found, select_id
    return found.group(1)


def _add_teams(owner, n: int, prefix: str = "Squad") -> list[Team]:
    top = make_team(owner, f"{prefix} tribe")
    Team.objects.bulk_create(
        Team(organization=owner.organization, name=f"{prefix} {i:04}", parent=top) for i in range(n)
    )
    return list(Team.objects.for_org(owner.organization).filter(parent=top).order_by("name"))


def _grow(owner, cycle, team, n: int) -> None:
    for i in range(n):
        goal = make_goal(owner, cycle, f"Goal {i:03}", team_id=team.pk if i % 2 else None)
        kr = make_key_result(owner, goal, start=0, target=100)
        check_in_record(actor=owner, key_result_id=kr.pk, value=30, confidence=6)


def test_a_few_teams_are_all_listed_without_a_search_field(owner, cycle, login):
    teams = [make_team(owner, f"Team {i}") for i in range(3)]
    client = login(owner)
    for name, select_id in PAGES.items():
        html = client.get(reverse(name), {"team": teams[1].pk, "q": "goal"}).content.decode()
        options = _select(html, select_id)
        assert options.count("<option") == 1 + 3, name
        assert f'<option value="{teams[1].pk}" selected>' in options, name
        assert 'name="team_q"' not in html, name


def test_thousands_of_teams_give_a_bounded_filter_with_a_search_field(owner, cycle, login):
    squads = _add_teams(owner, 1500)
    chosen = squads[-1]
    client = login(owner)
    for name, select_id in PAGES.items():
        html = client.get(reverse(name), {"team": chosen.pk, "q": "goal"}).content.decode()
        options = _select(html, select_id)
        assert options.count("<option") <= TEAM_PICKER_SHOWN + 2, name  # "All teams", a note
        assert f'<option value="{chosen.pk}" selected>Squad tribe › Squad 1499</option>' in options, name
        assert 'name="team_q"' in html and f'hx-target="#{select_id}-options"' in html, name
        assert len(html) < 120_000, name
    # Without scripts, submitting the form with the search field narrows the list.
    html = client.get(reverse("strategy_map"), {"team_q": "Squad 07"}).content.decode()
    options = _select(html, "filter-team")
    # "All teams", Squad 0700 … 0759 (the other forty beyond the bound), the note that more match.
    assert options.count("<option") == 1 + TEAM_PICKER_SHOWN + 1
    assert ">Squad tribe › Squad 0700<" in options and "Squad 0760" not in options
    assert 'value="Squad 07"' in html


def test_the_strategy_map_reads_eight_queries_whatever_its_goals_and_teams(
    owner, cycle, login, django_assert_num_queries
):
    team = make_team(owner, "Growth", parent=make_team(owner, "Product"))
    _grow(owner, cycle, team, 6)
    client = login(owner)
    urls = [
        f"{reverse('strategy_map')}?cycle={cycle.pk}",
        f"{reverse('strategy_map')}?cycle={cycle.pk}&team={team.pk}",
    ]
    client.get(urls[0])  # the first request of a session writes it
    # The session, the user, the actor; the mission with the cycles; the team filter; the cycle's links;
    # the goals; their key results; lint's settings, owner counts and waiting back-briefs.
    for url in urls:
        with django_assert_num_queries(8):
            assert client.get(url).status_code == 200
    _grow(owner, cycle, team, 30)
    _add_teams(owner, 200)
    for url in urls:
        with django_assert_num_queries(8):
            html = client.get(url).content.decode()
        assert "Goal 029" in html
