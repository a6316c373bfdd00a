"""API of insights: indicators, the leadership profile, trends, the CSV export and the report in Markdown."""

from django.http import HttpResponse
from ninja import Router

from charter.core.api import action

from . import report, rules, selectors
from .schemas import InsightsOut, ProfileOut, TransitionOut, transition_out

router = Router(tags=["insights"])
READ = action("organization.view")
TRANSITION = action("insights.transition")


def _out(result: selectors.Insights) -> dict:
    return {
        "cycle_id": result.cycle.pk if result.cycle else None,
        "cycle_name": result.cycle.name if result.cycle else None,
        "team_id": result.team.pk if result.team else None,
        "indicators": result.indicators,
        "factors": result.factors,
    }


@router.get(
    "/insights/indicators", response=InsightsOut, operation_id="insights_indicators", openapi_extra=READ
)
def indicators(request, cycle_id: int | None = None, team_id: int | None = None):
    """Indicators and profile factors of the organization or a team (with its sub-teams) in a cycle."""
    return _out(selectors.insights_for(actor=request.auth, cycle_id=cycle_id, team_id=team_id))


@router.get("/insights/profile", response=ProfileOut, operation_id="insights_profile", openapi_extra=READ)
def profile(request, cycle_id: int | None = None, team_id: int | None = None):
    """The five factors (0-100, None without enough data) beside the two reference profiles."""
    result = selectors.insights_for(actor=request.auth, cycle_id=cycle_id, team_id=team_id)
    return {
        **_out(result),
        "mission_based": rules.MISSION_BASED,
        "micro_management": rules.MICRO_MANAGEMENT,
    }


@router.get(
    "/insights/trends", response=list[InsightsOut], operation_id="insights_trends", openapi_extra=READ
)
def trends(request, team_id: int | None = None):
    """The same figures for each of the last cycles that have started, oldest first."""
    return [_out(r) for r in selectors.trends(actor=request.auth, team_id=team_id)]


@router.get("/insights/indicators.csv", operation_id="insights_csv", openapi_extra=READ)
def indicators_csv(request, cycle_id: int | None = None):
    """The indicators and factors as CSV: one row per figure, for the organization and each team."""
    body = report.indicators_csv(actor=request.auth, cycle_id=cycle_id)
    return HttpResponse(body, content_type="text/csv; charset=utf-8")


@router.get("/insights/report.md", operation_id="insights_report_markdown", openapi_extra=READ)
def report_markdown(request, cycle_id: int | None = None, team_id: int | None = None):
    """The cycle review report in Markdown."""
    data = report.cycle_report(actor=request.auth, cycle_id=cycle_id, team_id=team_id)
    return HttpResponse(report.report_markdown(data), content_type="text/markdown; charset=utf-8")


@router.get(
    "/insights/transition",
    response=TransitionOut,
    operation_id="insights_transition",
    openapi_extra=TRANSITION,
)
def transition(request, team: int | None = None, cycles: int = selectors.TREND_CYCLES):
    """Owners and admins: per team (with its sub-teams) and each of the last `cycles` started cycles (1-12),
    decisions at team level and escalated, delegation advice accepted, back-briefs confirmed, check-in
    participation and ideas adopted, with the five profile factors, each with its trend; figures of what
    each member does are hidden for a team of fewer people than the pulse's threshold."""
    return transition_out(selectors.transition(actor=request.auth, team_id=team, cycles=cycles))
