"""Indicators and the leadership profile as pure functions of plain numbers, each with its formula in words.

Every function returns a `Figure` whose `value` is None when there is not enough data: a figure is never
faked, and a missing factor is drawn as missing, never as 0.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median
from typing import NamedTuple

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


def _factor(code: str, value: float | None, formula: str, detail: str) -> Figure:
    return Figure(code, FACTOR_NAMES[code], None if value is None else round(value, 1), formula, "", detail)


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
