"""Schemas of the mission, shared by the API, MCP tools and command line."""

from datetime import datetime

from ninja import Field, Schema

from charter.core.schemas import InSchema


class ValueSchema(InSchema):
    name: str
    meaning: str = Field(description="What the value looks like in practice.")


class MissionOut(Schema):
    statement: str
    vision: str
    values: list[ValueSchema]
    revision: int = Field(description="0 while no mission was written.")
    updated_at: datetime | None


class MissionIn(InSchema):
    statement: str
    vision: str = ""
    values: list[ValueSchema] = []
    reason: str = Field(
        "", description="Why the mission changes; kept with the revision. Required once a mission exists."
    )
