"""Linting only the goals a page shows gives each of them exactly the findings of the whole cycle."""

from datetime import timedelta

import pytest
from django.utils import timezone

from charter.backbriefs.models import BackBrief
from charter.backbriefs.tests.factories import make_given, submit
from charter.goals import selectors as goal_selectors
from charter.goals.tests.factories import make_goal, make_key_result
from charter.lint import selectors
from charter.lint.services import lint_settings_update
from charter.organizations.tests.factories import make_team

pytestmark = pytest.mark.django_db


def _world(owner, cycle) -> list:
    """Goals that trip every goal rule: an overloaded owner, tasks, weights, orphans, a late back-brief."""
    team = make_team(owner, "Growth", parent=make_team(owner, "Product"))
    goals = [make_goal(owner, cycle, f"Goal {i}", team_id=team.pk if i % 2 else None) for i in range(7)]
    make_key_result(owner, goals[0], "Launch the app", kind="milestone")
    make_key_result(owner, goals[0], "Sign-ups to 10", start=5, target=10, weight=9)
    for i in range(6):
        make_key_result(owner, goals[1], f"Reach {i}")
    make_goal(owner, cycle, "No intent", purpose="", end_state="")
    given = make_given(owner, cycle)
    submit(given.member, given.back_brief)
    BackBrief.objects.for_org(owner.organization).filter(pk=given.back_brief.pk).update(
        submitted_at=timezone.now() - timedelta(days=10)
    )
    return goal_selectors.goal_list(actor=owner, cycle_id=cycle.pk)


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node["children"])


def _as_dicts(found: dict) -> dict:
    return {goal_id: [f.as_dict() for f in findings] for goal_id, findings in found.items()}


@pytest.mark.parametrize("disabled", [[], ["CH009", "CH104"]])
def test_some_goals_or_one_goal_get_the_findings_of_the_whole_cycle(
    owner, cycle, disabled, django_assert_num_queries
):
    goals = list(_world(owner, cycle))
    lint_settings_update(actor=owner, disabled=disabled, thresholds={"CH009": {"max_goals_per_owner": 4}})
    whole = _as_dicts(selectors.findings_of_goals(actor=owner, cycle_id=cycle.pk))
    codes = {f["code"] for findings in whole.values() for f in findings}
    assert {"CH001", "CH003", "CH004", "CH005", "CH006", "CH010"} <= codes
    assert ({"CH009", "CH104"} <= codes) is not bool(disabled)
    for half in (goals[::2], goals[1::2]):
        some = selectors.findings_of_goals(actor=owner, cycle_id=cycle.pk, goal_ids=[g.pk for g in half])
        assert _as_dicts(some) == {g.pk: whole[g.pk] for g in half if g.pk in whole}
    # The strategy map's rows, linted as they are (settings, counts, back-briefs in one query).
    rows = [node["goal"] for node in _walk(goal_selectors.map_tree(actor=owner, cycle_id=cycle.pk))]
    assert selectors.lintable_rows(rows) and len(rows) == len(goals)
    for half in (rows[::2], rows[1::2]):
        with django_assert_num_queries(1):
            some = selectors.findings_of_rows(actor=owner, cycle_id=cycle.pk, rows=half)
        assert _as_dicts(some) == {g["id"]: whole[g["id"]] for g in half if g["id"] in whole}
    for goal in goals:
        one = selectors.findings_of_goal(
            actor=owner, goal=goal_selectors.goal_get(actor=owner, goal_id=goal.pk)
        )
        assert [f.as_dict() for f in one] == whole.get(goal.pk, [])


def test_another_organizations_goals_are_never_linted(owner, other_owner, cycle):
    goal = make_goal(owner, cycle, "Nothing measured")
    assert selectors.findings_of_goals(actor=other_owner, cycle_id=cycle.pk, goal_ids=[goal.pk]) == {}
