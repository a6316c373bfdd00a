"""Pydantic schemas of the calendar feed."""

from datetime import datetime

from ninja import Field, Schema


class CalendarFeedOut(Schema):
    active: bool = Field(description="Whether the person has a feed address that works.")
    created_at: datetime | None = Field(description="When the current address was made; null without one.")
    url: str | None = Field(
        description="The feed's address: given only when it is made (rotate), since only its hash is kept."
    )
