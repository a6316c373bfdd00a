"""Progress and status rules: pure functions, no ORM, the same for web, API and command line."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

INCREASE, DECREASE, RANGE, MILESTONE = "increase", "decrease", "range", "milestone"
ON_TRACK, AT_RISK, OFF_TRACK, STALE = "on_track", "at_risk", "off_track", "stale"
NO_STATUS = "none"  # nothing checked in yet: neither good nor bad news
STATUSES = (ON_TRACK, AT_RISK, OFF_TRACK, STALE, NO_STATUS)
STATUS_LABELS = {
    ON_TRACK: "On track",
    AT_RISK: "At risk",
    OFF_TRACK: "Off track",
    STALE: "Stale",
    NO_STATUS: "No status yet",
}
STATUS_ORDER = [ON_TRACK, AT_RISK, OFF_TRACK]  # worse to the right

# How far progress may trail the time elapsed before a goal is at risk / off track.
AT_RISK_GAP = 0.10
OFF_TRACK_GAP = 0.25
# Confidence (0-10) at or below which a goal is at risk / off track whatever its progress.
AT_RISK_CONFIDENCE = 6
OFF_TRACK_CONFIDENCE = 3


def key_result_progress(
    kind: str,
    start: float | None,
    target: float | None,
    current: float | None,
    target_max: float | None = None,
) -> float:
    """Raw progress of a key result: 0 at the start, 1 at the target; may leave [0, 1].

    Increase and decrease share one formula, (current - start) / (target - start), which is right for
    "lower is better" because both differences change sign. A range counts the share of the distance
    from the start to the range that has been closed; a milestone is done (1) or not (0).
    """
    if current is None:
        current = start
    if kind == MILESTONE:
        return 1.0 if (current or 0) >= 1 else 0.0
    if start is None or target is None or current is None:
        return 0.0
    if kind == RANGE:
        low, high = sorted((target, target_max if target_max is not None else target))

        def distance(value: float) -> float:
            return max(low - value, 0.0, value - high)

        if distance(start) == 0:
            return 1.0 if distance(current) == 0 else 0.0
        return 1.0 - distance(current) / distance(start)
    if target == start:
        reached = current >= target if kind == INCREASE else current <= target
        return 1.0 if reached else 0.0
    return (current - start) / (target - start)


def clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def weighted_progress(parts: Iterable[tuple[float, float]]) -> float:
    """Weighted mean of (progress, weight) pairs, each progress clamped to [0, 1]; 0 when empty."""
    total = weighted = 0.0
    for progress, weight in parts:
        if weight <= 0:
            continue
        total += weight
        weighted += clamp(progress) * weight
    return weighted / total if total else 0.0


def expected_progress(starts_on: date, ends_on: date, today: date) -> float:
    """Share of the cycle elapsed at `today`: 0 before it begins, 1 once it is over."""
    if today <= starts_on:
        return 0.0
    if today >= ends_on:
        return 1.0
    return (today - starts_on).days / max((ends_on - starts_on).days, 1)


@dataclass(frozen=True)
class StatusInputs:
    progress: float
    starts_on: date
    ends_on: date
    confidence: int | None  # the latest confidence, None when never checked in
    last_check_in_at: datetime | None  # the latest check-in on it or below it, None when none yet
    now: datetime
    stale_days: int = 14


def status(inputs: StatusInputs) -> str:
    """No status yet, on track, at risk, off track, or stale.

    No status yet (NO_STATUS): nothing has been checked in yet, neither on the goal's own key results nor
    on any goal below it; a goal without key results and without a child that has a status has none
    either. Its stored `last_check_in_at` (the latest check-in of its key results and children, rolled
    up) is then empty, and that is the whole test: progress or confidence set without a check-in (an
    imported current value) does not give a status, and time alone never does.
    Stale (STALE): it had check-ins, then none for `stale_days` while its cycle runs and it is not done.
    Otherwise the worse of what its progress says against the time elapsed and what its confidence says.
    """
    if inputs.last_check_in_at is None:
        return NO_STATUS
    today = inputs.now.date()
    running = inputs.starts_on <= today <= inputs.ends_on
    quiet = inputs.now - inputs.last_check_in_at > timedelta(days=inputs.stale_days)
    if running and clamp(inputs.progress) < 1.0 and quiet:
        return STALE
    gap = expected_progress(inputs.starts_on, inputs.ends_on, today) - clamp(inputs.progress)
    by_progress = ON_TRACK if gap <= AT_RISK_GAP else AT_RISK if gap <= OFF_TRACK_GAP else OFF_TRACK
    by_confidence = ON_TRACK
    if inputs.confidence is not None:
        if inputs.confidence <= OFF_TRACK_CONFIDENCE:
            by_confidence = OFF_TRACK
        elif inputs.confidence <= AT_RISK_CONFIDENCE:
            by_confidence = AT_RISK
    return max(by_progress, by_confidence, key=STATUS_ORDER.index)


def validate_key_result(kind: str, start, target, target_max) -> dict[str, str]:
    """Field errors for a key result's numbers; empty when they make sense for its kind."""
    if kind == MILESTONE:
        return {}
    errors = {}
    if start is None:
        errors["start"] = "A key result needs a start value (where it stands when the cycle begins)."
    if target is None:
        errors["target"] = "A key result needs a target."
    if errors:
        return errors
    if kind in (INCREASE, DECREASE) and target == start:
        errors["target"] = (
            f"The target equals the start ({start:g}): there is nothing to {kind}. "
            "Set a target above the start to increase, below it to decrease, or use a milestone."
        )
    elif kind == INCREASE and target < start:
        errors["target"] = f"To increase, the target must be above the start ({start:g})."
    elif kind == DECREASE and target > start:
        errors["target"] = f"To decrease, the target must be below the start ({start:g})."
    elif kind == RANGE:
        if target_max is None:
            errors["target_max"] = "A range needs an upper bound."
        elif target_max < target:
            errors["target_max"] = "The upper bound must not be below the lower bound (target)."
    return errors


def quarter_of(day: date) -> tuple[str, date, date]:
    """The calendar quarter holding `day`: its name ("Q1 2027"), first and last day."""
    quarter = (day.month - 1) // 3
    starts_on = date(day.year, 3 * quarter + 1, 1)
    after = date(day.year + 1, 1, 1) if quarter == 3 else date(day.year, 3 * quarter + 4, 1)
    return f"Q{quarter + 1} {day.year}", starts_on, after - timedelta(days=1)


def free_quarter(day: date, taken: Iterable[str]) -> tuple[str, date, date]:
    """The quarter holding `day`, or the first one after it whose name is not `taken` (case aside)."""
    taken = {name.lower() for name in taken}
    for _ in range(8):
        name, starts_on, ends_on = quarter_of(day)
        if name.lower() not in taken:
            break
        day = ends_on + timedelta(days=1)
    return name, starts_on, ends_on


def would_create_cycle(goal_id: int, new_parent_id: int | None, parent_of: dict[int, int | None]) -> bool:
    """True when making `new_parent_id` the parent of `goal_id` would close a loop."""
    node, seen = new_parent_id, set()
    while node is not None and node not in seen:
        if node == goal_id:
            return True
        seen.add(node)
        node = parent_of.get(node)
    return False


# A key result worded as work to do, not an outcome to reach ("Launch the app", "Implement SSO"): lint's
# CH003 flags it, and the leadership profile's Focus counts it against the outcomes.
TASK_VERBS = frozenset(
    {
        "launch", "implement", "build", "create", "migrate", "deliver", "develop", "write", "design",
        "deploy", "ship", "release", "set", "setup", "introduce", "roll", "install", "integrate", "hire",
        "organize", "organise", "run", "complete", "finish", "prepare", "define", "establish", "add",
        "update", "upgrade", "refactor",
    }
)  # fmt: skip
_DIGIT = re.compile(r"\d")


def is_task_like(title: str, kind: str) -> bool:
    """A key result that starts with a task verb and measures nothing: a milestone, or an increase or
    decrease whose title holds no number."""
    words = title.lower().replace("-", " ").split()
    if not words or words[0] not in TASK_VERBS:
        return False
    return kind == MILESTONE or (kind in (INCREASE, DECREASE) and not _DIGIT.search(title))
