"""Schemas of ideas, shared by the API, MCP tools and command line."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from charter.core.schemas import InSchema

from . import rules

IdeaStatus = Literal["new", "exploring", "adopted", "parked", "rejected"]
assert set(IdeaStatus.__args__) == set(rules.STATUSES)


class IdeaOut(Schema):
    id: int
    title: str
    description: str = Field(description="Markdown source.")
    author_id: int
    author_name: str = Field(validation_alias="author.full_name")
    status: IdeaStatus
    goal_ids: list[int]
    adopted_goal_id: int | None
    adopted_key_result_id: int | None
    vote_count: int
    comment_count: int
    voted: bool = Field(description="Whether you vote for it.")
    created_at: datetime

    @staticmethod
    def resolve_goal_ids(obj) -> list[int]:
        return [g.pk for g in obj.goals.all()]


class IdeaTransitionOut(Schema):
    from_status: IdeaStatus
    to_status: IdeaStatus
    actor_id: int
    reason: str
    created_at: datetime


class IdeaDetailOut(IdeaOut):
    description_html: str = Field(description="The description rendered to safe HTML.")
    transitions: list[IdeaTransitionOut] = Field(description="Moves through the pipeline, newest first.")

    @staticmethod
    def resolve_description_html(obj) -> str:
        from charter.core.markdown import render

        return str(render(obj.description))

    @staticmethod
    def resolve_transitions(obj) -> list:
        return list(obj.transitions.all())


class IdeaFilters(Schema):
    status: IdeaStatus | None = None
    goal_id: int | None = Field(None, description="Ideas linked to this goal.")
    sort: Literal["votes", "newest"] = "votes"


class IdeaIn(InSchema):
    title: str = Field(max_length=200)
    description: str = Field("", description="Markdown.")
    goal_ids: list[int] = Field(default_factory=list, description="Goals the idea would help reach.")


class IdeaPatch(InSchema):
    title: str = Field(max_length=200)
    description: str = Field("", description="Markdown.")
    goal_ids: list[int] = Field(default_factory=list, description="Goals the idea would help reach.")


class IdeaMoveIn(InSchema):
    to_status: IdeaStatus
    reason: str = Field(description="Why it moves; kept in the idea's history.")
    adopted_goal_id: int | None = Field(None, description="When adopting: the goal it became.")
    adopted_key_result_id: int | None = Field(None, description="When adopting: the key result it became.")


class VoteOut(Schema):
    voted: bool
    vote_count: int
