"""Lint pages: the findings of a cycle, the settings, and the badges on the goal page and strategy map."""

from collections import defaultdict
from functools import cache
from html import escape  # what django.utils.html.escape calls, without its lazy-string wrapper

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf

from charter.core import panels
from charter.core.http import call_with_form, requires
from charter.core.links import id_url_template
from charter.goals import selectors as goal_selectors

from . import registry, selectors, services
from .forms import LintSettingsForm


def _int(params, name) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() else None


def _grouped(findings, key) -> list[tuple[str, list]]:
    groups = defaultdict(list)
    for finding in findings:
        groups[key(finding)].append(finding)
    return sorted(groups.items())


@requires("organization.view")
def lint_page(request):
    """The findings of a cycle (the current one by default), by rule and by team, with counts."""
    actor = request.actor
    cycles = list(goal_selectors.cycle_list(actor=actor))
    cycle_id = _int(request.GET, "cycle")
    cycle = next((c for c in cycles if c.pk == cycle_id), None) or (
        goal_selectors.cycle_current(actor=actor) if cycles else None
    )
    context = {"cycles": cycles, "cycle": cycle, "findings": []}
    if cycle is not None:
        context["findings"] = selectors.cycle_findings(actor=actor, cycle_id=cycle.pk)["findings"]
    findings = context["findings"]
    context.update(
        counts=registry.severity_counts(findings),
        by_rule=[(registry.RULES[code], items) for code, items in _grouped(findings, lambda f: f.code)],
        by_team=_grouped(findings, lambda f: f.team or "Whole organization"),
    )
    return render(request, "lint/lint_page.html", context)


@requires("lint.configure")
def lint_settings(request):
    rows = selectors.rule_list(actor=request.actor)
    if request.method != "POST":
        return render(request, "lint/settings.html", {"form": LintSettingsForm(rule_rows=rows)})
    form = LintSettingsForm(request.POST, rule_rows=rows)
    if form.is_valid():
        saved = call_with_form(
            form, services.lint_settings_update, actor=request.actor, **form.service_kwargs()
        )
        if saved is not None:
            messages.success(request, "Lint settings saved.")
            return redirect("lint_settings")
    return render(request, "lint/settings.html", {"form": form}, status=422)


# ---- panels ---------------------------------------------------------------------------------------


def _shown(request) -> dict:
    """Findings of the goals linted alone in this request (goal page, prepared map badges), by goal id."""
    return request.__dict__.setdefault("_lint_findings_shown", {})


def _goal_findings(request, goal) -> list:
    """The findings of the goal: prepared with the page's other goals, else from its whole cycle's
    findings computed once per request (a page that did not prepare its badges)."""
    shown, (goal_id, cycle_id) = _shown(request), _id_and_cycle(goal)
    if goal_id in shown:
        return shown[goal_id]
    cache = request.__dict__.setdefault("_lint_findings_by_goal", {})
    if cycle_id not in cache:
        cache[cycle_id] = selectors.findings_of_goals(actor=request.actor, cycle_id=cycle_id)
    return cache[cycle_id].get(goal_id, [])


def _id_and_cycle(goal) -> tuple:
    if isinstance(goal, dict):
        return goal["id"], goal["cycle_id"]
    return goal.pk, goal.cycle_id


def prepare_badges(request, goals) -> None:
    """Batch of slot "goal.badges": lint the goals the page shows, all at once. Rows that hold what the
    rules read (the strategy map's) are linted as given, in one query (settings, owner counts, waiting
    back-briefs); other goals are read again first (five queries a cycle)."""
    if getattr(request, "actor", None) is None:
        return
    by_cycle = defaultdict(list)
    for goal in goals:
        by_cycle[_id_and_cycle(goal)[1]].append(goal)
    shown = _shown(request)
    for cycle_id, some in by_cycle.items():
        ids = [_id_and_cycle(goal)[0] for goal in some]
        if selectors.lintable_rows(some):
            found = selectors.findings_of_rows(actor=request.actor, cycle_id=cycle_id, rows=some)
        else:
            found = selectors.findings_of_goals(actor=request.actor, cycle_id=cycle_id, goal_ids=ids)
        shown.update({goal_id: found.get(goal_id, []) for goal_id in ids})


def goal_panel_read(request) -> dict:
    """Read with the goal (slot "goal.detail"): the settings and cycle-wide facts linting it needs."""
    return selectors.goal_lint_columns(actor=request.actor)


def goal_panel(request, goal) -> str | None:
    """Slot "goal.detail": the goal's findings with their fix hints."""
    if getattr(request, "actor", None) is None:
        return None
    shown = _shown(request)
    if goal.pk not in shown:
        facts = panels.part(request, goal, goal_panel_read)
        shown[goal.pk] = selectors.findings_of_goal(actor=request.actor, goal=goal, facts=facts)
    findings = shown[goal.pk]
    return render_to_string("lint/_goal_panel.html", {"goal": goal, "findings": findings}, request=request)


def goal_badges(request, goal) -> str | None:
    """Slot "goal.badges": one badge per severity on the strategy map; nothing for a clean goal."""
    if getattr(request, "actor", None) is None:
        return None
    findings = _goal_findings(request, goal)
    if not findings:
        return None
    counts = {s: n for s, n in registry.severity_counts(findings).items() if n}
    codes = ", ".join(sorted({f.code for f in findings}))
    return badges_html(_id_and_cycle(goal)[0], _title(goal), counts, codes)


BADGE_COLOURS = {"error": "red", "warning": "yellow"}  # info: blue


def badges_html(goal_id: int, title: str, counts: dict, codes: str) -> str:
    """The badges of one goal, written in Python: the map shows hundreds (a template each cost ~0.5 ms)."""
    spans = "".join(
        f'<span class="badge bg-{BADGE_COLOURS.get(severity, "blue")}-lt me-1">'
        f"{n} {escape(severity)}{'' if n == 1 else 's'}</span>"
        for severity, n in counts.items()
    )
    url = _goal_url(get_script_prefix(), get_urlconf()).format(goal_id)
    return (
        f'\n<a href="{url}#lint-findings" class="lint-badges text-decoration-none ms-1" '
        f'title="Goal lint: {escape(codes)}">{spans}'
        f'<span class="visually-hidden"> of goal lint for {escape(title)}</span></a>\n'
    )


@cache
def _goal_url(script_prefix: str, urlconf) -> str:
    """The goal page's URL with a `{}` for the id, reversed once per script prefix and URL configuration
    (the map draws dozens of badges; a reverse() each cost more than the badge)."""
    return id_url_template("goal_detail", urlconf=urlconf)


def _title(goal) -> str:
    return goal["title"] if isinstance(goal, dict) else goal.title
