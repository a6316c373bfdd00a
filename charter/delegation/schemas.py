"""Schemas of decision domains, the delegation board and decision records (API, MCP tools, CLI)."""

from datetime import date, datetime
from typing import Literal

from django.utils import timezone
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
    needed_by: date | None = Field(description="Decide by: the day the answer is needed; null when not set.")
    overdue: bool = Field(description="Still waiting (proposed or escalated) after its decide-by day.")
    latency_seconds: float | None = Field(description="Proposed to decided, in seconds.")
    supersedes_id: int | None

    @staticmethod
    def resolve_goal_ids(obj) -> list[int]:
        return sorted(g.pk for g in obj.goals.all())

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue(timezone.localdate())

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
    needed_by: date | None = Field(
        None,
        description="Decide by (YYYY-MM-DD, optional): the day the answer is needed; not before today "
        "in your time zone.",
    )


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


# ---- delegation poker -----------------------------------------------------------------------------

PokerState = Literal["picking", "revealed"]
assert set(PokerState.__args__) == {rules.POKER_PICKING, rules.POKER_REVEALED}


class PokerIn(InSchema):
    team_id: int = Field(description="The team whose levels are played.")
    domain_ids: list[int] = Field(min_length=1, max_length=20, description="The decision domains to play.")
    title: str = Field("", max_length=200, description="Empty: “Delegation poker: <team>”.")
    participant_ids: list[int] | None = Field(
        None,
        max_length=50,
        description="People who pick (not agents, not viewers); empty: the team's people. You play too.",
    )
    deadline: datetime | None = Field(
        None, description="The cards turn by themselves then (a session played over days)."
    )


class PokerPickIn(InSchema):
    level: int = Field(ge=1, le=7, description="Your card: 1 tell … 7 delegate. Pick again to change it.")


class PokerLevelIn(InSchema):
    level: int = Field(ge=1, le=7)
    reason: str = Field(
        "", max_length=1000, description="Added to the reason the board keeps (it names the session)."
    )


class PokerCardOut(Schema):
    user_id: int
    name: str
    picked: bool
    level: int | None = Field(description="Null until the cards turn.")


class PokerSpreadOut(Schema):
    counts: dict[str, int] = Field(description="Cards per level, keyed 1 to 7.")
    low: int | None
    high: int | None
    median: float | None
    agreed: bool = Field(description="The cards lie within one level of each other.")


class PokerRowOut(Schema):
    domain_id: int
    domain_name: str
    current_level: int = Field(description="The team's effective level on the board now.")
    current_inherited: bool
    picked: int = Field(description="How many cards are laid on this domain.")
    my_level: int | None = Field(description="Your own card (only you see it before the reveal).")
    cards: list[PokerCardOut]
    spread: PokerSpreadOut | None = Field(description="Null until the cards turn.")
    level_set: int | None = Field(description="The level a leader set on the board from this session.")
    change_id: int | None = Field(description="That change in the board's history.")


class PokerParticipantOut(Schema):
    user_id: int
    name: str
    picked: int = Field(description="Domains this person has picked (never which level, before the reveal).")
    done: bool


class PokerOut(Schema):
    id: int
    title: str
    team_id: int
    state: PokerState = Field(description="revealed also once the deadline passed.")
    revealed_how: str = Field(description="all_picked, leader or deadline; empty while picking.")
    deadline: datetime | None
    revealed_at: datetime | None
    facilitator_id: int | None
    invited: bool = Field(description="Whether you pick in this session.")
    version: str = Field(description="Changes whenever something visible changes: poll it cheaply.")
    participants: list[PokerParticipantOut]
    rows: list[PokerRowOut]


class PokerSummaryOut(Schema):
    id: int
    title: str
    team_id: int
    state: PokerState
    deadline: datetime | None
    created_at: datetime
    invited: bool


def poker_summary_out(row: dict) -> dict:
    """A session of `selectors.poker_list` as `PokerSummaryOut`."""
    s = row["session"]
    return {
        "id": s.pk,
        "title": s.title,
        "team_id": s.team_id,
        "state": rules.POKER_REVEALED if row["revealed"] else rules.POKER_PICKING,
        "deadline": s.deadline,
        "created_at": s.created_at,
        "invited": row["invited"],
    }


def poker_out(view) -> dict:
    """A session as `PokerOut`, from the read that already hid what the reader may not see."""
    s = view.session
    rows = []
    for row in view.rows:
        spread = row.spread
        rows.append(
            {
                **{k: getattr(row, k) for k in ("domain_id", "domain_name", "current_level", "picked")},
                **{k: getattr(row, k) for k in ("current_inherited", "my_level", "level_set", "change_id")},
                "cards": [vars(c) for c in row.cards],
                "spread": spread
                and {
                    "counts": {str(n): c for n, c in spread.counts.items()},
                    "low": spread.low,
                    "high": spread.high,
                    "median": spread.median,
                    "agreed": spread.agreed,
                },
            }
        )
    return {
        "id": s.pk,
        "title": s.title,
        "team_id": s.team_id,
        "state": rules.POKER_REVEALED if view.revealed else rules.POKER_PICKING,
        "revealed_how": view.revealed_how,
        "deadline": s.deadline,
        "revealed_at": s.revealed_at or (s.deadline if view.revealed else None),
        "facilitator_id": s.facilitator_id,
        "invited": view.invited,
        "version": view.version,
        "participants": view.participants,
        "rows": rows,
    }
