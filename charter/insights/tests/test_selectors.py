"""Indicators and profile on data built through the services, with known answers; constant queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from charter.goals.models import KeyResult
from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.insights import inputs, rules, selectors
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
    with django_assert_max_num_queries(19):  # one seals the closed pulse rounds, one reads key results
        selectors.insights_for(actor=owner, cycle_id=cycle.pk, team_id=team.pk)
    with django_assert_max_num_queries(3):  # cycle, team, the stored figures
        selectors.insights_for(actor=owner, cycle_id=cycle.pk, team_id=team.pk)


def test_check_in_weeks_counted_in_sql_follow_the_rule(owner):
    """Key results created before and during the cycle, check-ins before it, twice in a week, on its first
    and last days: the SQL count equals `rules.check_in_participation` on the same days."""
    cycle = make_cycle(owner, "Long", days_before=40, days_after=10)
    goal = make_goal(owner, cycle, "G")
    now, today = timezone.now(), timezone.localdate()
    plans = {60: [50, 40, 39, 38, 20, 19, 3, 0], 15: [30, 16, 14, 8, 1], 0: [], 25: [24, 24, 10]}
    raw = []
    for created_ago, checks in plans.items():
        kr = make_key_result(owner, goal)
        created = now - timedelta(days=created_ago)
        KeyResult.objects.for_org(owner.organization).filter(pk=kr.pk).update(created_at=created)
        for ago in checks:
            when = now - timedelta(days=ago)
            check_in_record(actor=owner, key_result_id=kr.pk, value=10, confidence=5, checked_at=when)
        days = [timezone.localdate(now - timedelta(days=ago)) for ago in checks]
        raw.append((timezone.localdate(created), days))
    scope = inputs.make_scope(owner, cycle, None)
    by_rule = rules.check_in_participation(raw, cycle.starts_on, today)
    assert by_rule.value not in (None, 0.0, 100.0)
    assert rules.participation(*inputs.check_in_weeks(scope, today)) == by_rule
