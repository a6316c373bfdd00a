"""NaN and infinity never reach a key result or a check-in: they would make every roll-up above them
NaN (and SQLite stores NaN as NULL). Each interface parses numbers its own way, so the services refuse."""

import math

import pytest

from charter.core.errors import ValidationError
from charter.goals import services
from charter.goals.models import CheckIn, KeyResult
from charter.goals.tests.factories import make_goal, make_key_result

NOT_FINITE = [math.nan, math.inf, -math.inf]


@pytest.mark.parametrize("value", NOT_FINITE)
def test_a_check_in_must_be_finite(owner, cycle, value):
    kr = make_key_result(owner, make_goal(owner, cycle))
    with pytest.raises(ValidationError) as refused:
        services.check_in_record(actor=owner, key_result_id=kr.pk, value=value, confidence=5)
    assert set(refused.value.errors) == {"value"}
    assert not CheckIn.objects.for_org(owner.organization).exists()


@pytest.mark.parametrize("field", ["start", "target", "current"])
@pytest.mark.parametrize("value", NOT_FINITE)
def test_a_key_result_must_be_finite(owner, cycle, field, value):
    goal = make_goal(owner, cycle)
    numbers = {"start": 0.0, "target": 10.0, field: value}
    with pytest.raises(ValidationError) as refused:
        services.key_result_create(actor=owner, goal_id=goal.pk, title="Revenue", **numbers)
    assert set(refused.value.errors) == {field}
    assert not KeyResult.objects.for_org(owner.organization).exists()


def test_a_range_bound_must_be_finite_on_update(owner, cycle):
    kr = make_key_result(owner, make_goal(owner, cycle), kind="range", start=0, target=5, target_max=8)
    with pytest.raises(ValidationError) as refused:
        services.key_result_update(actor=owner, key_result_id=kr.pk, target_max=math.nan)
    assert set(refused.value.errors) == {"target_max"}
