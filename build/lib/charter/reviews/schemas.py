"""Schemas of cycle reviews and of goal revisions, for the API."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from charter.core.schemas import InSchema

from .models import GoalGrade

Adaptation = Literal["keep", "carry_over", "revise", "drop"]
assert set(Adaptation.__args__) == set(GoalGrade.Adaptation.values)


class GoalGradeOut(Schema):
    id: int
    cycle_id: int
    goal_id: int
    team_id: int | None
    grade: float | None = Field(description="0.0 to 1.0; null until graded.")
    suggested_grade: float | None = Field(description="From the goal's progress when it was graded.")
    graded_by_id: int | None
    graded_at: datetime | None
    adaptation: Adaptation
    adaptation_reason: str
    carried_to_id: int | None = Field(description="The copy in another cycle, when carried over.")


class CycleReviewOut(Schema):
    id: int
    cycle_id: int
    team_id: int
    what_worked: str
    what_did_not: str
    what_we_change: str
    submitted_by_id: int | None
    submitted_at: datetime | None
    created_at: datetime


class RetrospectiveIn(InSchema):
    what_worked: str = Field("", max_length=10000)
    what_did_not: str = Field("", max_length=10000)
    what_we_change: str = Field("", max_length=10000)


class CycleReviewIn(RetrospectiveIn):
    team_id: int


class GradeIn(InSchema):
    grade: float = Field(description="0.0 (nothing achieved) to 1.0 (fully achieved).")


class GoalRevisionIn(InSchema):
    title: str | None = Field(None, max_length=200)
    description: str | None = None
    purpose: str | None = None
    end_state: str | None = None
    constraints: str | None = None
    freedoms: str | None = None


class KeyResultRevisionIn(InSchema):
    id: int
    title: str | None = Field(None, max_length=200)
    target: float | None = None
    target_max: float | None = None
    unit: str | None = Field(None, max_length=24)


class AdaptIn(InSchema):
    adaptation: Adaptation
    reason: str = Field("", max_length=5000, description="Required to revise or drop.")
    to_cycle_id: int | None = Field(None, description="carry_over: the cycle the copy goes to.")
    goal: GoalRevisionIn | None = Field(None, description="revise: the goal's texts to change.")
    key_results: list[KeyResultRevisionIn] = Field(default_factory=list, description="revise: key results.")


class RevisionOut(Schema):
    id: int
    kind: Literal["goal", "key_result"]
    goal_id: int
    key_result_id: int | None
    actor_id: int | None
    reason: str
    changes: dict = Field(description="field -> [old, new]")
    created_at: datetime

    @staticmethod
    def resolve_kind(obj):
        return "key_result" if getattr(obj, "key_result_id", None) else "goal"

    @staticmethod
    def resolve_key_result_id(obj):
        return getattr(obj, "key_result_id", None)
