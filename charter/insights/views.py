"""Insights pages: indicators with trends, the leadership profile, the cycle report, the CSV export."""

from django.http import HttpResponse
from django.shortcuts import render

from charter.core.errors import NotFound
from charter.core.http import requires
from charter.goals.selectors import cycle_list
from charter.organizations.selectors import team_picker

from . import links, report, rules, selectors


def _int(params, name) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() else None


def _pickers(request) -> dict:
    actor = request.actor
    team_id = _int(request.GET, "team")
    team = selectors.team_scope(actor=actor, team_id=team_id) if team_id else None
    return {
        "cycles": list(cycle_list(actor=actor)),
        "team_picker": team_picker(
            actor=actor, selected=team.pk if team else None, q=request.GET.get("team_q", "")
        ),
        "team": team,
        "cycle_id": _int(request.GET, "cycle"),
        "team_id": team_id,
    }


def _figures(request, pickers: dict):
    """(the figures of the chosen cycle, those of the trend cycles); the cycle and the trend cycles are
    taken from the picker's list, without a query of their own."""
    cycles, cycle_id, team = pickers["cycles"], pickers["cycle_id"], pickers["team"]
    if cycle_id:
        cycle = next((c for c in cycles if c.pk == cycle_id), None)
        if cycle is None:
            raise NotFound("No such cycle.")
    else:
        cycle = selectors.current_cycle(cycles)
    trend_cycles = selectors.trend_cycles(cycles)
    if cycle is None:
        return selectors.Insights(cycle=None, team=team), []
    results = selectors.figures_for(request.actor, [cycle, *trend_cycles], team)
    return results[0], results[1:]


def _query(result) -> str:
    parts = [
        f"cycle={result.cycle.pk}" if result.cycle else "",
        f"team={result.team.pk}" if result.team else "",
    ]
    return "&".join(p for p in parts if p)


def _trend_chart(trend, codes) -> dict:
    return {
        "cycles": [t.cycle.name for t in trend],
        "series": [
            {"name": trend[0].figure(code).label, "values": [t.figure(code).value for t in trend]}
            for code in codes
        ]
        if trend
        else [],
    }


@requires("organization.view")
def insights_page(request):
    pickers = _pickers(request)
    result, trend = _figures(request, pickers)
    percents = [f.code for f in result.indicators if f.unit == "%"]
    context = {
        **pickers,
        "result": result,
        "query": _query(result),
        "indicators": links.with_links(result.indicators, result.cycle, result.team),
        "trend": _trend_chart(trend, percents),
    }
    return render(request, "insights/insights.html", context)


@requires("organization.view")
def profile_page(request):
    pickers = _pickers(request)
    result, trend = _figures(request, pickers)
    chart = {
        "factors": [{"code": c, "name": rules.FACTOR_NAMES[c]} for c in rules.FACTORS],
        "measured": [result.profile.get(c) for c in rules.FACTORS] if result.cycle else [],
        "mission_based": [rules.MISSION_BASED[c] for c in rules.FACTORS],
        "micro_management": [rules.MICRO_MANAGEMENT[c] for c in rules.FACTORS],
        "trend": _trend_chart(trend, rules.FACTORS),
    }
    context = {
        **pickers,
        "result": result,
        "query": _query(result),
        "factors": links.with_links(result.factors, result.cycle, result.team),
        "chart": chart,
    }
    return render(request, "insights/profile.html", context)


@requires("organization.view")
def report_page(request):
    pickers = _pickers(request)
    data = report.cycle_report(actor=request.actor, cycle_id=pickers["cycle_id"], team_id=pickers["team_id"])
    context = {**pickers, "report": data, "result": data.insights, "query": _query(data.insights)}
    return render(request, "insights/report.html", context)


@requires("organization.view")
def report_markdown(request):
    data = report.cycle_report(
        actor=request.actor, cycle_id=_int(request.GET, "cycle"), team_id=_int(request.GET, "team")
    )
    response = HttpResponse(report.report_markdown(data), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cycle-report.md"'
    return response


@requires("organization.view")
def indicators_csv(request):
    body = report.indicators_csv(actor=request.actor, cycle_id=_int(request.GET, "cycle"))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="indicators.csv"'
    return response


CYCLE_CHOICES = (3, 6, 12)


def _lines(row) -> dict:
    """A team's cells turned for a table: each figure (then each factor) a line, each cycle a column."""

    def lines(kind: str) -> list[dict]:
        first = getattr(row.cells[0], kind)
        return [
            {"figure": figure, "cells": [getattr(cell, kind)[i] for cell in row.cells]}
            for i, (figure, _) in enumerate(first)
        ]

    return {"row": row, "figures": lines("figures"), "factors": lines("factors")}


@requires("insights.transition")
def transition_page(request):
    """Owners and admins: the transition per team and cycle (`selectors.transition`)."""
    team_id = _int(request.GET, "team")
    cycles = _int(request.GET, "cycles") or selectors.TREND_CYCLES
    result = selectors.transition(actor=request.actor, team_id=team_id, cycles=cycles)
    context = {
        "result": result,
        "teams": [_lines(row) for row in result.rows],
        "cycle_count": cycles,
        "cycle_choices": CYCLE_CHOICES,
    }
    return render(request, "insights/transition.html", context)
