"""Schemas of decision domains, the delegation board and decision records (API, MCP tools, CLI)."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from charter.core.schemas import InSchema

from . import rules

DecisionStatus = Literal["proposed", "decided", "escalated", "superseded", "withdrawn"]
Relation = Literal["member", "lead", "leader_above", "outsider"]
Response = Literal["agree", "advise", "decide", "escalate", "withdraw"]
assert set(DecisionStatus.__args__) == {
    rules.PROPOSED,
    rules.DECIDED,
    rules.ESCALATED,
    rules.SUPERSEDED,
    rules.WITHDRAWN,
}
assert set(Response.__args__) == set(rules.RESPONSES)


ACTING_FOR = (
    "Owners and admins only: the leader you stand in for (a lead of the team or of a team above it); "
    "the step follows that leader's authority and the history keeps both."
)


class DomainOut(Schema):
    id: int
    name: str
    description: str
    examples: str


class DomainIn(InSchema):
    name: str = Field(max_length=120, description="Such as Hiring, Budget under 10k, Pricing.")
    description: str = ""
    examples: str = Field("", description="Typical decisions of this domain.")


class LevelOut(Schema):
    number: int = Field(ge=1, le=7)
    code: str = Field(description="tell, sell, consult, agree, advise, inquire or delegate.")
    summary: str


class CellOut(Schema):
    team_id: int
    domain_id: int
    level: int = Field(ge=1, le=7)
    code: str
    inherited: bool = Field(
        description="True when not set on this team: taken from an ancestor or the default."
    )
    source_team_id: int | None = Field(
        description="The team the level was set on; null: the default (1 tell)."
    )

    @staticmethod
    def resolve_code(obj) -> str:
        return rules.LEVELS[obj.level].code

    @staticmethod
    def resolve_source_team_id(obj) -> int | None:
        return obj.source.pk if obj.source else None


class BoardTeamOut(Schema):
    id: int
    name: str
    parent_id: int | None


class BoardOut(Schema):
    levels: list[LevelOut]
    domains: list[DomainOut]
    teams: list[BoardTeamOut]
    cells: list[CellOut]


class LevelIn(InSchema):
    level: int | None = Field(
        ge=1,
        le=7,
        description="1 tell, 2 sell, 3 consult, 4 agree, 5 advise, 6 inquire, 7 delegate; null clears the "
        "team's own level, so it inherits again (its nearest ancestor's, else 1).",
    )
    reason: str = Field(description="Why the level changes; kept in the history.")


class LevelChangeOut(Schema):
    id: int
    team_id: int
    domain_id: int
    level: int | None = Field(description="Null: the team's own level was cleared; it inherits again.")
    previous_level: int | None
    reason: str
    author_id: int | None
    created_at: datetime


class DecisionOut(Schema):
    id: int
    title: str
    context: str
    options: str
    decision: str
    rationale: str
    consequences: str
    domain_id: int
    team_id: int
    goal_ids: list[int]
    status: DecisionStatus
    level: int
    relation: Relation
    awaiting: str = Field(description="What an open record waits for: leader_decision, team_agreement ...")
    addressed_to_id: int | None
    recorded_by_id: int
    decided_by_id: int | None
    consulted: bool
    advice_requested: bool
    advice: str
    escalated: bool
    escalated_at: datetime | None
    proposed_at: datetime
    decided_at: datetime | None
    latency_seconds: float | None = Field(description="Proposed to decided, in seconds.")
    supersedes_id: int | None

    @staticmethod
    def resolve_goal_ids(obj) -> list[int]:
        return sorted(g.pk for g in obj.goals.all())

    @staticmethod
    def resolve_latency_seconds(obj) -> float | None:
        return obj.latency.total_seconds() if obj.latency is not None else None


class DecisionIn(InSchema):
    team_id: int
    domain_id: int
    title: str = Field(max_length=200)
    decision: str = Field(description="What is (or is proposed to be) decided.")
    context: str = ""
    options: str = ""
    rationale: str = ""
    consequences: str = ""
    goal_ids: list[int] = []
    supersedes_id: int | None = Field(
        None,
        description="A decision this one replaces (once decided); needs the authority to make that "
        "decision, in its own team and domain.",
    )
    acting_for_id: int | None = Field(None, description=ACTING_FOR)


class DecisionResultOut(Schema):
    decision: DecisionOut
    outcome: str = Field(description="The status the record got: proposed, decided or escalated.")
    message: str = Field(description="What happened and why, in words.")

    @staticmethod
    def resolve_outcome(obj) -> str:
        return obj.decision.status


class RespondIn(InSchema):
    action: Response = Field(
        description="agree, advise, decide, escalate (the side the record waits for), or withdraw (its "
        "proposer)."
    )
    note: str = Field("", description="Advice (required to advise), or a note kept in the history.")
    acting_for_id: int | None = Field(None, description=ACTING_FOR)


class DecisionFilters(Schema):
    waiting_for_me: bool = Field(False, description="Only the open records waiting for your answer.")
    team_id: int | None = None
    domain_id: int | None = None
    status: DecisionStatus | None = None
    goal_id: int | None = None
    date_from: date | None = Field(None, description="Proposed on or after this day.")
    date_to: date | None = Field(None, description="Proposed on or before this day.")


AdviceKind = Literal["raise", "clarify", "bottleneck"]
assert set(AdviceKind.__args__) == set(rules.ADVICE_KINDS)


class AdviceOut(Schema):
    kind: AdviceKind = Field(
        description="raise (the level), clarify (the intent, or lower the level), bottleneck (a leader "
        "whose queue and waits stand out)."
    )
    name: str
    team_id: int
    team_name: str
    domain_id: int
    domain_name: str
    level: int = Field(ge=1, le=7, description="The cell's level now.")
    suggested_level: int = Field(ge=1, le=7, description="The level accepting the advice sets.")
    leader_id: int | None = Field(description="The leader the advice is for.")
    leader_name: str
    evidence: str = Field(description="What the history says, in words; the reason recorded on accept.")
    figures: dict = Field(description="The evidence in numbers (counts, median waits in days).")


class CellHistoryOut(Schema):
    records: int
    proposals: int
    approved: int
    median_wait: float | None = Field(description="Days, the team's proposals (answered or waiting).")
    team_decisions: int
    superseded: int
    reversed: int
    escalated: int


class AdviceAnswerOut(Schema):
    id: int
    team_id: int
    domain_id: int
    kind: AdviceKind
    answer: Literal["accepted", "dismissed"]
    level: int
    suggested_level: int
    evidence: str
    reason: str
    leader_id: int | None
    change_id: int | None = Field(description="The level change an accepted advice made.")
    author_id: int | None
    created_at: datetime


class CellAdviceOut(Schema):
    advice: list[AdviceOut]
    history: CellHistoryOut = Field(description="What the cell's records at its current level say.")
    not_enough_history: str = Field(description="Why there is no advice yet, in words ('' when there is).")
    answers: list[AdviceAnswerOut] = Field(description="Advice accepted or dismissed before, newest first.")


class AdviceDismissIn(InSchema):
    reason: str = Field(description="Why the advice is dismissed; kept with it and audited.")


class AdviceThresholdsOut(Schema):
    window: int
    min_history: int
    raise_share: float
    clarify_share: float
    clarify_min: int
    escalate_share: float
    bottleneck_queue: int
    bottleneck_wait_days: float
    bottleneck_factor: float
    bottleneck_days: int


class AdviceThresholdsIn(InSchema):
    thresholds: dict[str, float] = Field(
        description="Overrides by name (window, min_history, raise_share ...); the others keep their "
        "defaults."
    )


class AdviceFilters(Schema):
    for_me: bool = Field(False, description="Only the advice for you, as the team's leader.")
    team_id: int | None = None
    domain_id: int | None = None
