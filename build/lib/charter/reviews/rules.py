"""Pure rules of cycle reviews: the suggested grade, attainment, when a cycle's review may be written."""

import math

WRITABLE_STATES = ("active", "reviewing")


def suggested_grade(progress: float | None) -> float:
    """The goal's progress clamped to 0..1 and rounded (half up) to one decimal."""
    value = min(max(progress or 0.0, 0.0), 1.0)
    return math.floor(value * 10 + 0.5 + 1e-9) / 10


def attained(grade: float | None, mark: float) -> bool | None:
    """Whether a grade reaches the organization's attainment mark; None while ungraded."""
    if grade is None:
        return None
    return grade >= mark - 1e-9


def lock_reason(cycle_name: str, state: str) -> str | None:
    """Why a cycle's grades, adaptations and retrospectives may not be written now, or None."""
    if state == "closed":
        return f"{cycle_name} is closed: its grades, adaptations and retrospectives are locked."
    if state not in WRITABLE_STATES:
        return f"{cycle_name} is still in planning: there is nothing to review yet."
    return None


def grade_errors(grade) -> list[str]:
    if grade is None:
        return ["Give a grade from 0.0 (nothing achieved) to 1.0 (fully achieved)."]
    if not 0 <= grade <= 1:
        return [f"A grade is from 0.0 to 1.0, not {grade:g}."]
    return []
