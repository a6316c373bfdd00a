"""Indicators and profile on data built through the services, with known answers; constant queries."""

import pytest

from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_goal, make_key_result
from charter.insights import selectors
from charter.organizations.tests.factories import make_team

pytestmark = pytest.mark.django_db


def _build(owner, cycle, n):
    team = make_team(owner, "Platform")
    strategic = make_goal(owner, cycle, "Strategic")
    for i in range(n):
        goal = make_goal(owner, cycle, f"G{i}", team_id=team.pk, parent_id=strategic.pk if i % 2 else None)
        kr = make_key_result(owner, goal)
        if i % 2:
            check_in_record(actor=owner, key_result_id=kr.pk, value=50, confidence=7)
    return team


def test_org_insights(owner, cycle):
    _build(owner, cycle, 4)
    result = selectors.insights_for(actor=owner, cycle_id=cycle.pk)
    assert result.figure("check_in_participation").value == 50.0  # 2 of 4 key results this week
    assert result.figure("attainment_rate").value is None
    assert result.figure("status_distribution").parts
    # 5 goals: strategic + 2 aligned through parents (top-level team goals count as strategic too)
    assert result.figure("focus").value is not None
    assert result.figure("satisfaction").value is None
    assert result.figure("decision_making").value is None


@pytest.mark.parametrize("n", [10, 100])
def test_constant_queries(owner, cycle, n, django_assert_max_num_queries):
    team = _build(owner, cycle, n)
    with django_assert_max_num_queries(20):
        selectors.insights_for(actor=owner, cycle_id=cycle.pk, team_id=team.pk)
