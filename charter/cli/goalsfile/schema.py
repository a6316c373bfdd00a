"""The structure of a goals file, as Pydantic models that remember the line each item starts on."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, model_validator

Kind = Literal["increase", "decrease", "range", "milestone"]
RoleName = Literal["owner", "admin", "leader", "member", "viewer"]
State = Literal["planning", "active", "reviewing", "closed"]
FORMAT_VERSION = 1
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def _plausible(value: date) -> date:
    """A date a goal's work can happen on: year 1 or 9999 is a typo, and breaks the arithmetic on moments."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValueError(
            f"{value.isoformat()} is not a plausible date (from {EARLIEST.year} to {LATEST.year})"
        )
    return value


Day = Annotated[date, AfterValidator(_plausible)]
Moment = Annotated[datetime | date, AfterValidator(_plausible)]


class Item(BaseModel):
    """An item of the file; `line_of(field)` says where it (or one of its fields) is written."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, populate_by_name=True, allow_inf_nan=False
    )
    _raw: dict = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_source(cls, data, handler):
        item = handler(data)
        if isinstance(data, dict):
            item._raw = data
        return item

    @property
    def line(self) -> int:
        return getattr(self._raw, "line", 0)

    def line_of(self, field: str) -> int:
        return getattr(self._raw, "key_lines", {}).get(field, self.line)


class ValueIn(Item):
    name: str
    meaning: str = ""


class MissionIn(Item):
    statement: str = ""
    vision: str = ""
    values: list[ValueIn] = []


class PersonIn(Item):
    email: str
    name: str
    role: RoleName = "member"
    title: str = ""
    active: bool = True


class MemberIn(Item):
    """A person in a team; `name` and `role` add them when they are not listed under `people`."""

    email: str
    name: str | None = None
    role: RoleName | None = None
    lead: bool = False


class TeamIn(Item):
    name: str = Field(min_length=1)
    parent: str | None = None
    description: str = ""
    members: list[MemberIn] = []


class CycleIn(Item):
    name: str = Field(min_length=1)
    starts_on: Day
    ends_on: Day
    state: State = "active"

    @model_validator(mode="after")
    def _dates(self):
        if self.ends_on <= self.starts_on:
            raise ValueError(f'cycle "{self.name}" must end after it starts')
        return self


class CheckInIn(Item):
    at: Moment = Field(alias="date")
    value: float
    confidence: int = Field(ge=0, le=10)
    note: str = ""
    author: str | None = None


class KeyResultIn(Item):
    title: str = Field(min_length=1)
    kind: Kind = "increase"
    unit: str = ""
    start: float | None = None
    target: float | None = None
    target_max: float | None = None
    current: float | None = None
    weight: float = Field(default=1.0, gt=0, le=100)
    owner: str | None = None
    # Since when check-ins are expected (check-in participation); without it, from the first check-in
    # listed, else from the import.
    since: Moment | None = None
    check_ins: list[CheckInIn] = []

    @model_validator(mode="after")
    def _numbers(self):
        if self.kind == "milestone":
            return self
        for field in ("target", "start"):
            if getattr(self, field) is None:
                raise ValueError(f'key result "{self.title}" has no {field}')
        if self.kind == "range" and self.target_max is None:
            raise ValueError(f'key result "{self.title}" is a range but has no target_max (its upper bound)')
        return self


class GoalIn(Item):
    key: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str = Field(min_length=1)
    cycle: str | None = None
    team: str | None = None
    owner: str
    description: str = ""
    purpose: str = ""
    end_state: str = ""
    constraints: str = ""
    freedoms: str = ""
    parent: str | None = None
    supports: list[str] = []
    weight: float = Field(default=1.0, gt=0, le=100)
    key_results: list[KeyResultIn] = []


class GoalsFile(Item):
    charter: int = FORMAT_VERSION
    organization: str | None = None
    mission: MissionIn | None = None
    people: list[PersonIn] = []
    teams: list[TeamIn] = []
    cycles: list[CycleIn] = []
    goals: list[GoalIn] = []
