"""Goals and key results as plain rows in the API's shapes (`GoalOut`, `KeyResultOut`), without models.

The hot reads (the goal list, the alignment tree) select these columns with `.values()` and compute
level, intent and status by the same rules as the goal model's properties.
"""

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
    "owner_id", "position", "progress", "confidence", "last_check_in_at", "version",
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
            created_at=row["created_at"],
            now=now,
            stale_days=stale_days,
        )
    )


def goal_out(row: dict, now, stale_days: int) -> dict:
    """The fields of `GoalOut` (in its order) from a row of GOAL_OUT_FIELDS and JOINED_FIELDS."""
    row["has_intent"] = bool(row["purpose"].strip() and row["end_state"].strip())
    row["level"] = "strategic" if row["team_id"] is None or row["team__parent_id"] is None else "team"
    row["status"] = status_of(row, now, stale_days)
    return {name: row[name] for name in GOAL_OUT_ORDER}
