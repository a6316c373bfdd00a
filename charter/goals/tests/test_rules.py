"""Progress and status rules, without a database; hypothesis where the input space is wide."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from charter.goals import rules

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
unit = st.floats(min_value=0, max_value=1, allow_nan=False)


@given(start=finite, target=finite)
def test_start_is_zero_and_target_is_one_for_increase_and_decrease(start, target):
    assume(abs(target - start) > 1e-6)
    kind = rules.INCREASE if target > start else rules.DECREASE
    assert rules.key_result_progress(kind, start, target, start) == pytest.approx(0.0)
    assert rules.key_result_progress(kind, start, target, target) == pytest.approx(1.0)


@given(start=finite, target=finite, a=finite, b=finite)
def test_progress_moves_with_better_values(start, target, a, b):
    """Higher is better for increase, lower is better for decrease."""
    assume(abs(target - start) > 1e-6)
    kind = rules.INCREASE if target > start else rules.DECREASE
    better, worse = (max(a, b), min(a, b)) if kind == rules.INCREASE else (min(a, b), max(a, b))
    assert (
        rules.key_result_progress(kind, start, target, better)
        >= rules.key_result_progress(kind, start, target, worse) - 1e-9
    )


def test_lower_is_better():
    # churn from 8% down to 3%: at 5.5% we are half way
    assert rules.key_result_progress(rules.DECREASE, 8, 3, 5.5) == pytest.approx(0.5)
    assert rules.key_result_progress(rules.DECREASE, 8, 3, 10) == pytest.approx(-0.4)
    assert rules.key_result_progress(rules.DECREASE, 8, 3, 2) == pytest.approx(1.2)  # beaten: above 100%


@given(start=finite, target=finite, current=finite)
def test_start_equal_to_target_is_all_or_nothing(start, target, current):
    for kind in (rules.INCREASE, rules.DECREASE):
        p = rules.key_result_progress(kind, start, start, current)
        assert p in (0.0, 1.0)
        reached = current >= start if kind == rules.INCREASE else current <= start
        assert p == (1.0 if reached else 0.0)


@given(low=finite, width=st.floats(min_value=0, max_value=1e5), start=finite, current=finite)
def test_range_is_one_inside_and_never_above_one(low, width, start, current):
    high = low + width
    p = rules.key_result_progress(rules.RANGE, start, low, current, high)
    assert p <= 1.0
    if low <= current <= high:
        assert p == 1.0


def test_range_counts_the_distance_closed():
    # response time 900 ms, to stay within 200-400 ms: at 650 ms half the distance is closed
    assert rules.key_result_progress(rules.RANGE, 900, 200, 650, 400) == pytest.approx(0.5)
    assert rules.key_result_progress(rules.RANGE, 100, 200, 150, 400) == pytest.approx(0.5)
    assert rules.key_result_progress(rules.RANGE, 300, 200, 300, 400) == 1.0
    assert rules.key_result_progress(rules.RANGE, 300, 200, 500, 400) == 0.0  # started inside, left it


def test_milestone_is_done_or_not():
    assert rules.key_result_progress(rules.MILESTONE, 0, 1, 0) == 0.0
    assert rules.key_result_progress(rules.MILESTONE, 0, 1, 1) == 1.0
    assert rules.key_result_progress(rules.MILESTONE, None, None, None) == 0.0


@given(
    st.lists(st.tuples(st.floats(-10, 10, allow_nan=False), st.floats(0, 10, allow_nan=False)), max_size=20)
)
def test_weighted_progress_is_clamped_mean(parts):
    result = rules.weighted_progress(parts)
    assert 0.0 <= result <= 1.0
    positive = [(p, w) for p, w in parts if w > 0]
    if not positive:
        assert result == 0.0
    else:
        expected = sum(rules.clamp(p) * w for p, w in positive) / sum(w for _, w in positive)
        assert result == pytest.approx(expected)


def test_weights_matter():
    assert rules.weighted_progress([(1.0, 3), (0.0, 1)]) == pytest.approx(0.75)
    assert rules.weighted_progress([(2.0, 1), (0.0, 1)]) == pytest.approx(0.5)  # exceeded counts as 100%


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(1, 400),
    st.integers(-500, 900),
)
def test_expected_progress_is_zero_before_and_one_after(starts_on, length, offset):
    ends_on = starts_on + timedelta(days=length)
    today = starts_on + timedelta(days=offset)
    e = rules.expected_progress(starts_on, ends_on, today)
    assert 0.0 <= e <= 1.0
    if today <= starts_on:
        assert e == 0.0
    if today >= ends_on:
        assert e == 1.0


NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def inputs(**kw):
    base = {
        "progress": 0.5,
        "starts_on": date(2026, 4, 1),
        "ends_on": date(2026, 8, 1),
        "confidence": 8,
        "last_check_in_at": NOW - timedelta(days=2),
        "now": NOW,
    }
    return rules.StatusInputs(**{**base, **kw})


def test_status_compares_progress_with_time_elapsed():
    # 61 of 122 days elapsed: expected 0.5
    assert rules.status(inputs(progress=0.5)) == rules.ON_TRACK
    assert rules.status(inputs(progress=0.35)) == rules.AT_RISK
    assert rules.status(inputs(progress=0.2)) == rules.OFF_TRACK


def test_status_takes_the_worse_of_progress_and_confidence():
    assert rules.status(inputs(progress=0.9, confidence=5)) == rules.AT_RISK
    assert rules.status(inputs(progress=0.9, confidence=2)) == rules.OFF_TRACK
    assert rules.status(inputs(progress=0.9, confidence=None)) == rules.ON_TRACK


def test_stale_after_the_configured_days_without_check_in():
    assert rules.status(inputs(last_check_in_at=NOW - timedelta(days=15))) == rules.STALE
    assert rules.status(inputs(last_check_in_at=NOW - timedelta(days=15), stale_days=30)) == rules.ON_TRACK
    never = inputs(last_check_in_at=None)  # never checked in: no status, not stale
    assert rules.status(never) == rules.NO_STATUS


def test_no_status_yet_until_a_first_check_in():
    """Progress, confidence and time say nothing before a first check-in (an imported current value,
    a cycle long over); the first check-in gives the goal the status its numbers say."""
    for kw in (
        {},
        {"progress": 0.0},
        {"progress": 1.0},
        {"confidence": 2},
        {"now": NOW + timedelta(days=300)},
    ):
        assert rules.status(inputs(last_check_in_at=None, **kw)) == rules.NO_STATUS
    assert rules.status(inputs(progress=0.0, confidence=None, last_check_in_at=NOW)) == rules.OFF_TRACK
    assert rules.STATUS_LABELS[rules.NO_STATUS] == "No status yet"


def test_cycle_not_begun_and_over():
    not_begun = inputs(starts_on=date(2026, 7, 1), ends_on=date(2026, 9, 30), progress=0.0)
    assert rules.status(not_begun) == rules.ON_TRACK
    over = inputs(
        starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 31), last_check_in_at=NOW - timedelta(days=90)
    )
    assert rules.status(rules.StatusInputs(**{**over.__dict__, "progress": 1.0})) == rules.ON_TRACK
    assert rules.status(rules.StatusInputs(**{**over.__dict__, "progress": 0.8})) == rules.AT_RISK
    assert rules.status(rules.StatusInputs(**{**over.__dict__, "progress": 0.5})) == rules.OFF_TRACK


@given(
    progress=st.floats(-2, 3, allow_nan=False),
    confidence=st.none() | st.integers(0, 10),
    days=st.integers(0, 200),
    checked=st.none() | st.integers(0, 400),
)
def test_status_is_always_one_of_five(progress, confidence, days, checked):
    """Always a known status; "no status yet" exactly when nothing was checked in, stale only for a goal
    that had check-ins and is not done, never "none" once checked in."""
    now = NOW + timedelta(days=days)
    last = None if checked is None else now - timedelta(days=checked)
    result = rules.status(inputs(progress=progress, confidence=confidence, now=now, last_check_in_at=last))
    assert result in set(rules.STATUSES)
    assert (result == rules.NO_STATUS) == (last is None)
    if result == rules.STALE:
        assert last is not None and checked > 14 and progress < 1.0
    if last is not None and checked <= 14:
        assert result != rules.STALE


def test_validate_key_result():
    assert rules.validate_key_result(rules.INCREASE, 0, None, None) == {
        "target": "A key result needs a target."
    }
    assert "target" in rules.validate_key_result(rules.INCREASE, 10, 5, None)
    assert "target" in rules.validate_key_result(rules.DECREASE, 5, 10, None)
    assert "target_max" in rules.validate_key_result(rules.RANGE, 5, 10, None)
    assert rules.validate_key_result(rules.MILESTONE, None, None, None) == {}
    for kind in (rules.INCREASE, rules.DECREASE):  # nothing to move: refused, not shown as 100%
        assert "equals the start" in rules.validate_key_result(kind, 5, 5, None)["target"]
    assert rules.validate_key_result(rules.RANGE, 5, 5, 8) == {}


@given(kind=st.sampled_from([rules.INCREASE, rules.DECREASE]), start=finite, target=finite)
def test_an_increase_or_decrease_needs_distance_to_cover(kind, start, target):
    errors = rules.validate_key_result(kind, start, target, None)
    if target == start or (kind == rules.INCREASE) != (target > start):
        assert "target" in errors
    else:
        assert errors == {}


def test_would_create_cycle():
    parent_of = {1: None, 2: 1, 3: 2}
    assert rules.would_create_cycle(1, 3, parent_of)
    assert rules.would_create_cycle(2, 2, parent_of)
    assert not rules.would_create_cycle(3, 1, parent_of)
    assert not rules.would_create_cycle(1, None, parent_of)
