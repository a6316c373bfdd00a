"""Schemas of back-briefs, shared by the API, MCP tools and command line."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from charter.core.schemas import InSchema

from .models import BackBrief

State = Literal["requested", "submitted", "confirmed", "clarification_requested", "withdrawn"]
assert set(State.__args__) == set(BackBrief.State.values)


class BackBriefEventOut(Schema):
    actor_id: int | None
    from_state: str
    to_state: State
    note: str
    created_at: datetime


class BackBriefOut(Schema):
    id: int
    goal_id: int
    team_id: int
    state: State
    intent: str = Field(description="The goal's intent in the team's own words.")
    plan: str
    concerns: str
    needs: str
    requested_by_id: int | None
    requested_at: datetime
    submitted_by_id: int | None
    submitted_at: datetime | None
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    confirmed_at: datetime | None = Field(description="Confirmation time = confirmed_at − requested_at.")
    clarification: str = Field(description="What the reviewer last asked to clarify.")
    version: int


class BackBriefDetailOut(BackBriefOut):
    history: list[BackBriefEventOut] = Field(description="Each change of state: who, when, what was said.")

    @staticmethod
    def resolve_history(obj):
        return list(obj.events.all())


class BackBriefFilters(Schema):
    state: State | Literal["pending"] | None = Field(None, description="`pending`: every open state.")
    team_id: int | None = None
    goal_id: int | None = None


class BackBriefSubmitIn(InSchema):
    intent: str = Field("", max_length=5000, description="The goal's intent restated in the team's words.")
    plan: str = Field("", max_length=5000)
    concerns: str = Field("", max_length=5000)
    needs: str = Field("", max_length=5000)


class ClarificationIn(InSchema):
    message: str = Field("", max_length=5000, description="What needs clarifying; posted on the goal too.")
