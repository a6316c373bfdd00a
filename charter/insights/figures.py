"""Figures insights reads from the reviews (grades, retrospectives) and pulse (survey results) apps."""

from dataclasses import dataclass

from charter.pulse.selectors import pulse_summary
from charter.reviews.selectors import grades_for_cycle, reviews_for_cycle


@dataclass(frozen=True)
class Pulse:
    """What the profile needs of a pulse summary; `enough` False hides every figure."""

    n: int = 0
    engagement: float | None = None
    satisfaction: float | None = None
    enough: bool = False


def _team_ids(scope):
    return sorted(scope.team_ids) if scope.team_ids is not None else None


def pulse(scope) -> Pulse:
    s = pulse_summary(
        organization=scope.actor.organization,
        team_ids=_team_ids(scope),  # the team with its sub-teams: their answers are the team's too
        since=scope.cycle.starts_on,
        until=scope.cycle.ends_on,
    )
    return Pulse(n=s.respondents, engagement=s.engagement, satisfaction=s.satisfaction, enough=s.enough)


def grade_rows(scope) -> list:
    """The cycle's goal grades of the scope (GoalGrade rows with their goals)."""
    org = scope.actor.organization
    return grades_for_cycle(organization=org, cycle_id=scope.cycle.pk, team_ids=_team_ids(scope))


def grades(scope) -> list[float]:
    return [g.grade for g in grade_rows(scope) if g.grade is not None]


def reviews(scope) -> list:
    """The retrospectives submitted for the cycle by the scope's teams."""
    org = scope.actor.organization
    rows = reviews_for_cycle(organization=org, cycle_id=scope.cycle.pk, team_ids=_team_ids(scope))
    return [r for r in rows if r.has_retrospective]
