"""Indicators and the leadership profile as pure functions of plain numbers, each with its formula in words.

Every function returns a `Figure` whose `value` is None when there is not enough data: a figure is never
faked, and a missing factor is drawn as missing, never as 0.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median
from typing import NamedTuple

from charter.pulse.rules import MIN_GROUP

ON_TRACK, AT_RISK, OFF_TRACK, STALE, NO_STATUS = "on_track", "at_risk", "off_track", "stale", "none"
STATUSES = (ON_TRACK, AT_RISK, OFF_TRACK, STALE, NO_STATUS)
STATUS_WORDS = {NO_STATUS: "no status yet"}

# Reference values the innovation factor is scored against (100 = at or above the reference).
IDEAS_PER_MEMBER_REFERENCE = 1.0  # one idea per member per cycle
ADOPTION_REFERENCE = 0.25  # a quarter of the submitted ideas adopted
# Decision latency is scored 100 at a day or less, 0 at two weeks or more, linear in between.
LATENCY_GOOD_HOURS, LATENCY_BAD_HOURS = 24.0, 336.0
MIN_SATISFACTION_RESPONDENTS = 5
MAX_LEVEL = 7
TEAM_DECIDES_FROM_LEVEL = 5  # levels 5-7: the team decides itself (advise, inquire, delegate)

FOCUS, ENGAGEMENT, DECISIONS, INNOVATION, SATISFACTION = (
    "focus",
    "engagement",
    "decision_making",
    "innovation",
    "satisfaction",
)
FACTORS = (FOCUS, ENGAGEMENT, DECISIONS, INNOVATION, SATISFACTION)
FACTOR_NAMES = {
    FOCUS: "Focus",
    ENGAGEMENT: "Team engagement",
    DECISIONS: "Decision making",
    INNOVATION: "Innovation",
    SATISFACTION: "Job satisfaction",
}
# The source's two poles, as reference profiles drawn beside the measured one. The source describes them
# in words (mission-based: focus on the mission, engaged and empowered teams, ideas flowing, satisfied
# people; micro-management: the opposite on every factor); these numbers only place those words on 0-100.
MISSION_BASED = {FOCUS: 90, ENGAGEMENT: 85, DECISIONS: 85, INNOVATION: 80, SATISFACTION: 85}
MICRO_MANAGEMENT = {FOCUS: 30, ENGAGEMENT: 25, DECISIONS: 15, INNOVATION: 15, SATISFACTION: 30}


@dataclass(frozen=True)
class Figure:
    """One indicator or factor: a value (None: not enough data), its formula and what it was made of."""

    code: str
    label: str
    value: float | None
    formula: str
    unit: str = ""  # "%", "h", "per member", "" for a count or a 0-100 score
    detail: str = ""  # the inputs in words ("7 of 10 graded goals")
    parts: dict = field(default_factory=dict)

    @property
    def enough(self) -> bool:
        return self.value is not None


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _mean(values) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


# ---- indicators ------------------------------------------------------------------------------------


def attainment_rate(grades: list[float], mark: float) -> Figure:
    hits = sum(1 for g in grades if g >= mark)
    return Figure(
        "attainment_rate",
        "Goal attainment rate",
        _pct(_share(hits, len(grades))),
        f"Graded goals with a grade at or above the attainment mark ({mark:g}) ÷ graded goals.",
        "%",
        f"{hits} of {len(grades)} graded goals",
    )


def week_index(day: date, starts_on: date) -> int:
    return (day - starts_on).days // 7


def check_in_participation(
    key_results: list[tuple[date, list[date]]], starts_on: date, today: date
) -> Figure:
    """`key_results`: (the day it is tracked from: its creation, or the start a goals file gave it; the days
    of its check-ins), for the cycle's key results."""
    current = week_index(today, starts_on)
    expected = hits = 0
    for created_on, days in key_results:
        first = max(0, week_index(created_on, starts_on))
        weeks = set(range(first, current + 1))
        expected += len(weeks)
        hits += len(weeks & {week_index(d, starts_on) for d in days})
    return participation(hits, expected)


def participation(hits: int, expected: int) -> Figure:
    """Check-in participation from its counts (`insights.inputs.check_in_weeks` counts them in SQL)."""
    return Figure(
        "check_in_participation",
        "Check-in participation",
        _pct(_share(hits, expected)),
        "Key-result weeks of the cycle so far (from the key result's creation, or the date a goals file "
        "says it was tracked from) that got at least one check-in ÷ key-result weeks expected.",
        "%",
        f"{hits} of {_count(expected, 'key-result week')}",
        {"hits": hits, "expected": expected},
    )


def status_distribution(statuses: list[str]) -> Figure:
    counts = {s: statuses.count(s) for s in STATUSES}
    return Figure(
        "status_distribution",
        "Goals on track",
        _pct(_share(counts[ON_TRACK], len(statuses))),
        "Goals of the cycle by status (on track, at risk, off track, stale, no status yet: nothing "
        "checked in); the figure is the share on track.",
        "%",
        ", ".join(
            f"{n} {'no status yet' if s == NO_STATUS else s.replace('_', ' ')}" for s, n in counts.items()
        ),
        counts,
    )


class Wait(NamedTuple):
    """A decision as its latency sees it."""

    proposed_at: datetime
    decided_at: datetime | None
    waiting: bool  # proposed or escalated, not decided yet
    leader_alone: bool  # a leader (or someone above the team) recorded it decided at once: no one waited


def decision_waits(decisions: list[Wait], now: datetime) -> list[float]:
    """Hours each decision waited for its decision: a decided one from proposed to decided, a waiting one
    (proposed or escalated) from proposed to `now` (its age so far; the caller bounds `now` by the cycle's
    end); a leader's decision taken alone is no wait (it counts against the team's share within authority
    instead), and a withdrawn one (neither waiting nor decided) is left out."""
    hours = []
    for d in decisions:
        if d.decided_at is not None and not d.leader_alone:
            hours.append(hours_between(d.proposed_at, d.decided_at))
        elif d.decided_at is None and d.waiting:
            hours.append(max(0.0, hours_between(d.proposed_at, now)))
    return hours


def decision_latency(hours: list[float], waiting: int = 0) -> Figure:
    """`hours`: `decision_waits`; `waiting`: how many of them are still waiting."""
    decided = len(hours) - waiting
    return Figure(
        "decision_latency",
        "Decision latency",
        round(median(hours), 1) if hours else None,
        "Median hours from proposed to decided, over the decisions of the cycle: decided ones to their "
        "decision, proposed and escalated ones still waiting at their age so far (up to the cycle's end). "
        "A decision a leader took alone at once is not counted as a fast one (no one waited: it counts "
        "against the share decided within the team's authority); withdrawn ones are left out.",
        "h",
        _count(decided, "decided decision") + (f", {waiting} still waiting" if waiting else ""),
    )


def escalation_rate(escalated: list[bool]) -> Figure:
    hits = sum(escalated)
    return Figure(
        "escalation_rate",
        "Escalation rate",
        _pct(_share(hits, len(escalated))),
        "Decisions of the cycle that were escalated ÷ decisions recorded in the cycle.",
        "%",
        f"{hits} of {len(escalated)} decisions",
        {"escalated": hits, "decisions": len(escalated)},
    )


def back_brief_confirmation_time(hours: list[float]) -> Figure:
    return Figure(
        "back_brief_confirmation_time",
        "Back-brief confirmation time",
        round(median(hours), 1) if hours else None,
        "Median hours from requested to confirmed, over the back-briefs of the cycle that were confirmed.",
        "h",
        f"{len(hours)} confirmed back-briefs",
    )


def back_brief_confirmed_share(confirmed: int, total: int) -> Figure:
    return Figure(
        "back_brief_confirmed_share",
        "Back-briefs confirmed",
        _pct(_share(confirmed, total)),
        "Back-briefs requested in the cycle that are confirmed ÷ back-briefs requested in the cycle.",
        "%",
        f"{confirmed} of {_count(total, 'back-brief')}",
        {"confirmed": confirmed, "total": total},
    )


def ideas_per_member(count: int, members: int, *, adopted: bool = False) -> Figure:
    what = "adopted" if adopted else "submitted"
    return Figure(
        f"ideas_{what}_per_member",
        f"Ideas {what} per member",
        round(count / members, 2) if members else None,
        f"Ideas {what} in the cycle (by members of the team) ÷ members.",
        "per member",
        f"{_count(count, 'idea')}, {_count(members, 'member')}",
        {"count": count, "members": members},
    )


def pulse_figure(code: str, label: str, value: float | None, enough: bool, respondents: int) -> Figure:
    return Figure(
        code,
        label,
        round(value, 1) if enough and value is not None else None,
        f"{label} from the pulse answers of the cycle (0-100), shown from {MIN_SATISFACTION_RESPONDENTS} "
        "respondents.",
        "",
        _count(respondents, "respondent"),
    )


def hours_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


# ---- the leadership profile ------------------------------------------------------------------------


def _factor(code: str, value: float | None, formula: str, detail: str, parts: dict | None = None) -> Figure:
    value = None if value is None else round(value, 1)
    return Figure(code, FACTOR_NAMES[code], value, formula, "", detail, parts or {})


def focus(aligned: int, with_intent: int, goals: int, outcomes: int = 0, key_results: int = 0) -> Figure:
    """`outcomes`: key results of those goals that measure an outcome, not a task (`goals.rules.is_task_like`)
    of `key_results`; without key results that part is left out."""
    aligned_share, intent_share = _share(aligned, goals), _share(with_intent, goals)
    outcome_share = _share(outcomes, key_results)
    value = None if not goals else 100 * _mean([aligned_share, intent_share, outcome_share])
    return _factor(
        FOCUS,
        value,
        "Mean of (goals aligned through their parents to a strategic goal ÷ goals), (goals with a "
        "complete intent: purpose and end state ÷ goals) and (key results that measure an outcome ÷ key "
        "results; a task such as “Implement …” or “Launch …” with no number, "
        "lint's CH003, is not one; left out without key results), × 100.",
        f"{aligned} of {_count(goals, 'goal')} aligned, {with_intent} with a complete intent, "
        f"{outcomes} of {_count(key_results, 'key result')} outcomes",
    )


def engagement(participation: float | None, pulse_engagement: float | None) -> Figure:
    """`participation` in %, `pulse_engagement` 0-100; either may be missing."""
    return _factor(
        ENGAGEMENT,
        _mean([participation, pulse_engagement]),
        "Mean of check-in participation (%) and pulse engagement (0-100), over those with enough data.",
        f"participation {_text(participation)}, pulse engagement {_text(pulse_engagement)}",
    )


def latency_score(hours: float | None) -> float | None:
    if hours is None:
        return None
    span = LATENCY_BAD_HOURS - LATENCY_GOOD_HOURS
    return 100 * min(1.0, max(0.0, (LATENCY_BAD_HOURS - hours) / span))


def decision_making(within_authority: int, decisions: int, mean_level: float | None, latency: float | None):
    """Not enough data without decisions in the cycle: levels alone say what is allowed, not what is done."""
    authority_share = _share(within_authority, decisions)
    parts = [
        None if authority_share is None else 100 * authority_share,
        None if mean_level is None else 100 * mean_level / MAX_LEVEL,
        latency_score(latency),
    ]
    return _factor(
        DECISIONS,
        _mean(parts) if decisions else None,
        "Mean of (decisions taken by the team within its authority, not escalated ÷ decisions) × 100, "
        f"(mean delegation level ÷ {MAX_LEVEL}) × 100 and the latency score (100 at "
        f"{LATENCY_GOOD_HOURS:g} h or less, 0 at {LATENCY_BAD_HOURS:g} h or more).",
        f"{within_authority} of {_count(decisions, 'decision')} within authority, mean level "
        f"{_text(mean_level)}, latency {hours_text(latency)}",
        {"within_authority": within_authority, "decisions": decisions},
    )


def innovation(submitted: int, adopted: int, members: int) -> Figure:
    per_member = submitted / members if members else None
    parts = [
        None if per_member is None else 100 * min(1.0, per_member / IDEAS_PER_MEMBER_REFERENCE),
        100 * min(1.0, adopted / submitted / ADOPTION_REFERENCE) if submitted else (0.0 if members else None),
    ]
    return _factor(
        INNOVATION,
        _mean(parts) if members else None,
        f"Mean of (ideas per member ÷ {IDEAS_PER_MEMBER_REFERENCE:g}) and (adopted ÷ submitted ÷ "
        f"{ADOPTION_REFERENCE:g}), each capped at 1, × 100.",
        f"{_count(submitted, 'idea')} submitted, {adopted} adopted, {_count(members, 'member')}",
    )


def satisfaction(value: float | None, respondents: int) -> Figure:
    enough = respondents >= MIN_SATISFACTION_RESPONDENTS and value is not None
    return _factor(
        SATISFACTION,
        value if enough else None,
        f"Pulse satisfaction (0-100), only with {MIN_SATISFACTION_RESPONDENTS} respondents or more.",
        _count(respondents, "respondent"),
    )


def _text(value) -> str:
    return "not enough data" if value is None else f"{value:g}"


def _count(n: int, noun: str) -> str:
    """ "1 member", "2 members", "0 members"."""
    return f"{n} {noun if n == 1 else noun + 's'}"


def hours_text(hours: float | None) -> str:
    """A duration given in hours, in words: "not enough data" without one, minutes under an hour (a
    decision taken the same day is not "0 h"), else hours."""
    if hours is None:
        return "not enough data"
    if hours < 1:
        minutes = round(hours * 60)
        return "under an hour" if minutes < 1 else f"{minutes} min"
    return f"{hours:g} h"


# ---- the transition over time ----------------------------------------------------------------------

# A figure of what each member does (check-ins, ideas) is hidden for a team of fewer people than the
# pulse shows results for: with four people, a low participation points at one of them.
TRANSITION_MIN_PEOPLE = MIN_GROUP
TEAM_LEVEL, ESCALATED, ADVICE_ACCEPTED, BRIEFS_CONFIRMED, PARTICIPATION, IDEAS_ADOPTED = (
    "team_level_share",
    "escalated_share",
    "advice_accepted_share",
    "back_briefs_confirmed_share",
    "check_in_participation",
    "ideas_adopted",
)
TRANSITION_CODES = (TEAM_LEVEL, ESCALATED, ADVICE_ACCEPTED, BRIEFS_CONFIRMED, PARTICIPATION, IDEAS_ADOPTED)
# What members each do: hidden below the threshold; so are the profile's factors built from them.
PERSONAL = frozenset({PARTICIPATION, IDEAS_ADOPTED})
PERSONAL_FACTORS = frozenset({ENGAGEMENT, INNOVATION})
# Which way is progress toward mission-based leadership; a change smaller than STEADY is no change.
HIGHER_IS_BETTER = {
    TEAM_LEVEL: True,
    ESCALATED: False,
    ADVICE_ACCEPTED: True,
    BRIEFS_CONFIRMED: True,
    PARTICIPATION: True,
    IDEAS_ADOPTED: True,
    **dict.fromkeys(FACTORS, True),
}
STEADY = 1.0


@dataclass(frozen=True)
class TransitionCounts:
    """What one team (with its sub-teams) did in one cycle, as plain counts."""

    people: int  # distinct people of the team and its sub-teams
    decisions: int = 0  # decisions recorded in the cycle
    team_level: int = 0  # of them, decided by the team within its authority, not escalated
    escalated: int = 0  # of them, escalated
    advice_accepted: int = 0  # delegation advice answered in the cycle: accepted
    advice_dismissed: int = 0  # ... and dismissed
    briefs: int = 0  # back-briefs requested in the cycle
    briefs_confirmed: int = 0  # of them, confirmed
    check_in_hits: int = 0  # key-result weeks with a check-in
    check_in_expected: int = 0  # key-result weeks expected
    ideas_submitted: int = 0  # ideas by the team's people submitted in the cycle
    ideas_adopted: int = 0  # ideas by the team's people adopted in the cycle


def hidden_reason(people: int, min_people: int = TRANSITION_MIN_PEOPLE) -> str:
    """Why a figure of what each member does is hidden ("" when it is shown)."""
    if people >= min_people:
        return ""
    counted = "1 person" if people == 1 else f"{people} people"
    return f"hidden: fewer than {min_people} people ({counted}), a figure could point at one person"


def _hidden(figure: Figure, reason: str) -> Figure:
    return Figure(figure.code, figure.label, None, figure.formula, figure.unit, reason, {"hidden": True})


def transition_figures(c: TransitionCounts, min_people: int = TRANSITION_MIN_PEOPLE) -> list[Figure]:
    """The transition's figures of one team and cycle; a figure of what each member does is hidden (value
    None, `parts["hidden"]`, the reason as its detail) when the team has fewer than `min_people` people."""
    answered = c.advice_accepted + c.advice_dismissed
    figures = [
        Figure(
            TEAM_LEVEL,
            "Decided at team level",
            _pct(_share(c.team_level, c.decisions)),
            "Decisions of the cycle the team took itself, within its authority (a member or lead, at "
            f"level {TEAM_DECIDES_FROM_LEVEL} or above, not escalated) ÷ decisions recorded in the cycle.",
            "%",
            f"{c.team_level} of {_count(c.decisions, 'decision')}",
        ),
        Figure(
            ESCALATED,
            "Escalated",
            _pct(_share(c.escalated, c.decisions)),
            "Decisions of the cycle that were escalated ÷ decisions recorded in the cycle.",
            "%",
            f"{c.escalated} of {_count(c.decisions, 'decision')}",
        ),
        Figure(
            ADVICE_ACCEPTED,
            "Delegation advice accepted",
            _pct(_share(c.advice_accepted, answered)),
            "Delegation advice for the team answered in the cycle that was accepted (the level changed) ÷ "
            "advice answered (accepted or dismissed).",
            "%",
            f"{c.advice_accepted} of {answered} answered",
        ),
        Figure(
            BRIEFS_CONFIRMED,
            "Back-briefs confirmed",
            _pct(_share(c.briefs_confirmed, c.briefs)),
            "Back-briefs the team was asked for in the cycle that are confirmed ÷ back-briefs asked for.",
            "%",
            f"{c.briefs_confirmed} of {_count(c.briefs, 'back-brief')}",
        ),
        Figure(
            PARTICIPATION,
            "Check-in participation",
            _pct(_share(c.check_in_hits, c.check_in_expected)),
            "Key-result weeks of the cycle so far with at least one check-in ÷ key-result weeks expected "
            "(each key result from the week it is tracked from).",
            "%",
            f"{c.check_in_hits} of {_count(c.check_in_expected, 'key-result week')}",
        ),
        Figure(
            IDEAS_ADOPTED,
            "Ideas adopted",
            float(c.ideas_adopted) if c.people else None,
            "Ideas by the team's people adopted in the cycle (a count; beside it, the ideas they submitted).",
            "",
            f"{_count(c.ideas_adopted, 'idea')} adopted, {c.ideas_submitted} submitted",
        ),
    ]
    reason = hidden_reason(c.people, min_people)
    return [_hidden(f, reason) if reason and f.code in PERSONAL else f for f in figures]


def transition_factors(
    factors: list[Figure], people: int, min_people: int = TRANSITION_MIN_PEOPLE
) -> list[Figure]:
    """The profile's factors beside the transition: those built from what each member does (engagement,
    innovation) hidden as the figures are; satisfaction keeps the pulse's own threshold."""
    reason = hidden_reason(people, min_people)
    return [_hidden(f, reason) if reason and f.code in PERSONAL_FACTORS else f for f in factors]


@dataclass(frozen=True)
class Trend:
    """How a figure moved since the cycle before: a direction, an arrow and the words for it."""

    direction: str  # "up", "down", "steady", "none" (no figure on one side)
    arrow: str
    words: str
    reading: str = ""  # "progress", "resistance" or "" (steady, or nothing to compare)


def trend(previous: Figure | None, current: Figure) -> Trend:
    """The change from `previous` (the same figure a cycle earlier) to `current`. A change under
    STEADY (points for a share or a score, ideas for a count) is steady; up is progress when a higher
    value is better (the escalated share: the other way round)."""
    if previous is None or previous.value is None or current.value is None:
        return Trend("none", "", "no earlier figure to compare")
    delta = round(current.value - previous.value, 1)
    unit = "points" if current.unit == "%" or current.code in FACTORS else ""
    if abs(delta) < STEADY:
        return Trend("steady", "→", "steady")
    better = (delta > 0) == HIGHER_IS_BETTER.get(current.code, True)
    amount = f"{abs(delta):g} {unit}".strip() if unit else f"{abs(delta):g}"
    reading = "progress" if better else "resistance"
    if delta > 0:
        return Trend("up", "↑", f"up {amount}: {reading}", reading)
    return Trend("down", "↓", f"down {amount}: {reading}", reading)
