"""The strategy map of a large cycle: an outline of the top levels, the rest one team's map away."""

import pytest
from django.urls import reverse

from charter.goals import rows, selectors, trees
from charter.goals.models import Goal, KeyResult
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.tests.factories import make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_levels(owner, cycle):
    """Organization goal → department goal → two team goals → one goal below one of them."""
    department = make_team(owner, "Care")
    team = make_team(owner, "Clinics", parent=department)
    top = make_goal(owner, cycle, "Patients seen within a day")
    middle = make_goal(owner, cycle, "Care answers faster", team_id=department.pk, parent_id=top.pk)
    low_a = make_goal(owner, cycle, "Clinics open on Saturdays", team_id=team.pk, parent_id=middle.pk)
    low_b = make_goal(owner, cycle, "Clinics book online", team_id=team.pk, parent_id=middle.pk)
    lowest = make_goal(owner, cycle, "Booking page in three steps", team_id=team.pk, parent_id=low_b.pk)
    make_key_result(owner, middle, "Median wait in hours", kind="decrease", start=30, target=20)
    return {"department": department, "top": top, "middle": middle, "low": [low_a, low_b, lowest]}


def test_small_cycle_map_shows_every_goal(owner, cycle, three_levels):
    outline = selectors.map_outline(actor=owner, cycle_id=cycle.pk)
    assert outline["outline"] is False and outline["total"] == 5
    assert outline["tree"] == selectors.map_tree(actor=owner, cycle_id=cycle.pk)


def test_large_cycle_map_shows_two_levels_and_counts_the_rest(owner, cycle, three_levels, monkeypatch):
    monkeypatch.setattr(trees, "MAP_OUTLINE_ABOVE", 4)
    outline = selectors.map_outline(actor=owner, cycle_id=cycle.pk)
    assert outline["outline"] is True and outline["total"] == 5
    [root] = outline["tree"]
    assert root["goal"]["id"] == three_levels["top"].pk and root["goal"]["hidden"] == 0
    [middle] = root["children"]
    assert middle["goal"]["id"] == three_levels["middle"].pk
    assert middle["children"] == [] and middle["goal"]["hidden"] == 3
    assert [kr["title"] for kr in middle["goal"]["key_results"]] == ["Median wait in hours"]


def test_large_cycle_page_links_to_the_team_map_which_shows_everything(
    owner, cycle, login, three_levels, monkeypatch
):
    monkeypatch.setattr(trees, "MAP_OUTLINE_ABOVE", 4)
    client = login(owner)
    html = client.get(reverse("strategy_map")).content.decode()
    assert "has 5 goals" in html and "3 goals below" in html
    team_url = f"{reverse('strategy_map')}?cycle={cycle.pk}&amp;team={three_levels['department'].pk}"
    assert team_url in html
    assert "Clinics open on Saturdays" not in html
    team_html = client.get(reverse("strategy_map"), {"team": three_levels["department"].pk}).content.decode()
    assert "has 5 goals" not in team_html
    for goal in three_levels["low"]:
        assert goal.title in team_html


def test_a_teams_map_keeps_the_whole_cycles_walk_order_of_its_subtrees(owner, cycle):
    """The team's goals sit under parents of other teams: its roots come in the order a depth-first walk
    of the whole cycle meets them (parents' titles first), not in their own titles' order."""
    squad, other = make_team(owner, "Squad"), make_team(owner, "Other")
    a_top, b_top = make_goal(owner, cycle, "A first"), make_goal(owner, cycle, "B second")
    b_mid = make_goal(owner, cycle, "A under B", team_id=other.pk, parent_id=b_top.pk)
    found = [
        make_goal(owner, cycle, "Z under A", team_id=squad.pk, parent_id=a_top.pk),
        make_goal(owner, cycle, "M under B's child", team_id=squad.pk, parent_id=b_mid.pk),
        make_goal(owner, cycle, "C under B", team_id=squad.pk, parent_id=b_top.pk),
        make_goal(owner, cycle, "0 alone", team_id=squad.pk),
    ]

    def walk(nodes):
        for node in nodes:
            yield node["goal"]["id"]
            yield from walk(node["children"])

    whole = list(walk(selectors.map_tree(actor=owner, cycle_id=cycle.pk)))
    roots = [n["goal"]["id"] for n in selectors.map_tree(actor=owner, cycle_id=cycle.pk, team_id=squad.pk)]
    assert roots == sorted((g.pk for g in found), key=whole.index)
    assert roots == [found[3].pk, found[0].pk, found[1].pk, found[2].pk]


def test_the_maps_plain_rows_are_what_values_reads(owner, cycle, three_levels):
    """The map and the alignment tree read their rows in plain SQL (`core.rows.plain_select`): the same
    values, types and order as `.values()` of the same fields, for the whole cycle and for some goals."""
    org = owner.organization
    goals = Goal.objects.for_org(org).filter(cycle_id=cycle.pk).order_by("title", "id")
    krs = KeyResult.objects.for_org(org).filter(goal__cycle_id=cycle.pk).order_by("position", "id")
    some = [g.pk for g in three_levels["low"]]
    middle = [three_levels["middle"].pk]
    cases = [
        (fields, ids, query.filter(**({} if ids is None else {key: ids})).values(*fields))
        for fields, query, key in [
            (trees.MAP_GOAL_FIELDS, goals, "pk__in"),
            (trees.API_GOAL_FIELDS, goals, "pk__in"),
            (trees.MAP_KR_FIELDS, krs, "goal_id__in"),
            (rows.KR_OUT_FIELDS, krs, "goal_id__in"),
        ]
        for ids in (None, some if key == "pk__in" else middle)
    ]
    for fields, ids, expected in cases:
        rows_read = trees._rows(owner, fields, cycle.pk, ids)
        assert rows_read == list(expected) and rows_read
        assert [{k: type(v) for k, v in r.items()} for r in rows_read] == [
            {k: type(v) for k, v in r.items()} for r in expected
        ]


def test_a_teams_subtree_stays_in_its_cycle(owner, cycle):
    """Below a team's goal, a goal of another cycle is not on this cycle's map, nor is what sits under it;
    a team's goal whose parent lies in another cycle is a root."""
    squad = make_team(owner, "Squad")
    later = make_cycle(owner, "2027 Q1")
    top = make_goal(owner, cycle, "Squad top", team_id=squad.pk)
    elsewhere = make_goal(owner, later, "Next cycle's child", parent_id=top.pk)
    make_goal(owner, cycle, "Under the other cycle", parent_id=elsewhere.pk)
    below = make_goal(owner, cycle, "Below top", parent_id=top.pk)
    adopted = make_goal(owner, cycle, "Squad under next cycle", team_id=squad.pk, parent_id=elsewhere.pk)

    tree = selectors.map_tree(actor=owner, cycle_id=cycle.pk, team_id=squad.pk)
    assert [(n["goal"]["id"], [c["goal"]["id"] for c in n["children"]]) for n in tree] == [
        (top.pk, [below.pk]),
        (adopted.pk, []),
    ]
    api = selectors.alignment_tree(actor=owner, cycle_id=cycle.pk, team_id=squad.pk)
    assert [n["goal"]["id"] for n in api] == [top.pk, adopted.pk]
