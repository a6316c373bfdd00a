"""Delegation rules as pure functions: the seven levels, inheritance, relations, and what a record becomes.

The input of every rule is (level, relation): the same for people and agents, so the decision service
is the one place that enforces authority, whatever interface calls it.
"""

from dataclasses import dataclass

PROPOSED, DECIDED, ESCALATED, SUPERSEDED = "proposed", "decided", "escalated", "superseded"

# The recorder's relation to the decision's team.
MEMBER, LEAD, LEADER_ABOVE, OUTSIDER = "member", "lead", "leader_above", "outsider"
RELATIONS = (MEMBER, LEAD, LEADER_ABOVE, OUTSIDER)
LEADER_ROLES = frozenset({"owner", "admin", "leader"})

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

# Responses to an open record.
AGREE, ADVISE, DECIDE, ESCALATE = "agree", "advise", "decide", "escalate"
RESPONSES = (AGREE, ADVISE, DECIDE, ESCALATE)

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


def effective_levels(
    parent_of: dict[int, int | None], set_levels: dict[tuple[int, int], int], domain_ids
) -> dict[tuple[int, int], tuple[int, int | None]]:
    return {
        (team_id, domain_id): effective_level(team_id, domain_id, parent_of, set_levels)
        for team_id in parent_of
        for domain_id in domain_ids
    }


def ancestors(team_id: int, parent_of: dict[int, int | None]) -> list[int]:
    """The team itself, then its parent, up to the root."""
    chain, node = [], team_id
    while node is not None and node not in chain:
        chain.append(node)
        node = parent_of.get(node)
    return chain


# ---- who the actor is to the team, and who the right leader is ------------------------------------


def relation_of(*, user_id: int, role: str, is_member: bool, lead_chain: list[set[int]]) -> str:
    """`lead_chain[0]` holds the team's leads, then its parent's, up to the root.

    The team's lead first; then a leader above (lead of an ancestor, or a leader role); a plain member;
    anyone else is an outsider with no authority in this team's domains.
    """
    if lead_chain and user_id in lead_chain[0]:
        return LEAD
    if any(user_id in leads for leads in lead_chain[1:]) or role in LEADER_ROLES:
        return LEADER_ABOVE
    return MEMBER if is_member else OUTSIDER


def next_leader(
    lead_chain: list[set[int]], org_leaders: list[int], *, after: int | None, exclude: set[int]
) -> int | None:
    """The first lead up the chain above `after` (from the team itself when `after` is not in it),
    skipping `exclude`; else an organization leader; None when there is nobody."""
    start = 0
    for i, leads in enumerate(lead_chain):
        if after is not None and after in leads:
            start = i + 1
    if after is not None and after in org_leaders and start == 0:
        start = len(lead_chain)  # an organization leader escalates to another, never down the tree
    for leads in lead_chain[start:]:
        for user_id in sorted(leads - exclude):
            return user_id
    return next((u for u in org_leaders if u not in exclude), None)


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
            message=_prefix(level) + "you are not in {team}, so its decisions are not yours to take; "
            "your record is an escalation addressed to {leader}, who decides.",
        )  # fmt: skip
    if relation == LEADER_ABOVE:
        return _leader_record(level)
    if relation in (MEMBER, LEAD):
        return _team_record(level)
    raise ValueError(f"Unknown relation {relation!r}.")


def agent_may_decide(level: int, cap: int) -> bool:
    """Agents decide alone only up to the organization's cap (0: never, they only propose)."""
    return cap > 0 and level <= cap


def agent_capped(outcome: Outcome, level: int, cap: int, organization: str) -> Outcome:
    """An agent's record that would be decided above the cap becomes a proposal to the right leader."""
    if outcome.status != DECIDED or agent_may_decide(level, cap):
        return outcome
    org = organization.replace("{", "{{").replace("}", "}}")
    return Outcome(
        PROPOSED, LEADER_DECISION, "leader", NEEDS_YOU,
        message=f"Agents of {org} may decide alone up to level {cap}: "
        "your record is a proposal for {leader}.",
    )  # fmt: skip


# ---- responses to an open record ------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """The result of a response: refused (with why), or the new status, wait and addressee.

    `addressee`: "up" (the next leader above the current one), "proposer", or "" (nobody).
    """

    allowed: bool
    message: str
    status: str = ""
    awaiting: str = ""
    addressee: str = ""
    notify: str = ""


def side_of(awaiting: str, relation: str, is_addressee: bool) -> str:
    """Which side the responder is on for this wait: "leader", "team" or "" (neither)."""
    if is_addressee:
        return awaiting.split("_")[0]
    if relation == LEADER_ABOVE:
        return "leader"
    return "team" if relation in (MEMBER, LEAD) else ""


def _refuse(message: str) -> Step:
    return Step(False, message)


def respond_step(action: str, awaiting: str, side: str, level: int) -> Step:
    """What `action` by someone on `side` does to a record waiting for `awaiting`."""
    if action not in RESPONSES:
        return _refuse(f"Unknown response {action!r}; one of {', '.join(RESPONSES)}.")
    if not awaiting:
        return _refuse("This decision is closed; record a new one to supersede it.")
    waited = awaiting.split("_")[0]
    p = f"Level {LEVELS[level].label}: "
    if action == DECIDE and awaiting == LEADER_ADVICE and side == "team":
        return _refuse(p + "the team decides only after the leader's advice; {leader} has not given it yet.")
    if side != waited:
        return _refuse(f"This decision waits for {AWAITING_WORDS[awaiting]} ({{leader}}), not for you.")
    if action == ESCALATE:
        return Step(True, "Escalated to {next}, who decides.", ESCALATED, LEADER_DECISION, "up", NEEDS_YOU)
    return _forward(action, awaiting, p)


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
