"""The cycle review report of a team or the organization, and the indicators as CSV rows."""

import csv
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from charter.core.actor import Actor
from charter.goals.models import KeyResult
from charter.organizations.models import Team

from . import figures, inputs, selectors

CSV_HEADER = ["cycle", "scope", "team_id", "code", "label", "value", "unit", "detail"]


@dataclass
class Report:
    """Everything the report shows: goals with key results and grades, retrospectives, figures."""

    insights: selectors.Insights
    goals: list = field(default_factory=list)  # (goal, key results, grade row or None)
    reviews: list = field(default_factory=list)


def cycle_report(*, actor: Actor, cycle_id: int | None = None, team_id: int | None = None) -> Report:
    cycle, team = selectors.resolve(actor=actor, cycle_id=cycle_id, team_id=team_id)
    if cycle is None:
        return Report(insights=selectors.Insights(cycle=None, team=team))
    scope = inputs.make_scope(actor, cycle, team)
    goals = inputs.goals(scope)
    krs: dict[int, list] = {g.pk: [] for g in goals}
    for kr in KeyResult.objects.for_org(actor.organization).filter(goal_id__in=list(krs)):
        krs[kr.goal_id].append(kr)
    grades = {g.goal_id: g for g in figures.grade_rows(scope)}
    return Report(
        insights=selectors.figures_for(actor, [cycle], team)[0],
        goals=[(g, krs[g.pk], grades.get(g.pk)) for g in goals],
        reviews=figures.reviews(scope),
    )


def report_markdown(report: Report) -> str:
    return render_to_string("insights/report.md", {"report": report, "insights": report.insights})


def indicator_rows(*, actor: Actor, cycle_id: int | None = None) -> list[list]:
    """One row per figure, for the organization and then each team, in one cycle."""
    cycle, _ = selectors.resolve(actor=actor, cycle_id=cycle_id)
    if cycle is None:
        return []
    rows, shared = [], {}
    teams = [None, *Team.objects.for_org(actor.organization).order_by("name")]
    for team in teams:
        result = selectors.figures_for(actor, [cycle], team, shared)[0]
        scope = team.name if team else "Organization"
        for f in result.indicators + result.factors:
            value = "" if f.value is None else f.value
            rows.append(
                [cycle.name, scope, team.pk if team else "", f.code, f.label, value, f.unit, f.detail]
            )
    return rows


def indicators_csv(*, actor: Actor, cycle_id: int | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerows([[_cell(c) for c in row] for row in indicator_rows(actor=actor, cycle_id=cycle_id)])
    return out.getvalue()


def _cell(value):
    """Text a spreadsheet would run as a formula (a team named "=cmd()") is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
