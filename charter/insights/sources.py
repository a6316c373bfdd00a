"""Figures insights reads from the reviews (grades, retrospectives) and pulse (survey results) apps."""

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Pulse:
    """What the profile needs of a pulse summary; `enough` False hides every figure."""

    n: int = 0
    engagement: float | None = None
    satisfaction: float | None = None
    enough: bool = False


def _selector(module: str, name: str):
    """The sibling app's selector, or None while that app does not provide it yet."""
    try:
        return getattr(import_module(module), name, None)
    except ImportError:
        return None


def pulse(scope) -> Pulse:
    summary_of = _selector("charter.pulse.selectors", "pulse_summary")
    if summary_of is None:
        return Pulse()
    s = summary_of(
        organization=scope.actor.organization,
        team_id=scope.team.pk if scope.team else None,
        since=scope.cycle.starts_on,
        until=scope.cycle.ends_on,
    )
    return Pulse(n=s.respondents, engagement=s.engagement, satisfaction=s.satisfaction, enough=s.enough)


def grade_rows(scope) -> list:
    """The cycle's goal grades of the scope (GoalGrade rows with their goals)."""
    grades_for_cycle = _selector("charter.reviews.selectors", "grades_for_cycle")
    if grades_for_cycle is None:
        return []
    team_ids = sorted(scope.team_ids) if scope.team_ids is not None else None
    return list(
        grades_for_cycle(organization=scope.actor.organization, cycle_id=scope.cycle.pk, team_ids=team_ids)
    )


def grades(scope) -> list[float]:
    return [g.grade for g in grade_rows(scope) if g.grade is not None]


def reviews(scope) -> list:
    reviews_for_cycle = _selector("charter.reviews.selectors", "reviews_for_cycle")
    if reviews_for_cycle is None:
        return []
    team_ids = sorted(scope.team_ids) if scope.team_ids is not None else None
    return list(
        reviews_for_cycle(organization=scope.actor.organization, cycle_id=scope.cycle.pk, team_ids=team_ids)
    )
