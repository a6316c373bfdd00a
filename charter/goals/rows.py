"""Goals and key results as plain rows in the API's shapes (`GoalOut`, `KeyResultOut`), without models.

The hot reads (the goal list, the alignment tree) select these columns with `.values()` and compute
level, intent and status by the same rules as the goal model's properties.
"""

from datetime import timedelta

from django.db import connection

from . import rules

# Stored columns of `GoalOut`, and the joined ones its computed fields need.
GOAL_OUT_FIELDS = (
    "id", "title", "description", "cycle_id", "team_id", "owner_id", "parent_id", "purpose", "end_state",
    "constraints", "freedoms", "weight", "progress", "confidence", "last_check_in_at", "version",
    "created_at", "updated_at",
)  # fmt: skip
JOINED_FIELDS = ("team__parent_id", "cycle__starts_on", "cycle__ends_on")
# `GoalOut`'s order, for a body laid out as the schema's.
GOAL_OUT_ORDER = (
    "id", "title", "description", "cycle_id", "team_id", "owner_id", "parent_id", "purpose", "end_state",
    "constraints", "freedoms", "has_intent", "level", "weight", "progress", "confidence", "status",
    "last_check_in_at", "version", "created_at", "updated_at",
)  # fmt: skip
KR_OUT_FIELDS = (
    "id", "goal_id", "title", "kind", "unit", "start", "target", "target_max", "current", "weight",
    "owner_id", "position", "progress", "confidence", "last_check_in_at", "tracked_since", "version",
)  # fmt: skip


def status_of(row, now, stale_days: int, cycle=None) -> str:
    """The goal's status from its row (a mapping), as `Goal.status`: the cycle's dates come from `cycle`
    when given, else from the row's "cycle__starts_on" and "cycle__ends_on"."""
    starts_on, ends_on = (
        (cycle.starts_on, cycle.ends_on) if cycle else (row["cycle__starts_on"], row["cycle__ends_on"])
    )
    return rules.status(
        rules.StatusInputs(
            progress=row["progress"],
            starts_on=starts_on,
            ends_on=ends_on,
            confidence=row["confidence"],
            last_check_in_at=row["last_check_in_at"],
            now=now,
            stale_days=stale_days,
        )
    )


# `severity_sql`'s values: the index of the status in this list (needing attention first, worst first;
# a goal with no status yet last: nothing checked in is no news, good or bad).
BY_SEVERITY = (rules.OFF_TRACK, rules.AT_RISK, rules.STALE, rules.ON_TRACK, rules.NO_STATUS)


def severity_sql(cycle, now, stale_days: int, alias: str = "g") -> tuple[str, list]:
    """`Goal.status` of the goals of one `cycle` as SQL (and its parameters): a CASE giving the status's
    index in BY_SEVERITY, for a page that filters, counts or orders goals by status in the database
    instead of reading every goal of the cycle. The rule is `rules.status`, with the cycle's dates and
    `now` made constants, and the same arithmetic (the gap computed as the rule computes it)."""
    today = now.date()
    db_time = connection.ops.adapt_datetimefield_value
    value = f"{alias}.progress"
    progress = f"(CASE WHEN {value} < 0 THEN 0.0 WHEN {value} > 1 THEN 1.0 ELSE {value} END)"  # clamped
    expected = rules.expected_progress(cycle.starts_on, cycle.ends_on, today)
    severity = BY_SEVERITY.index
    whens, params = [f"WHEN {alias}.last_check_in_at IS NULL THEN {severity(rules.NO_STATUS)}"], []
    if cycle.starts_on <= today <= cycle.ends_on:
        whens.append(
            f"WHEN {alias}.progress < 1.0 AND {alias}.last_check_in_at < %s THEN {severity(rules.STALE)}"
        )
        params.append(db_time(now - timedelta(days=stale_days)))
    for status, gap, confidence in (
        (rules.OFF_TRACK, rules.OFF_TRACK_GAP, rules.OFF_TRACK_CONFIDENCE),
        (rules.AT_RISK, rules.AT_RISK_GAP, rules.AT_RISK_CONFIDENCE),
    ):
        whens.append(f"WHEN %s - {progress} > %s OR {alias}.confidence <= %s THEN {severity(status)}")
        params += [expected, gap, confidence]
    return f"CASE {' '.join(whens)} ELSE {severity(rules.ON_TRACK)} END", params


def goal_out(row: dict, now, stale_days: int) -> dict:
    """The fields of `GoalOut` (in its order) from a row of GOAL_OUT_FIELDS and JOINED_FIELDS."""
    row["has_intent"] = bool(row["purpose"].strip() and row["end_state"].strip())
    row["level"] = "strategic" if row["team_id"] is None or row["team__parent_id"] is None else "team"
    row["status"] = status_of(row, now, stale_days)
    return {name: row[name] for name in GOAL_OUT_ORDER}
