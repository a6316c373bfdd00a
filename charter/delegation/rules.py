"""Delegation rules as pure functions: the seven levels, inheritance, relations, and what a record becomes.

The input of every rule is (level, relation): the same for people and agents, so the decision service
is the one place that enforces authority, whatever interface calls it.
"""

from dataclasses import dataclass, replace

PROPOSED, DECIDED, ESCALATED, SUPERSEDED = "proposed", "decided", "escalated", "superseded"
WITHDRAWN = "withdrawn"

# The recorder's relation to the decision's team. Only the team tree counts, never an organization role:
# the team is T's members; its leader chain is T's leads, then each ancestor team's leads, up to the root.
MEMBER, LEAD, LEADER_ABOVE, OUTSIDER = "member", "lead", "leader_above", "outsider"
RELATIONS = (MEMBER, LEAD, LEADER_ABOVE, OUTSIDER)
# Above the root team's leads stand the organization's owners (ADR 17): they are addressed when nobody
# in the chain is left, and answer only what is addressed to them. Owners and admins may act for someone
# in a team's leader chain, explicitly ("act for"), never by their role alone.
TOP_ROLE = "owner"
ACT_FOR_ROLES = frozenset({"owner", "admin"})

# What an open record waits for; the prefix says which side must act.
LEADER_DECISION, LEADER_AGREEMENT, LEADER_ADVICE = "leader_decision", "leader_agreement", "leader_advice"
TEAM_AGREEMENT, TEAM_DECISION = "team_agreement", "team_decision"
AWAITING_WORDS = {
    LEADER_DECISION: "the leader's decision",
    LEADER_AGREEMENT: "the leader's agreement",
    LEADER_ADVICE: "the leader's advice",
    TEAM_AGREEMENT: "the team's agreement",
    TEAM_DECISION: "the team's decision",
}

# Responses to an open record; withdraw is the proposer's own.
AGREE, ADVISE, DECIDE, ESCALATE, WITHDRAW = "agree", "advise", "decide", "escalate", "withdraw"
RESPONSES = (AGREE, ADVISE, DECIDE, ESCALATE, WITHDRAW)

NEEDS_YOU, TOLD, DECIDED_EVENT = "decision.needs_you", "decision.told", "decision.decided"
DEFAULT_LEVEL = 1


@dataclass(frozen=True)
class Level:
    """One of Management 3.0's seven delegation levels, in words for the team and the leader."""

    number: int
    code: str
    summary: str
    for_team: str
    for_leader: str
    in_words: str  # "what may my team decide", addressed to the team

    @property
    def name(self) -> str:
        return self.code.capitalize()

    @property
    def label(self) -> str:
        return f"{self.number} ({self.code})"


LEVELS = {
    1: Level(1, "tell", "The leader decides and tells the team.",
             "You are told the decision and may ask why.",
             "You decide alone and announce it.",
             "Your leader decides and tells you."),
    2: Level(2, "sell", "The leader decides and explains why, to win the team over.",
             "You hear the decision with its reasons; you are asked to buy in.",
             "You decide, then explain and convince.",
             "Your leader decides and explains why."),
    3: Level(3, "consult", "The leader asks the team's input, then decides.",
             "You give your input (record it as a proposal); the leader weighs it and decides.",
             "You ask the team before deciding, then decide.",
             "Your leader decides after hearing you: propose, and your input is recorded."),
    4: Level(4, "agree", "The leader and the team decide together; both must agree.",
             "You propose or agree; nothing is decided until both sides agree.",
             "You negotiate with the team; your agreement is needed, and so is theirs.",
             "You and your leader decide together: both must agree."),
    5: Level(5, "advise", "The team decides after asking the leader's advice.",
             "You ask your leader's advice, weigh it, then decide yourselves.",
             "You give advice when asked; the team decides, also against it.",
             "You decide after asking your leader's advice."),
    6: Level(6, "inquire", "The team decides; the leader is told afterwards.",
             "You decide, then tell your leader what you decided.",
             "You learn of the decision afterwards and may ask about it.",
             "You decide, then tell your leader."),
    7: Level(7, "delegate", "The team decides; the leader need not be told.",
             "You decide on your own; telling anyone is up to you.",
             "You leave it to the team entirely.",
             "You decide on your own."),
}  # fmt: skip


def level_of(number: int) -> Level:
    if number not in LEVELS:
        raise ValueError(f"A delegation level is 1 to 7, not {number!r}.")
    return LEVELS[number]


# ---- delegation poker -----------------------------------------------------------------------------

POKER_PICKING, POKER_REVEALED = "picking", "revealed"
# Why the cards turned: every participant picked every domain, a leader turned them, the deadline passed.
REVEAL_ALL_PICKED, REVEAL_LEADER, REVEAL_DEADLINE = "all_picked", "leader", "deadline"
REVEAL_WORDS = {
    REVEAL_ALL_PICKED: "everyone had picked",
    REVEAL_LEADER: "a leader turned the cards",
    REVEAL_DEADLINE: "the deadline passed",
}


def poker_revealed(state: str, deadline, now) -> bool:
    """Whether a session's cards are turned: revealed, or picking past its deadline (the deadline turns
    them even before anyone writes it down: every read and write asks this rule)."""
    return state == POKER_REVEALED or (deadline is not None and now >= deadline)


def poker_all_picked(participants: int, items: int, picks: int) -> bool:
    """Every participant has a card on every domain (picks are unique per person and domain)."""
    return participants > 0 and items > 0 and picks >= participants * items


@dataclass(frozen=True)
class Spread:
    """The turned cards of one domain: how many of each level, the range and the median."""

    counts: dict[int, int]
    low: int | None
    high: int | None
    median: float | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def width(self) -> int:
        """How many levels apart the highest and the lowest card are."""
        return 0 if self.low is None else self.high - self.low

    @property
    def agreed(self) -> bool:
        """The cards lie within one level of each other: little to discuss."""
        return self.low is not None and self.high - self.low <= 1

    @property
    def suggestion(self) -> int | None:
        """The median rounded down (to the level that keeps more with the leader): a starting point only."""
        return None if self.median is None else int(self.median)


def spread(levels: list[int]) -> Spread:
    """The spread of the picks of one domain."""
    counts = dict.fromkeys(LEVELS, 0)
    for level in levels:
        counts[level] += 1
    ordered = sorted(levels)
    if not ordered:
        return Spread(counts, None, None, None)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return Spread(counts, ordered[0], ordered[-1], median)


# ---- inheritance ----------------------------------------------------------------------------------


def effective_level(
    team_id: int, domain_id: int, parent_of: dict[int, int | None], set_levels: dict[tuple[int, int], int]
) -> tuple[int, int | None]:
    """(level, team it was set on) for a team and domain: its own, else the nearest ancestor's, else
    the default (level 1, source None). `parent_of` maps every team to its parent."""
    node, seen = team_id, set()
    while node is not None and node not in seen:
        if (node, domain_id) in set_levels:
            return set_levels[(node, domain_id)], node
        seen.add(node)
        node = parent_of.get(node)
    return DEFAULT_LEVEL, None


def ancestors(team_id: int, parent_of: dict[int, int | None]) -> list[int]:
    """The team itself, then its parent, up to the root."""
    chain, node = [], team_id
    while node is not None and node not in chain:
        chain.append(node)
        node = parent_of.get(node)
    return chain


# ---- who the actor is to the team, and who the right leader is ------------------------------------


def relation_of(*, user_id: int, is_member: bool, lead_chain: list[set[int]], top=()) -> str:
    """`lead_chain[0]` holds the team's leads, then its parent's, up to the root; `top` the owners.

    The team's lead first; a lead with nobody above (no lead up the chain, no other owner) is the top
    of the tree and leads the team as a leader above would. Then a leader above (lead of an ancestor
    team); a plain member; anyone else is an outsider with no authority in this team's domains,
    whatever their organization role.
    """
    if lead_chain and user_id in lead_chain[0]:
        above = [u for leads in lead_chain[1:] for u in leads] + list(top)
        return LEAD if any(u != user_id for u in above) else LEADER_ABOVE
    if any(user_id in leads for leads in lead_chain[1:]):
        return LEADER_ABOVE
    return MEMBER if is_member else OUTSIDER


def in_leader_chain(user_id: int, lead_chain: list[set[int]]) -> bool:
    """Whether someone leads the team or a team above it: whom an owner or admin may act for."""
    return any(user_id in leads for leads in lead_chain)


def next_leader(
    lead_chain: list[set[int]], top: list[int], *, after: int | None, exclude: set[int]
) -> int | None:
    """The first lead up the chain above `after` (from the team itself when `after` is not in it),
    skipping `exclude`; else an owner (the top of the tree); None when there is nobody."""
    start = 0
    for i, leads in enumerate(lead_chain):
        if after is not None and after in leads:
            start = i + 1
    if after is not None and after in top and start == 0:
        start = len(lead_chain)  # an owner escalates to another owner, never down the tree
    for leads in lead_chain[start:]:
        for user_id in sorted(leads - exclude):
            return user_id
    return next((u for u in top if u not in exclude), None)


# ---- what a record becomes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What recording a decision does: its status, what it then waits for, who is addressed and told.

    `addressee` is "leader" (the right leader), "team" (the team's lead) or "" (nobody); `notify` is the
    event sent to the addressee. `message` has {domain}, {team} and {leader} to fill in.
    """

    status: str
    awaiting: str = ""
    addressee: str = ""
    notify: str = ""
    consulted: bool = False
    advice_requested: bool = False
    escalated: bool = False
    message: str = ""

    def render(self, *, domain: str, team: str, leader: str) -> str:
        return self.message.format(domain=domain, team=team, leader=leader)


def _prefix(level: int) -> str:
    return f"Level {LEVELS[level].label} for {{domain}}: "


def _team_record(level: int) -> Outcome:
    """A record by the team's member or lead (their authority depends on the level)."""
    p = _prefix(level)
    if level <= 3:
        consulted = level == 3
        tail = ", with the team's input recorded as consulted." if consulted else "."
        return Outcome(
            PROPOSED,
            LEADER_DECISION,
            "leader",
            NEEDS_YOU,
            consulted=consulted,
            message=p
            + "your leader {leader} decides; your record is a proposal addressed to {leader}"
            + tail,
        )
    if level == 4:
        return Outcome(
            PROPOSED,
            LEADER_AGREEMENT,
            "leader",
            NEEDS_YOU,
            message=p
            + "{team} and the leader decide together; your record is proposed until {leader} agrees.",
        )
    if level == 5:
        return Outcome(
            PROPOSED,
            LEADER_ADVICE,
            "leader",
            NEEDS_YOU,
            advice_requested=True,
            message=p + "{team} decides after asking the leader's advice; your record is proposed and "
            "{leader} is asked for advice. Once the advice is in, you can decide.",
        )
    if level == 6:
        return Outcome(
            DECIDED,
            "",
            "leader",
            TOLD,
            message=p + "{team} decides; your decision is recorded as decided and {leader} is told.",
        )
    return Outcome(DECIDED, message=p + "{team} decides; your decision is recorded as decided.")  # fmt: skip


def _leader_record(level: int) -> Outcome:
    """A record by a leader above the team: they decide at 1-3, agree at 4, and only propose at 5-7."""
    p = _prefix(level)
    if level <= 3:
        return Outcome(DECIDED, message=p + "the leader decides; your decision is recorded as decided.")
    if level == 4:
        return Outcome(
            PROPOSED,
            TEAM_AGREEMENT,
            "team",
            NEEDS_YOU,
            message=p + "{team} and the leader decide together; your record is proposed until {team} agrees.",
        )
    return Outcome(
        PROPOSED, TEAM_DECISION, "team", NEEDS_YOU,
        message=p + "{team} decides, not the leader; your record is a proposal to {team}, which decides.",
    )  # fmt: skip


def record_outcome(level: int, relation: str) -> Outcome:
    """What happens when someone with `relation` to the team records a decision at `level`."""
    level_of(level)
    if relation == OUTSIDER:
        return Outcome(
            ESCALATED, LEADER_DECISION, "leader", NEEDS_YOU, escalated=True,
            message=_prefix(level) + "you are neither in {team} nor above it, so its decisions are not "
            "yours to take, whatever your role; your record is an escalation addressed to {leader}, who "
            "decides.",
        )  # fmt: skip
    if relation == LEADER_ABOVE:
        return _leader_record(level)
    if relation in (MEMBER, LEAD):
        return _team_record(level)
    raise ValueError(f"Unknown relation {relation!r}.")


def agent_may_decide(level: int, cap: int) -> bool:
    """An agent decides alone only up to its cap (its own, never above the organization's; 0: it only
    proposes). The cap bounds every step that would make a decision decided: record, agree, decide."""
    return cap > 0 and level <= cap


def agent_capped(outcome: Outcome, level: int, cap: int) -> Outcome:
    """An agent's record that would be decided above its cap becomes a proposal to the right leader."""
    if outcome.status != DECIDED or agent_may_decide(level, cap):
        return outcome
    return Outcome(
        PROPOSED, LEADER_DECISION, "leader", NEEDS_YOU,
        message=f"As an agent you decide alone only up to level {cap}: your record is a proposal for "
        "{leader}.",
    )  # fmt: skip


def supersede_refusal(outcome: Outcome, *, same_team_and_domain: bool) -> str:
    """Why the recorder may not supersede a decision ('' when they may), given what their record in the
    old decision's team and domain would become (`outcome`, agent cap applied).

    Superseding needs the authority to make the old decision: to decide it alone, or to propose its
    replacement in the same team and domain, where it is decided as that level says (only then is
    the old one superseded). An outsider's record there would be an escalation: refused.
    """
    if outcome.status == ESCALATED:
        return (
            "You may not supersede “{title}”: you are neither in {team} nor above it, so its decisions "
            "in {domain} are not yours to take."
        )
    if outcome.status != DECIDED and not same_team_and_domain:
        return (
            "You may not supersede “{title}” from here: at level {level} for {domain}, {team}'s decisions "
            "are not yours to take alone. Record its replacement for {team} in {domain}: it supersedes "
            "“{title}” once decided there."
        )
    return ""


# ---- responses to an open record ------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """The result of a response: refused (with why), or the new status, wait and addressee.

    `addressee`: "up" (the next leader above the current one), "proposer", "current" (the one it was
    addressed to) or "" (nobody). A refusal's message may hold {leader} (who it waits for), {team} and
    {proposer}; an escalation's {next}.
    """

    allowed: bool
    message: str
    status: str = ""
    awaiting: str = ""
    addressee: str = ""
    notify: str = ""


@dataclass(frozen=True)
class Position:
    """Where the responder stands to an open record: their relation to its team (or the relation of
    the one they act for), whether it is addressed to them, whether they recorded it, and, for an
    agent, its cap (None for a person)."""

    relation: str
    is_addressee: bool = False
    is_proposer: bool = False
    agent_cap: int | None = None


def side_of(awaiting: str, relation: str, is_addressee: bool) -> str:
    """Which side the responder is on for this wait: "leader", "team" or "" (neither).

    The addressee answers for the side the record waits for (the lead of a member's proposal, an owner
    at the top); a lead above is on the leader's side, the team's members on the team's; an outsider
    on neither, whatever their role.
    """
    if is_addressee:
        return awaiting.split("_")[0]
    if relation == LEADER_ABOVE:
        return "leader"
    return "team" if relation in (MEMBER, LEAD) else ""


def _refuse(message: str) -> Step:
    return Step(False, message)


def respond_step(action: str, awaiting: str, level: int, position: Position) -> Step:
    """What `action` by someone at `position` does to a record at `level` waiting for `awaiting`."""
    if action not in RESPONSES:
        return _refuse(f"Unknown response {action!r}; one of {', '.join(RESPONSES)}.")
    if not awaiting:
        return _refuse("This decision is closed; record a new one to supersede it.")
    if action == WITHDRAW:
        if not position.is_proposer:
            return _refuse("Only {proposer}, who recorded this decision, may withdraw it.")
        return Step(True, "Withdrawn: it waits for nobody now.", WITHDRAWN, "", "current", TOLD)
    side = side_of(awaiting, position.relation, position.is_addressee)
    words = AWAITING_WORDS[awaiting]
    if not side:
        return _refuse(
            "You are neither in {team} nor above it, so its decisions are not yours to answer, whatever "
            f"your role; it waits for {words} ({{leader}})."
        )
    waited = awaiting.split("_")[0]
    p = f"Level {LEVELS[level].label}: "
    if action == DECIDE and awaiting == LEADER_ADVICE and side == "team":
        return _refuse(p + "the team decides only after the leader's advice; {leader} has not given it yet.")
    if side != waited:
        return _refuse(f"This decision waits for {words} ({{leader}}), not for you.")
    if action == ESCALATE:
        return Step(True, "Escalated to {next}, who decides.", ESCALATED, LEADER_DECISION, "up", NEEDS_YOU)
    step = _forward(action, awaiting, p)
    cap = position.agent_cap
    if step.status == DECIDED and cap is not None and not agent_may_decide(level, cap):
        return _refuse(
            f"As an agent you decide alone only up to level {cap}; this decision is at level "
            f"{LEVELS[level].label}: leave it to a person, or escalate it."
        )
    return step


def _forward(action: str, awaiting: str, p: str) -> Step:
    if awaiting in (LEADER_AGREEMENT, TEAM_AGREEMENT):
        if action == AGREE:
            return Step(True, "Agreed: both sides agree, so it is decided.", DECIDED, notify=DECIDED_EVENT)
        return _refuse(p + "both sides must agree; answer with agree (or escalate).")
    if awaiting == LEADER_ADVICE:
        if action == ADVISE:
            return Step(
                True, "Advice given; the team can now decide.", PROPOSED, TEAM_DECISION, "proposer", NEEDS_YOU
            )
        return _refuse(p + "the team decides, not the leader; give your advice instead.")
    if action != DECIDE:
        words = AWAITING_WORDS[awaiting]
        return _refuse(p + f"this decision waits for {words}; answer with decide (or escalate).")
    return Step(True, "Decided.", DECIDED, notify=DECIDED_EVENT)


# ---- decide by ------------------------------------------------------------------------------------
# A record may name the day its answer is needed (`needed_by`). It must not lie before the recorder's
# today when recorded; once recorded, a day that has passed while the record still waits is overdue.


def needed_by_error(needed_by, today) -> str:
    """Why `needed_by` may not be set on a new record ('' when it may): a day already past."""
    if needed_by is not None and needed_by < today:
        return f"The decide-by day ({needed_by.isoformat()}) is already past; choose today or a later day."
    return ""


def is_overdue(needed_by, is_open: bool, today) -> bool:
    """A record still waiting for an answer after its decide-by day."""
    return bool(is_open and needed_by is not None and needed_by < today)


# ---- delegation advice from the decision history ---------------------------------------------------
#
# What a team × domain's decisions say, turned into advice by stated thresholds (`AdviceThresholds`, each
# organization may change them): raise the level (the leader approves the team's proposals as they are),
# clarify the intent or lower the level (the team's own decisions are superseded, or records escalate,
# again and again), relieve a bottleneck (a leader whose waiting queue and waits stand out). A cell counts
# only the records made at its current level (after a level change the history starts again) and, after
# advice of a kind was dismissed, only the records made since. Too few records: no advice, said so.

RAISE, CLARIFY, BOTTLENECK = "raise", "clarify", "bottleneck"
ADVICE_KINDS = (RAISE, CLARIFY, BOTTLENECK)
ADVICE_NAMES = {
    RAISE: "Raise the level",
    CLARIFY: "Clarify intent or lower the level",
    BOTTLENECK: "Bottleneck",
}
ACCEPTED, DISMISSED = "accepted", "dismissed"
DAY_SECONDS = 86400.0


@dataclass(frozen=True)
class AdviceThresholds:
    """The stated thresholds of the advice rules; an organization overrides any of them."""

    window: int = 15  # a cell reads its last `window` records at its current level
    min_history: int = 8  # fewer records (raise: fewer answered proposals) in the window: no advice
    raise_share: float = 0.8  # approved unchanged / answered proposals, at least: raise by one level
    clarify_share: float = 0.3  # superseded / the team's own decisions, at least: clarify or lower
    clarify_min: int = 3  # ... and at least this many superseded (or escalated) records
    escalate_share: float = 0.4  # escalated / records in the window, at least: clarify or lower
    bottleneck_queue: int = 4  # records waiting for one leader, at least
    bottleneck_wait_days: float = 3.0  # the leader's median wait, at least
    bottleneck_factor: float = 2.0  # ... and at least this many times the other leaders' median
    bottleneck_days: int = 90  # a leader's waits count the records of the last days (and all open ones)


THRESHOLD_WORDS = {
    "window": "Records read per team and domain (the newest, at the current level)",
    "min_history": "Records needed before any advice (raise: answered proposals)",
    "raise_share": "Share of proposals approved unchanged to advise raising the level",
    "clarify_share": "Share of the team's decisions superseded to advise clarifying intent or lowering",
    "clarify_min": "Superseded (or escalated) records needed to advise clarifying",
    "escalate_share": "Share of records escalated to advise clarifying intent or lowering",
    "bottleneck_queue": "Records waiting for one leader to call it a bottleneck",
    "bottleneck_wait_days": "A bottleneck leader's median wait, in days, at least",
    "bottleneck_factor": "... and this many times the other leaders' median wait",
    "bottleneck_days": "Days of answered records a leader's waits read (open ones always count)",
}


def advice_thresholds(overrides: dict | None = None) -> AdviceThresholds:
    """The defaults with an organization's overrides (unknown names are ignored)."""
    defaults = AdviceThresholds()
    known = {
        k: type(getattr(defaults, k))(v)
        for k, v in (overrides or {}).items()
        if k in AdviceThresholds.__dataclass_fields__ and not threshold_errors({k: v})
    }
    return replace(defaults, **known)


def threshold_errors(values: dict) -> dict[str, list[str]]:
    """Why each given threshold is refused (an unknown name, a wrong type, out of range)."""
    errors: dict[str, list[str]] = {}
    defaults = AdviceThresholds()
    for name, value in values.items():
        if name not in AdviceThresholds.__dataclass_fields__:
            errors[name] = [f"There is no advice threshold called {name!r}."]
            continue
        default = getattr(defaults, name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors[name] = ["A number, please."]
        elif isinstance(default, int) and not float(value).is_integer():
            errors[name] = ["A whole number, please."]
        elif name.endswith("_share") and not 0 < value <= 1:
            errors[name] = ["A share between 0 and 1 (0.8 is 80%)."]
        elif value <= 0 or (name == "bottleneck_factor" and value < 1):
            errors[name] = ["Above zero, please (a factor: 1 or more)."]
    return errors


@dataclass(frozen=True)
class RecordFact:
    """One decision record as the advice rules read it (`record_fact` makes it from a stored row)."""

    id: int
    team_id: int
    domain_id: int
    level: int
    relation: str
    status: str
    proposed_at: object  # datetime
    waited: bool = False  # it waited for a leader: a team's proposal, an escalation, an agent's capped record
    decided: bool = False  # it was decided (also when superseded later)
    escalated: bool = False
    answered_at: object = None  # the leader's first answer: advice, agreement, decision, escalation
    answered_by: int | None = None  # the leader who gave it (None: unknown, such as an escalation)
    waiting_for: int | None = None  # open and waiting for this leader's answer now
    superseded_by: str = ""  # the relation of the record that superseded it ("" when not superseded)

    @property
    def team_side(self) -> bool:
        return self.relation in (MEMBER, LEAD)

    @property
    def approved_unchanged(self) -> bool:
        """A team's proposal the leader let through as proposed: decided, never escalated."""
        return self.team_side and self.waited and self.decided and not self.escalated

    @property
    def answered(self) -> bool:
        return self.answered_at is not None or self.status not in (PROPOSED, ESCALATED)

    def wait_days(self, now) -> float | None:
        """Proposed to the leader's first answer, or to now while it waits; None when it never waited."""
        if not self.waited:
            return None
        end = self.answered_at or (now if self.waiting_for else None)
        return (end - self.proposed_at).total_seconds() / DAY_SECONDS if end else None


def record_fact(row: dict) -> RecordFact:
    """A stored decision (a dict of the model's fields, plus `superseded_by`: the relation of the record
    that superseded it) as the rules read it."""
    proposed, decided_at, advised_at = row["proposed_at"], row["decided_at"], row["advised_at"]
    status, relation = row["status"], row["relation"]
    decided = decided_at is not None
    waited = relation != LEADER_ABOVE and (not decided or decided_at > proposed or advised_at is not None)
    answers = []
    if advised_at is not None:
        answers.append((advised_at, row["advised_by_id"]))
    if row["escalated_at"] is not None and row["escalated_at"] > proposed:
        answers.append((row["escalated_at"], None))
    if decided and decided_at > proposed and row["decided_by_id"] != row["recorded_by_id"]:
        answers.append((decided_at, row["decided_by_id"]))
    answered_at, answered_by = min(answers, key=lambda a: a[0]) if answers else (None, None)
    open_for_leader = status in (PROPOSED, ESCALATED) and row["awaiting"].startswith("leader")
    return RecordFact(
        id=row["id"],
        team_id=row["team_id"],
        domain_id=row["domain_id"],
        level=row["level"],
        relation=relation,
        status=status,
        proposed_at=proposed,
        waited=waited,
        decided=decided,
        escalated=bool(row["escalated"]),
        answered_at=answered_at if waited else None,
        answered_by=answered_by if waited else None,
        waiting_for=row["addressed_to_id"] if open_for_leader else None,
        superseded_by=(row.get("superseded_by") or "") if status == SUPERSEDED else "",
    )


def median(values) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def days_text(days: float | None) -> str:
    if days is None:
        return "no wait measured"
    return "1 day" if round(days, 1) == 1 else f"{days:.1f} days"


def window_of(facts, *, team_id: int, domain_id: int, level: int, since=None, size: int) -> list[RecordFact]:
    """The cell's newest `size` records made at `level` (and after `since`, when given), newest first."""
    mine = [
        f
        for f in facts
        if (f.team_id, f.domain_id, f.level) == (team_id, domain_id, level)
        and (since is None or f.proposed_at > since)
    ]
    mine.sort(key=lambda f: (f.proposed_at, f.id), reverse=True)
    return mine[:size]


@dataclass(frozen=True)
class CellHistory:
    """What a team × domain's records in the window say."""

    records: int = 0
    proposals: int = 0  # the team's proposals that waited for a leader and were answered
    approved: int = 0  # ... of them approved unchanged
    median_wait: float | None = None  # days, the team's proposals (answered, or waiting so far)
    team_decisions: int = 0  # decisions the team took itself (or got decided), its own records
    superseded: int = 0  # ... of them superseded since
    reversed: int = 0  # ... of those, superseded by a leader's or an outsider's record
    escalated: int = 0  # records escalated

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def cell_history(window: list[RecordFact], now) -> CellHistory:
    proposals = [f for f in window if f.team_side and f.waited and f.answered and f.status != WITHDRAWN]
    waits = [w for f in window if f.team_side for w in [f.wait_days(now)] if w is not None]
    own = [f for f in window if f.team_side and f.decided]
    superseded = [f for f in own if f.status == SUPERSEDED]
    return CellHistory(
        records=len(window),
        proposals=len(proposals),
        approved=sum(f.approved_unchanged for f in proposals),
        median_wait=median(waits),
        team_decisions=len(own),
        superseded=len(superseded),
        reversed=sum(f.superseded_by in (LEADER_ABOVE, OUTSIDER) for f in superseded),
        escalated=sum(f.escalated for f in window),
    )


@dataclass(frozen=True)
class Advice:
    """One piece of advice for a team × domain: its kind, the level now and the one suggested, the leader
    it is for, and the evidence (`text` with {team}, {domain}, {leader} to fill in; `figures` in numbers)."""

    kind: str
    team_id: int
    domain_id: int
    level: int
    suggested_level: int
    text: str
    figures: dict
    leader_id: int | None = None

    def render(self, *, team: str, domain: str, leader: str = "") -> str:
        return self.text.format(team=team, domain=domain, leader=leader or "the leader")


@dataclass(frozen=True)
class CellVerdict:
    """The advice for one cell, or why there is none (`not_enough`: the plain sentence)."""

    history: CellHistory
    advice: tuple[Advice, ...] = ()
    not_enough: str = ""


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def clarify_reason(h: CellHistory, t: AdviceThresholds) -> str:
    """Why the cell's team should get a clearer intent (or a lower level); '' when nothing says so."""
    if h.superseded >= t.clarify_min and _share(h.superseded, h.team_decisions) >= t.clarify_share:
        by_leader = f" ({h.reversed} reversed by a leader)" if h.reversed else ""
        return f"{h.superseded} of the team's last {h.team_decisions} decisions superseded{by_leader}"
    if h.escalated >= t.clarify_min and _share(h.escalated, h.records) >= t.escalate_share:
        return f"{h.escalated} of the last {h.records} records escalated"
    return ""


def cell_advice(
    window: list[RecordFact], *, team_id: int, domain_id: int, level: int, now, t: AdviceThresholds
) -> CellVerdict:
    """Raise or clarify advice for one cell from its window (`window_of`), or why there is none."""
    h = cell_history(window, now)
    if h.records < t.min_history:
        return CellVerdict(
            h, not_enough=f"Not enough history for advice: {h.records} record(s) at level {level}, "
            f"{t.min_history} needed.",
        )  # fmt: skip
    base = {"team_id": team_id, "domain_id": domain_id, "level": level, "figures": h.as_dict()}
    why = clarify_reason(h, t)
    if why:
        lower = max(level - 1, 1)
        tail = f"clarify the intent, or consider level {lower}" if lower < level else "clarify the intent"
        text = "{domain}, {team}: " + why + f": {tail}."
        return CellVerdict(h, (Advice(CLARIFY, suggested_level=lower, text=text, **base),))
    if level <= 5:
        if h.proposals < t.min_history:
            return CellVerdict(
                h, not_enough=f"Not enough history for advice: {h.proposals} answered proposal(s) at level "
                f"{level}, {t.min_history} needed.",
            )  # fmt: skip
        if _share(h.approved, h.proposals) >= t.raise_share:
            text = (
                "{domain}, {team}: "
                + f"{h.approved} of the last {h.proposals} proposals approved unchanged, median wait "
                + f"{days_text(h.median_wait)}: consider level {level + 1}."
            )
            return CellVerdict(h, (Advice(RAISE, suggested_level=level + 1, text=text, **base),))
    return CellVerdict(h)


@dataclass(frozen=True)
class LeaderLoad:
    """What waits for one leader and how long their answers take."""

    leader_id: int
    queue: int
    median_wait: float | None
    waits: int
    queue_cells: tuple[tuple[tuple[int, int], int], ...]  # ((team, domain), records waiting), most first


def leader_loads(facts, *, now, since) -> dict[int, LeaderLoad]:
    """Per leader: the records waiting for them now, and the waits of the records they answered since
    `since` plus the open ones' ages so far."""
    waits: dict[int, list[float]] = {}
    queues: dict[int, dict[tuple[int, int], int]] = {}
    for f in facts:
        if f.waiting_for is not None:
            cells = queues.setdefault(f.waiting_for, {})
            cells[(f.team_id, f.domain_id)] = cells.get((f.team_id, f.domain_id), 0) + 1
            waits.setdefault(f.waiting_for, []).append(f.wait_days(now))
        elif f.answered_by is not None and f.proposed_at >= since:
            waits.setdefault(f.answered_by, []).append(f.wait_days(now))
    loads = {}
    for leader, values in waits.items():
        cells = sorted(queues.get(leader, {}).items(), key=lambda c: (-c[1], c[0]))
        loads[leader] = LeaderLoad(
            leader, sum(n for _, n in cells), median(v for v in values if v is not None), len(values),
            tuple(cells),
        )  # fmt: skip
    return loads


def bottleneck_advice(
    loads: dict[int, LeaderLoad], *, levels: dict[tuple[int, int], int], t: AdviceThresholds
) -> list[Advice]:
    """A leader whose queue and median wait stand out: advice to raise the level of the cell where most
    of their queue waits (`levels`: each cell's current level), so the team decides without waiting."""
    found = []
    for load in loads.values():
        others = [o.median_wait for o in loads.values() if o.leader_id != load.leader_id and o.median_wait]
        usual = median(others)
        if load.queue < t.bottleneck_queue or load.median_wait is None:
            continue
        if load.median_wait < t.bottleneck_wait_days:
            continue
        if usual is not None and load.median_wait < t.bottleneck_factor * usual:
            continue
        for (team_id, domain_id), waiting in load.queue_cells:
            level = levels.get((team_id, domain_id))
            if level is None or level >= 7:
                continue
            compared = f" (other leaders: {days_text(usual)})" if usual is not None else ""
            text = (
                "{leader}: "
                + f"{load.queue} records waiting, median wait {days_text(load.median_wait)}{compared}; "
                + f"{waiting} of them wait in {{domain}}, {{team}}: consider level {level + 1} there, so "
                + "the team decides without waiting."
            )
            figures = {"queue": load.queue, "median_wait": load.median_wait, "others_median_wait": usual}
            figures |= {"waiting_in_cell": waiting, "waits": load.waits}
            found.append(
                Advice(BOTTLENECK, team_id, domain_id, level, level + 1, text, figures, load.leader_id)
            )
            break
    return found


def usual_leader(window: list[RecordFact]) -> int | None:
    """The leader who answered most of the window's records (the newest on a tie); None: nobody did."""
    counts: dict[int, int] = {}
    for f in window:
        if f.answered_by is not None:
            counts[f.answered_by] = counts.get(f.answered_by, 0) + 1
    return max(counts, key=lambda leader: counts[leader]) if counts else None
