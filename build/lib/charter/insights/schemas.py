"""API schemas of insights: figures (value None = not enough data), indicators, the profile, trends."""

from ninja import Field, Schema


class FigureOut(Schema):
    code: str
    label: str
    value: float | None = Field(description="None when there is not enough data; never a fake number.")
    unit: str
    formula: str
    detail: str
    parts: dict


class InsightsOut(Schema):
    cycle_id: int | None
    cycle_name: str | None
    team_id: int | None
    indicators: list[FigureOut]
    factors: list[FigureOut]


class ProfileOut(Schema):
    cycle_id: int | None
    team_id: int | None
    factors: list[FigureOut]
    mission_based: dict[str, float] = Field(description="The mission-based reference profile.")
    micro_management: dict[str, float] = Field(description="The micro-management reference profile.")
