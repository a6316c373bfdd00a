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


class TrendOut(Schema):
    direction: str = Field(description="up, down, steady, or none (no figure on one side to compare).")
    arrow: str
    words: str = Field(description='In words, e.g. "up 12.5 points: progress".')
    reading: str = Field(description="progress, resistance, or empty when steady or not comparable.")


class TransitionFigureOut(FigureOut):
    hidden: bool = Field(description="Hidden: the team has fewer people than the anonymity threshold.")
    trend: TrendOut


class TransitionCellOut(Schema):
    cycle_id: int
    cycle_name: str
    figures: list[TransitionFigureOut]
    factors: list[TransitionFigureOut]


class TransitionTeamOut(Schema):
    team_id: int | None = Field(description="None: the whole organization.")
    team_name: str
    depth: int
    people: int
    sub_teams: int = Field(description="Teams below it whose figures it includes.")
    hidden_reason: str = Field(description="Why figures of what each member does are hidden, or empty.")
    cycles: list[TransitionCellOut]


class TransitionOut(Schema):
    min_people: int = Field(description="Figures of what each member does need at least this many people.")
    team_id: int | None
    cycles: list[dict] = Field(description="The cycles shown, oldest first: id, name, starts_on, ends_on.")
    teams: list[TransitionTeamOut]


def _figure(figure, trend) -> dict:
    return {
        **{k: getattr(figure, k) for k in ("code", "label", "value", "unit", "formula", "detail", "parts")},
        "hidden": bool(figure.parts.get("hidden")),
        "trend": {
            "direction": trend.direction,
            "arrow": trend.arrow,
            "words": trend.words,
            "reading": trend.reading,
        },
    }


def transition_out(result) -> dict:
    """The transition (`selectors.transition`) as plain data, for REST and MCP alike."""
    return {
        "min_people": result.min_people,
        "team_id": result.team.pk if result.team else None,
        "cycles": [
            {
                "id": c.pk,
                "name": c.name,
                "starts_on": c.starts_on.isoformat(),
                "ends_on": c.ends_on.isoformat(),
            }
            for c in result.cycles
        ],
        "teams": [
            {
                "team_id": row.team.pk if row.team else None,
                "team_name": row.team.name if row.team else "Whole organization",
                "depth": row.depth,
                "people": row.people,
                "sub_teams": row.sub_teams,
                "hidden_reason": row.hidden,
                "cycles": [
                    {
                        "cycle_id": cell.cycle.pk,
                        "cycle_name": cell.cycle.name,
                        "figures": [_figure(f, t) for f, t in cell.figures],
                        "factors": [_figure(f, t) for f, t in cell.factors],
                    }
                    for cell in row.cells
                ],
            }
            for row in result.rows
        ],
    }
