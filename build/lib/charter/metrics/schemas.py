"""Schemas of metrics, their values and data sources, for the API."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from charter.core.schemas import InSchema

Direction = Literal["higher", "lower"]
Health = Literal["healthy", "warning", "critical", "unknown"]
SourceKind = Literal["inbound", "json", "csv"]


class MetricOut(Schema):
    id: int
    name: str
    description: str
    unit: str
    team_id: int | None
    direction: Direction
    healthy: float | None
    warning: float | None
    critical: float | None
    current: float | None
    current_at: datetime | None
    health: Health


class MetricDetailOut(MetricOut):
    goal_ids: list[int]

    @staticmethod
    def resolve_goal_ids(obj) -> list[int]:
        return [g.pk for g in obj.goals.all()]


class MetricIn(InSchema):
    name: str = Field(max_length=120)
    description: str = ""
    unit: str = Field("", max_length=24)
    team_id: int | None = None
    direction: Direction = "higher"
    healthy: float | None = Field(None, description="The target: at or better than this it is healthy.")
    warning: float | None = Field(None, description="At or worse than this it is a warning.")
    critical: float | None = Field(None, description="At or worse than this it is critical.")
    goal_ids: list[int] = []


class MetricPatch(InSchema):
    name: str | None = Field(None, max_length=120)
    description: str | None = None
    unit: str | None = Field(None, max_length=24)
    team_id: int | None = None
    direction: Direction | None = None
    healthy: float | None = None
    warning: float | None = None
    critical: float | None = None
    goal_ids: list[int] | None = None


class ValueIn(InSchema):
    value: float
    note: str = Field("", max_length=500)
    recorded_at: datetime | None = None


class ValueOut(Schema):
    id: int
    metric_id: int
    value: float
    recorded_at: datetime
    source_id: int | None
    author_id: int | None
    note: str


class SourceOut(Schema):
    id: int
    name: str
    kind: SourceKind
    metric_id: int | None
    key_result_id: int | None
    json_path: str
    csv_column: str
    csv_row: int
    interval_minutes: int
    is_active: bool
    allow_private: bool
    last_success_at: datetime | None
    last_value: float | None
    last_error: str
    last_error_at: datetime | None
    consecutive_failures: int
    next_run_at: datetime | None


class SourceCreatedOut(SourceOut):
    push_url: str | None = Field(
        None,
        description="Inbound sources: the URL to POST values to. Shown in this answer only (Charter "
        "stores a hash of its token); its last segment also works as a Bearer token to /inbound/.",
    )


class SourceIn(InSchema):
    name: str = Field(max_length=120)
    kind: SourceKind
    metric_id: int | None = Field(None, description="The metric fed; give this or key_result_id.")
    key_result_id: int | None = Field(None, description="The key result fed (as check-ins).")
    url: str = Field("", max_length=500, description="Pulled sources: the document to fetch.")
    json_path: str = Field(
        "", max_length=200, description="JSON pulls: where the number is, e.g. data.value."
    )
    csv_column: str = Field("", max_length=80, description="CSV pulls: header name or 0-based position.")
    csv_row: int = Field(-1, description="CSV pulls: data row, -1 for the last.")
    interval_minutes: int = 60
    is_active: bool = True
    allow_private: bool = Field(False, description="Admins only: allow private and loopback addresses.")


class RunOut(Schema):
    id: int
    source_id: int
    started_at: datetime
    ok: bool
    value: float | None
    error: str
    duration_ms: int
    trigger: str
