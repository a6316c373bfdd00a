"""Home page, team page, first-run guide and help."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.goals.selectors import cycle_list, mission_and_cycles
from charter.goals.services import check_in_record
from charter.goals.tests.factories import drop_cycles, make_cycle, make_goal, make_key_result
from charter.mission.selectors import mission_get
from charter.mission.services import mission_update
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team

pytestmark = pytest.mark.django_db


def _mission(owner):
    values = [{"name": "Candour", "meaning": "We say what we see."}]
    mission_update(actor=owner, statement="Help teams lead by mission.", vision="", values=values, reason="r")


def _chain(owner, cycle, n=1):
    """A strategic goal, a team goal under it, and n goals of the person under that."""
    top_team = make_team(owner, "Company")
    team = make_team(owner, "Product", parent=top_team)
    person = make_person(owner, Role.MEMBER, team=team)
    strategic = make_goal(owner, cycle, "Customers stay", team_id=top_team.pk)
    middle = make_goal(owner, cycle, "Onboarding in a day", team_id=team.pk, parent_id=strategic.pk)
    links = {"team_id": team.pk, "parent_id": middle.pk, "owner_id": person.user.pk}
    mine = [make_goal(owner, cycle, f"Self-serve set-up {i}", **links) for i in range(n)]
    return person, strategic, middle, mine


def test_home_shows_the_contribution_chain_up_to_the_mission(client, owner, cycle, login):
    _mission(owner)
    person, strategic, middle, mine = _chain(owner, cycle)
    login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    chains = response.context["chains"]
    # The person's team owns the middle goal too, so it is theirs as well.
    assert [c["goal"]["id"] for c in chains] == [g.pk for g in (middle, *mine)]
    assert [g["id"] for g in chains[1]["ancestors"]] == [middle.pk, strategic.pk]
    assert [g["id"] for g in chains[0]["ancestors"]] == [strategic.pk]
    html = response.content.decode()
    chain_html = html[html.index('aria-label="What Self-serve set-up 0 contributes to"') :]
    titles = ("Self-serve set-up 0", "Onboarding in a day", "Customers stay")
    positions = [chain_html.index(t) for t in titles]
    assert positions == sorted(positions)
    assert "serves the mission" in chain_html and "Help teams lead by mission." in chain_html


def test_home_my_goals_are_the_goals_the_check_in_page_asks_her_about(client, owner, cycle, login):
    """ "My goals": accountable for it, or owning one of its key results (the check-in page's rows come
    from these); a goal of her team that is neither is under "My teams' goals", not "My goals"."""
    person, strategic, middle, (accountable,) = _chain(owner, cycle)
    kr_elsewhere = make_key_result(owner, strategic, "Churn under 3%", owner_id=person.user.pk)
    make_key_result(owner, middle, "Set-up calls", owner_id=owner.user_id)  # her team's, not hers
    unowned = make_key_result(owner, accountable, "Set-ups a week")  # of her goal: hers to check in
    client = login(person)
    context = client.get(reverse("home")).context
    assert [g["id"] for g in context["my_goals"]] == [strategic.pk, accountable.pk]
    assert [g["id"] for g in context["team_goals"]] == [middle.pk]
    html = client.get(reverse("home")).content.decode()
    assert "My teams' goals" in html and "your key results" in html
    rows = client.get(reverse("check_in_week")).context["rows"]
    assert {r["kr"].pk for r in rows} == {kr_elsewhere.pk, unowned.pk}
    assert {r["kr"].goal_id for r in rows} == {g["id"] for g in context["my_goals"]}


def test_home_query_count_does_not_grow_with_goals(client, owner, cycle, login):
    _mission(owner)
    person, _, _, mine = _chain(owner, cycle, n=2)
    for goal in mine:
        make_key_result(owner, goal, owner_id=person.user.pk)
    login(person)
    client.get(reverse("home"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    team = mine[0].team
    for i in range(8):
        mine_id = person.user.pk
        goal = make_goal(owner, cycle, f"More {i}", team_id=team.pk, parent_id=mine[0].pk, owner_id=mine_id)
        make_key_result(owner, goal, owner_id=person.user.pk)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("home"))
    assert len(response.context["chains"]) == 11
    # 10: the goals above hers need no status and are not urgent (no check-in yet), so one query climbs
    # to them (`_home_goal_rows`'s second).
    assert len(many) == len(few) == 10, [q["sql"] for q in many.captured_queries]


def test_home_lists_key_results_waiting_for_my_check_in(client, owner, cycle, login):
    person, _, _, mine = _chain(owner, cycle)
    waiting = make_key_result(owner, mine[0], "Set-ups without a call", owner_id=person.user.pk)
    done = make_key_result(owner, mine[0], "Time to first value", owner_id=person.user.pk)
    check_in_record(actor=person, key_result_id=done.pk, value=10, confidence=7)
    login(person)
    response = client.get(reverse("home"))
    assert response.context["waiting"] == [waiting]
    assert "Check in now" in response.content.decode()


def test_home_lists_goals_needing_attention(client, owner, cycle, login):
    goal = make_goal(owner, cycle, "Shaky goal")
    kr = make_key_result(owner, goal)
    check_in_record(actor=owner, key_result_id=kr.pk, value=50, confidence=2)
    login(owner)
    response = client.get(reverse("home"))
    assert [g["title"] for g in response.context["attention"]] == ["Shaky goal"]


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_mission_and_cycles_in_one_query_as_their_selectors_read_them(owner, other_owner):
    """With and without a mission, with no, one and several cycles; the other organization's never."""
    drop_cycles(owner)
    _mission(other_owner)
    make_cycle(other_owner, "Theirs")
    for step in range(4):
        with CaptureQueriesContext(connection) as queries:
            mission, cycles = mission_and_cycles(actor=owner)
        assert len(queries) == 1
        expected = mission_get(actor=owner)
        assert (mission.pk, _fields(mission) if mission.pk else None) == (
            expected.pk,
            _fields(expected) if expected.pk else None,
        )
        assert mission.is_defined == expected.is_defined and mission.values == expected.values
        assert [_fields(c) for c in cycles] == [_fields(c) for c in cycle_list(actor=owner)]
        assert len(cycles) == step
        if step == 1:
            _mission(owner)
        make_cycle(owner, f"Mine {step}", days_before=30 * step, days_after=30 - 10 * step)


def test_home_without_a_mission_leads_the_owner_to_the_guide(client, owner, login):
    login(owner)
    html = client.get(reverse("home")).content.decode()
    assert reverse("guide") in html and "Start with the mission" in html


def test_guide_shows_each_step_done_or_not_from_real_data(client, owner, cycle, login):
    """Mission, goals with intent, key results, the team, a check-in: each done as it happens, each with a
    link to where it is done."""
    login(owner)

    def done():
        response = client.get(reverse("guide"))
        return [s["done"] for s in response.context["steps"]], response

    steps, response = done()
    assert steps == [False] * 5
    assert [s["key"] for s in response.context["steps"]] == [
        "mission",
        "goal",
        "key_result",
        "team",
        "check_in",
    ]
    assert "0 of 5 done" in response.content.decode()
    _mission(owner)
    assert done()[0] == [True, False, False, False, False]
    make_goal(owner, cycle, "No intent yet", purpose="", end_state="")
    assert done()[0] == [True, False, False, False, False]  # a goal without intent does not count
    goal = make_goal(owner, cycle, "Customers stay")
    steps, response = done()
    assert steps == [True, True, False, False, False]
    html = response.content.decode()
    assert (
        reverse("key_result_create", args=[goal.pk]) in html and "Add key results to “Customers stay”" in html
    )
    kr = make_key_result(owner, goal)
    assert done()[0] == [True, True, True, False, False]
    make_person(owner)
    assert done()[0] == [True, True, True, True, False]
    check_in_record(actor=owner, key_result_id=kr.pk, value=5, confidence=8)
    steps, response = done()
    assert steps == [True] * 5 and "5 of 5 done" in response.content.decode()
    html = response.content.decode()
    for name in ("mission_edit", "goal_create", "check_in_week"):
        assert f'href="{reverse(name)}"' in html


def test_help_page_lists_every_concept(client, owner, login):
    login(owner)
    html = client.get(reverse("help")).content.decode()
    anchors = ("help-intent", "help-alignment", "help-key-result-kinds", "help-confidence")
    for anchor in (*anchors, "help-back-brief", "help-delegation-levels"):
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
    assert html.count("Good</div>") == 5 and html.count("Bad</div>") == 5
    assert "Cut the set-up to three steps" in html and html.count("level-badge level-") == 7


def test_team_page_shows_members_children_and_goals(client, owner, cycle, login):
    parent = make_team(owner, "Company")
    team = make_team(owner, "Product", parent=parent)
    make_team(owner, "Design", parent=team)
    lead = make_person(owner, team=team, is_lead=True, full_name="Lena Lead")
    make_goal(owner, cycle, "Onboarding in a day", team_id=team.pk)
    login(lead)
    html = client.get(reverse("team_detail", args=[team.pk])).content.decode()
    assert "Lena Lead" in html and "Lead</span>" in html
    assert "Design" in html and "Onboarding in a day" in html


def test_another_organizations_team_page_is_404(client, owner, other_owner, login):
    foreign = make_team(other_owner)
    login(owner)
    assert client.get(reverse("team_detail", args=[foreign.pk])).status_code == 404


def test_home_shows_the_most_urgent_goals_worst_first_and_counts_them_all(client, owner, cycle, login):
    """Off track before at risk before stale, then by title; the count covers every such goal of the
    cycle; the person's own goals show whatever their status, with the chain above them."""
    from django.utils import timezone

    from charter.goals.models import Goal

    person, strategic, middle, (mine,) = _chain(owner, cycle)
    in_org = Goal.objects.for_org(owner.organization)
    checked = timezone.now() - timedelta(days=1)
    in_org.update(progress=1.0, confidence=9, last_check_in_at=checked)  # all on track
    stale = timezone.now() - timedelta(days=owner.organization.stale_days + 1)
    for i in range(12):
        goal = make_goal(owner, cycle, f"Z off {i:02d}")
        in_org.filter(pk=goal.pk).update(progress=0.0, confidence=1, last_check_in_at=checked)
    make_goal(owner, cycle, "C not checked in yet")  # no status yet: needs no attention
    for title, fields in (
        ("A at risk", {"progress": 0.9, "confidence": 5, "last_check_in_at": checked}),
        ("B stale", {"progress": 0.9, "confidence": 9, "last_check_in_at": stale, "created_at": stale}),
    ):
        in_org.filter(pk=make_goal(owner, cycle, title).pk).update(**fields)
    earlier = make_cycle(owner, "Earlier", days_before=200, days_after=-100)
    above = make_goal(owner, earlier, "Last year's aim")
    in_org.filter(pk=strategic.pk).update(parent=above)

    login(person)
    context = client.get(reverse("home")).context

    assert context["attention_count"] == 14
    assert [g["title"] for g in context["attention"]] == [f"Z off {i:02d}" for i in range(10)]
    assert [g["title"] for g in context["my_goals"]] == [mine.title]  # on track, shown
    assert [g["title"] for g in context["team_goals"]] == [middle.title]  # her team's, not hers
    (chain,) = [c for c in context["chains"] if c["goal"]["id"] == mine.pk]
    assert [g["title"] for g in chain["ancestors"]] == [middle.title, strategic.title, "Last year's aim"]

    Goal.objects.for_org(owner.organization).filter(title__startswith="Z off").delete()
    context = client.get(reverse("home")).context
    assert [(g["title"], g["status"]) for g in context["attention"]] == [
        ("A at risk", "at_risk"),
        ("B stale", "stale"),
    ]
