"""Pure rules of pulse surveys: default questions, schedule dates, answer checks, the 5-respondent
threshold and the figures (means, distributions, eNPS) computed from counts of answers."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

MIN_GROUP = 5  # results of fewer respondents could point at a person: never shown
MIN_TEAM_SIZE = 5  # an answer keeps its team only when the team is at least this large
MAX_QUESTIONS = 12
ROUND_DAYS = 7  # a round stays open a week at most (less for weekly surveys: until the next)

SCALE5, SCALE10, TEXT = "scale5", "scale10", "text"
RANGES = {SCALE5: (1, 5), SCALE10: (0, 10)}

DEFAULT_QUESTIONS = [
    {"code": "engagement", "text": "I look forward to my work", "kind": SCALE5},
    {"code": "satisfaction", "text": "How likely are you to recommend working here?", "kind": SCALE10},
    {"code": "clarity", "text": "I know how my work serves the mission", "kind": SCALE5},
    {"code": "autonomy", "text": "I can decide how to reach my goals", "kind": SCALE5},
    {"code": "safety", "text": "I can propose ideas without fear", "kind": SCALE5},
]
CODES = {q["code"] for q in DEFAULT_QUESTIONS}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_opening(opens_on: date, recurrence: str) -> date:
    if recurrence == "weekly":
        return opens_on + timedelta(days=7)
    if recurrence == "biweekly":
        return opens_on + timedelta(days=14)
    return add_months(opens_on, 1)


def closes_on(opens_on: date, recurrence: str) -> date:
    """The last day a round takes answers: a week, or until the day before the next round."""
    days = min((next_opening(opens_on, recurrence) - opens_on).days, ROUND_DAYS)
    return opens_on + timedelta(days=days - 1)


def answer_error(kind: str, value, text: str) -> str | None:
    """Why an answer does not fit its question (None when it does). Every question needs an answer."""
    if kind == TEXT:
        return None if text.strip() else "Write a few words (or a dash)."
    low, high = RANGES[kind]
    if value is None or isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return f"Pick a number from {low} to {high}."
    return None


def enough(respondents: int) -> bool:
    return respondents >= MIN_GROUP


def enps(counts: dict[int, int]) -> float | None:
    """Employee Net Promoter Score: % promoters (9-10) minus % detractors (0-6), -100 to 100."""
    total = sum(counts.values())
    if not total:
        return None
    promoters = sum(n for v, n in counts.items() if v >= 9)
    detractors = sum(n for v, n in counts.items() if v <= 6)
    return round(100 * (promoters - detractors) / total, 1)


def mean(counts: dict[int, int]) -> float | None:
    total = sum(counts.values())
    return round(sum(v * n for v, n in counts.items()) / total, 2) if total else None


def scale_to_100(value: float | None, kind: str) -> float | None:
    """A mean on the question's scale mapped to 0-100 (1 → 0 and 5 → 100 on a 1-5 scale)."""
    if value is None:
        return None
    low, high = RANGES[kind]
    return round(100 * (value - low) / (high - low), 1)


def enps_to_100(value: float | None) -> float | None:
    return None if value is None else round((value + 100) / 2, 1)


@dataclass
class QuestionFigures:
    """What a group's answers to one question show: mean, distribution and (0-10 scale) eNPS."""

    kind: str
    count: int = 0
    mean: float | None = None
    enps: float | None = None
    distribution: list[tuple[int, int]] = field(default_factory=list)  # (value, how many), every value


def figures(kind: str, counts: dict[int, int]) -> QuestionFigures:
    if kind == TEXT:
        return QuestionFigures(kind=kind, count=sum(counts.values()))
    low, high = RANGES[kind]
    return QuestionFigures(
        kind=kind,
        count=sum(counts.values()),
        mean=mean(counts),
        enps=enps(counts) if kind == SCALE10 else None,
        distribution=[(v, counts.get(v, 0)) for v in range(low, high + 1)],
    )


def response_rate(respondents: int, audience: int) -> float | None:
    """Share of the people asked who answered; people who joined after the round opened count as asked."""
    audience = max(audience, respondents)
    return round(respondents / audience, 3) if audience else None
