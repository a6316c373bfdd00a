"""Schemas of cycles, goals, key results and check-ins, shared by the API, MCP tools and command line.

Patch schemas default omitted fields to None without validating the default, so a field left out is
not changed while an explicit `null` on a field that cannot be empty is refused (422).
"""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from charter.core.schemas import ErrorOut, InSchema

from . import rules

Status = Literal["on_track", "at_risk", "off_track", "stale", "none"]
CycleState = Literal["planning", "active", "reviewing", "closed"]
KeyResultKind = Literal["increase", "decrease", "range", "milestone"]
assert set(Status.__args__) == set(rules.STATUSES)

# ---- cycles ---------------------------------------------------------------------------------------


class CycleOut(Schema):
    id: int
    name: str
    starts_on: date
    ends_on: date
    state: CycleState


class CycleIn(InSchema):
    name: str = Field(max_length=80, description="Such as 2026 Q1.")
    starts_on: date
    ends_on: date
    state: CycleState = "planning"


# ---- key results ----------------------------------------------------------------------------------


TRACKED_SINCE = (
    "Since when check-ins are expected, counted by check-in participation; empty: since it was created. "
    "Set it when a key result tracked elsewhere before moves to Charter."
)


class KeyResultOut(Schema):
    id: int
    goal_id: int
    title: str
    kind: KeyResultKind
    unit: str
    start: float | None
    target: float | None = Field(description="For a range: its lower bound.")
    target_max: float | None = Field(description="For a range: its upper bound.")
    current: float | None
    weight: float
    owner_id: int | None
    position: int
    progress: float = Field(description="0 at the start, 1 at the target; above 1 when beaten.")
    confidence: int | None
    last_check_in_at: datetime | None
    tracked_since: datetime | None = Field(description=TRACKED_SINCE)
    version: int


class KeyResultIn(InSchema):
    title: str = Field(max_length=200)
    kind: KeyResultKind = "increase"
    unit: str = Field("", max_length=24)
    start: float | None = None
    target: float | None = None
    target_max: float | None = None
    current: float | None = None
    weight: float = 1.0
    owner_id: int | None = None
    tracked_since: datetime | None = Field(None, description=TRACKED_SINCE)


class KeyResultPatch(InSchema):
    title: str = Field(None, max_length=200)
    kind: KeyResultKind = None
    unit: str = Field(None, max_length=24)
    start: float | None = None
    target: float | None = None
    target_max: float | None = None
    weight: float = None
    owner_id: int | None = None
    version: int | None = Field(None, description="The version read; a stale one answers 409.")


# ---- goals ----------------------------------------------------------------------------------------


class GoalOut(Schema):
    id: int
    title: str
    description: str
    cycle_id: int
    team_id: int | None = Field(description="Empty for a goal of the whole organization.")
    owner_id: int = Field(description="The accountable person.")
    parent_id: int | None = Field(description="The goal this one contributes to.")
    purpose: str = Field(description="Intent: why it matters.")
    end_state: str = Field(description="Intent: what success looks like.")
    constraints: str = Field(description="Intent: what must not happen.")
    freedoms: str = Field(description="Intent: what the team may decide alone.")
    has_intent: bool
    level: Literal["strategic", "team"]
    weight: float
    progress: float
    confidence: int | None
    status: Status
    last_check_in_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class GoalDetailOut(GoalOut):
    key_results: list[KeyResultOut]
    supports_ids: list[int] = Field(description="Goals this one supports (shown, not rolled up).")
    children_ids: list[int] = Field(description="Goals that contribute to this one.")

    @staticmethod
    def resolve_key_results(obj):
        return list(obj.key_results.all())

    @staticmethod
    def resolve_supports_ids(obj) -> list[int]:
        return sorted(g.pk for g in obj.supports.all())

    @staticmethod
    def resolve_children_ids(obj) -> list[int]:
        return sorted(g.pk for g in obj.children.all())


class GoalIn(InSchema):
    cycle_id: int
    title: str = Field(max_length=200)
    owner_id: int | None = Field(None, description="The accountable person; you when empty.")
    team_id: int | None = None
    description: str = ""
    purpose: str = ""
    end_state: str = ""
    constraints: str = ""
    freedoms: str = ""
    parent_id: int | None = None
    supports_ids: list[int] = []
    weight: float = 1.0


class GoalPatch(InSchema):
    cycle_id: int = None
    title: str = Field(None, max_length=200)
    owner_id: int = None
    team_id: int | None = None
    description: str = None
    purpose: str = None
    end_state: str = None
    constraints: str = None
    freedoms: str = None
    parent_id: int | None = None
    supports_ids: list[int] = None
    weight: float = None
    version: int | None = Field(None, description="The version read; a stale one answers 409.")


class GoalConflictOut(ErrorOut):
    """A stale edit: the goal as it stands now, to merge with and retry (with its `version`)."""

    current: GoalDetailOut


class KeyResultConflictOut(ErrorOut):
    """A stale edit: the key result as it stands now, to merge with and retry (with its `version`)."""

    current: KeyResultOut


class GoalFilters(Schema):
    cycle_id: int | None = None
    team_id: int | None = None
    status: Status | None = None
    parent_id: int | None = None
    owner_id: int | None = None


# ---- check-ins ------------------------------------------------------------------------------------


class CheckInOut(Schema):
    id: int
    key_result_id: int
    value: float
    confidence: int
    note: str
    author_id: int | None
    checked_at: datetime
    is_late: bool = Field(description="Recorded after its cycle was closed.")


class CheckInIn(InSchema):
    value: float
    confidence: int = Field(ge=0, le=10, description="0 (no chance) to 10 (certain).")
    note: str = ""
    checked_at: datetime | None = Field(None, description="When; now when empty.")


class CheckInFilters(Schema):
    goal_id: int | None = None
    key_result_id: int | None = None


# ---- alignment ------------------------------------------------------------------------------------


class GoalWithKeyResultsOut(GoalOut):
    key_results: list[KeyResultOut]


class AlignmentNodeOut(Schema):
    goal: GoalWithKeyResultsOut
    children: list["AlignmentNodeOut"] = Field(description="Goals that contribute to this one.")


class AlignmentOut(Schema):
    cycle: CycleOut
    goals: list[AlignmentNodeOut] = Field(description="Goals of the cycle as a forest, parents first.")
