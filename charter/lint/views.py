"""Lint pages: the findings of a cycle, the settings, and the badges on the goal page and strategy map."""

from collections import defaultdict

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from charter.core.http import call_with_form, requires
from charter.goals import selectors as goal_selectors

from . import rules, selectors, services
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
        counts=rules.severity_counts(findings),
        by_rule=[(rules.RULES[code], items) for code, items in _grouped(findings, lambda f: f.code)],
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


def _goal_findings(request, goal) -> list:
    """The findings of the goal, computing its cycle's findings once per request (the map has many goals)."""
    cache = request.__dict__.setdefault("_lint_findings_by_goal", {})
    if goal.cycle_id not in cache:
        cache[goal.cycle_id] = selectors.findings_of_goals(actor=request.actor, cycle_id=goal.cycle_id)
    return cache[goal.cycle_id].get(goal.pk, [])


def goal_panel(request, goal) -> str | None:
    """Slot "goal.detail": the goal's findings with their fix hints."""
    if getattr(request, "actor", None) is None:
        return None
    findings = _goal_findings(request, goal)
    return render_to_string("lint/_goal_panel.html", {"goal": goal, "findings": findings}, request=request)


def goal_badges(request, goal) -> str | None:
    """Slot "goal.badges": one badge per severity on the strategy map; nothing for a clean goal."""
    if getattr(request, "actor", None) is None:
        return None
    findings = _goal_findings(request, goal)
    if not findings:
        return None
    counts = {s: n for s, n in rules.severity_counts(findings).items() if n}
    codes = ", ".join(sorted({f.code for f in findings}))
    return render_to_string("lint/_badges.html", {"goal": goal, "counts": counts, "codes": codes})
