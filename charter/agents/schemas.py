"""Schemas of agents, their tokens and the mission brief, shared by the API, the MCP server and the pages."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from charter.core.schemas import InSchema
from charter.delegation.schemas import BoardTeamOut, CellOut, DomainOut, LevelOut
from charter.goals.schemas import GoalOut

Scope = Literal["read", "check_in", "propose", "decide", "comment"]

# ---- the mission brief ----------------------------------------------------------------------------


class BriefActor(Schema):
    id: int
    name: str
    kind: Literal["person", "agent"]
    role: str


class BriefValue(Schema):
    name: str
    meaning: str = ""


class BriefMission(Schema):
    statement: str
    vision: str
    values: list[BriefValue]


class BriefIntent(Schema):
    """One link of the chain of intent: a goal with the why, the end state and the limits."""

    goal_id: int
    title: str
    team: str | None
    purpose: str
    end_state: str
    constraints: str
    freedoms: str


class CheckInBrief(Schema):
    value: float
    confidence: int
    note: str
    author: str
    author_is_agent: bool
    checked_at: datetime


class KeyResultBrief(Schema):
    id: int
    title: str
    kind: str
    unit: str
    start: float | None
    target: float | None
    target_max: float | None
    current: float | None
    progress: float = Field(description="0 at the start, 1 at the target; above 1 when beaten.")
    confidence: int | None
    status: str
    last_check_in_at: datetime | None
    check_ins: list[CheckInBrief] = Field(description="The last five check-ins, newest first.")


class BriefAuthority(Schema):
    """A team's effective level in a decision domain, and what a record by this actor becomes."""

    domain_id: int
    domain: str
    level: int
    level_name: str
    meaning: str = Field(description="The level in words, addressed to the team.")
    inherited_from: str | None = Field(description="The team the level was set on, when inherited.")
    you: Literal["decide", "propose", "escalate"]
    you_in_words: str


class DecisionBrief(Schema):
    id: int
    title: str
    status: str
    level: int
    domain: str
    recorded_by: str
    addressed_to: str | None
    awaiting: str
    proposed_at: datetime
    decided_at: datetime | None


class IdeaBrief(Schema):
    id: int
    title: str
    status: str
    votes: int


class BriefLintWarning(Schema):
    code: str
    severity: str
    message: str
    hint: str


class BriefBackBrief(Schema):
    state: str
    intent: str
    plan: str
    concerns: str
    needs: str
    clarification: str


class GoalBrief(Schema):
    id: int
    title: str
    description: str
    team: str | None
    team_id: int | None
    owner: str
    cycle: str
    status: str
    progress: float
    confidence: int | None
    url: str


class MissionBrief(Schema):
    """Everything an agent (or a person) needs to act on one goal under mission command."""

    organization: str
    actor: BriefActor
    mission: BriefMission
    goal: GoalBrief
    intent_chain: list[BriefIntent] = Field(
        description="From this goal up to the top goal; the mission is above."
    )
    key_results: list[KeyResultBrief]
    authority: list[BriefAuthority]
    agent_decision_cap: int | None = Field(
        description="For an agent: the highest delegation level at which it may decide alone (0: never): "
        "its own cap, never above the organization's."
    )
    recent_decisions: list[DecisionBrief]
    open_proposals: list[DecisionBrief]
    ideas: list[IdeaBrief]
    lint: list[BriefLintWarning]
    back_brief: BriefBackBrief | None


class BriefGoalItem(Schema):
    goal: GoalBrief
    intent_chain: list[BriefIntent]
    key_results: list[KeyResultBrief]


class MyBrief(Schema):
    """All goals of the actor in the current cycle (owned by them or their teams), with their authority."""

    organization: str
    actor: BriefActor
    mission: BriefMission
    cycle: str | None
    goals: list[BriefGoalItem]
    authority: dict[str, list[BriefAuthority]] = Field(description="Per team name: its levels per domain.")
    agent_decision_cap: int | None


CAP_DOC = "Its own cap on deciding alone (0-7, never above the organization's); null: the organization's."

# ---- agents and tokens ----------------------------------------------------------------------------


class AgentIn(InSchema):
    name: str = Field(max_length=150)
    sponsor_id: int = Field(description="The member who answers for the agent.")
    team_id: int
    purpose: str = ""
    decision_cap: int | None = Field(
        None,
        ge=0,
        le=7,
        description=CAP_DOC,
    )


class AgentPatch(InSchema):
    """The fields given change; `decision_cap: null` returns the agent to the organization's cap."""

    name: str = Field(None, max_length=150)
    sponsor_id: int = None
    team_id: int = None
    purpose: str = None
    decision_cap: int | None = Field(
        None,
        ge=0,
        le=7,
        description=CAP_DOC,
    )


class AgentOut(Schema):
    id: int
    name: str
    email: str
    sponsor_id: int
    sponsor: str
    team_id: int
    team: str
    purpose: str
    is_active: bool
    decision_cap: int | None = Field(description="Its own cap (null: the organization's).")
    effective_decision_cap: int = Field(
        description="The highest level at which it decides alone: its own cap, never above the organization's"
    )


class AgentTokenIn(InSchema):
    name: str = Field(max_length=80)
    scopes: list[Scope] = Field(min_length=1)
    days: int | None = Field(default=90, ge=1, le=730, description="Days until it expires; null: never.")


class AgentTokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class AgentTokenCreated(AgentTokenOut):
    token: str = Field(description="Shown once: store it now.")


# ---- a team's board (MCP `get_team_board`) ----------------------------------------------------------


class TeamBoardOut(Schema):
    """One team's row of the delegation board (`GET /delegation-board`) with its goals of the cycle."""

    team: BoardTeamOut
    levels: list[LevelOut]
    domains: list[DomainOut]
    cells: list[CellOut] = Field(description="The team's level in each domain, in the order of `domains`.")
    cycle: str | None = Field(description="The current cycle, whose goals are listed.")
    goals: list[GoalOut]
