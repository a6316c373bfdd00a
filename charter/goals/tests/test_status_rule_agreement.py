"""The status rule is written twice: in Python (`rules.status`, what a goal shows) and in SQL
(`rows.severity_sql`, what the status filters and counts of the API and the pages use). Hypothesis draws
cycles, moments, stale periods and goals, stores the goals, and both forms must give every goal the same
status, on SQLite and on PostgreSQL.

The draws lean on the rule's edges, where float arithmetic, date arithmetic or a strict comparison could
make the two disagree: the first and last day of the cycle and the days around them, a one-day cycle, a
last check-in exactly `stale_days` before now (and a microsecond either way), progress exactly on the
at-risk and off-track gaps as the rule computes them (and the floats next to them), progress outside
[0, 1], confidence on its thresholds, a check-in after `now`. Each example runs in a savepoint that is
rolled back: one organization and one cycle, whose dates each example sets.
"""

import math
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.goals import rules
from charter.goals.models import Cycle, Goal
from charter.goals.rows import BY_SEVERITY, severity_sql

AGREEMENT_SETTINGS = settings(
    max_examples=120,
    derandomize=True,  # the same examples on every run and both databases: a failure is reproducible
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GAPS = (rules.AT_RISK_GAP, rules.OFF_TRACK_GAP)
CONFIDENCE = st.one_of(
    st.none(),
    st.sampled_from([rules.OFF_TRACK_CONFIDENCE, rules.OFF_TRACK_CONFIDENCE + 1, rules.AT_RISK_CONFIDENCE]),
    st.integers(0, 10),
)


def _around(value: float) -> st.SearchStrategy[float]:
    """`value` and the floats just below and above it."""
    return st.sampled_from([value, math.nextafter(value, -math.inf), math.nextafter(value, math.inf)])


@st.composite
def _moment(draw, starts_on: date, ends_on: date) -> datetime:
    """`now`: on or around the cycle's first and last days, or anywhere from a month before to a month
    after, at any time of day (UTC)."""
    edges = [starts_on, ends_on, starts_on - timedelta(days=1), ends_on + timedelta(days=1)]
    length = (ends_on - starts_on).days
    day = draw(
        st.one_of(
            st.sampled_from(edges),
            st.integers(-31, length + 31).map(lambda n: starts_on + timedelta(days=n)),
        )
    )
    clock = draw(st.one_of(st.sampled_from([time.min, time.max]), st.times()))
    return datetime.combine(day, clock, tzinfo=UTC)


@st.composite
def _goal(draw, now: datetime, expected: float, stale_days: int) -> dict:
    """The stored columns the status reads: progress, confidence and the last check-in."""
    progress = draw(
        st.one_of(
            st.sampled_from([0.0, 1.0, -0.5, 1.5]).flatmap(_around),
            st.sampled_from(GAPS).flatmap(lambda gap: _around(expected - gap)),
            st.floats(-2.0, 3.0, allow_nan=False, allow_infinity=False),
        )
    )
    stale = now - timedelta(days=stale_days)
    last_check_in_at = draw(
        st.one_of(
            st.none(),
            st.sampled_from([stale, stale - timedelta(microseconds=1), stale + timedelta(microseconds=1)]),
            st.integers(-3 * 86_400, 90 * 86_400).map(lambda s: now - timedelta(seconds=s)),
        )
    )
    return {"progress": progress, "confidence": draw(CONFIDENCE), "last_check_in_at": last_check_in_at}


@st.composite
def _cases(draw) -> dict:
    starts_on = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
    ends_on = starts_on + timedelta(days=draw(st.one_of(st.just(1), st.integers(1, 400))))
    now = draw(_moment(starts_on, ends_on))
    stale_days = draw(st.integers(1, 60))
    expected = rules.expected_progress(starts_on, ends_on, now.date())
    goals = draw(st.lists(_goal(now, expected, stale_days), min_size=1, max_size=6))
    return {"starts_on": starts_on, "ends_on": ends_on, "now": now, "stale_days": stale_days, "goals": goals}


def _by_database(cycle, now, stale_days, organization_id) -> list[str]:
    severity, params = severity_sql(cycle, now, stale_days)
    table = connection.ops.quote_name(Goal._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.id, {severity} FROM {table} g WHERE g.organization_id = %s ORDER BY g.id",
            [*params, organization_id],
        )
        return [BY_SEVERITY[severity] for _, severity in cursor.fetchall()]


def _by_rule(row, cycle, now, stale_days) -> str:
    return rules.status(
        rules.StatusInputs(
            progress=row["progress"],
            starts_on=cycle.starts_on,
            ends_on=cycle.ends_on,
            confidence=row["confidence"],
            last_check_in_at=row["last_check_in_at"],
            now=now,
            stale_days=stale_days,
        )
    )


@AGREEMENT_SETTINGS
@given(case=_cases())
def test_the_sql_and_the_python_status_rules_agree(owner, cycle, case):
    org = owner.organization_id
    with transaction.atomic():
        Cycle.objects.for_org(org).filter(pk=cycle.pk).update(
            starts_on=case["starts_on"], ends_on=case["ends_on"]
        )
        cycle.refresh_from_db()
        Goal.objects.for_org(org).bulk_create(
            Goal(organization_id=org, cycle_id=cycle.pk, owner_id=owner.user_id, title=f"Goal {i}", **goal)
            for i, goal in enumerate(case["goals"])
        )
        # The rule reads the columns as stored (the database's float and its microseconds), as pages do.
        rows = list(
            Goal.objects.for_org(org).order_by("id").values("progress", "confidence", "last_check_in_at")
        )
        now, stale_days = case["now"], case["stale_days"]
        by_database = _by_database(cycle, now, stale_days, org)
        by_rule = [_by_rule(row, cycle, now, stale_days) for row in rows]
        transaction.set_rollback(True)
    assert by_database == by_rule, list(zip(rows, by_database, by_rule, strict=True))
