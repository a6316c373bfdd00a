"""Web pages: the delegation board, level history, what a team may decide, decision domains,
the decision log, the decision page with its responses, and the record form with its preview."""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from charter.core.errors import DomainError
from charter.core.http import call_with_form, requires
from charter.goals.selectors import goal_list
from charter.organizations.selectors import team_list

from . import log, partials, rules, selectors, services
from .forms import AdviceSettingsForm, DecisionForm, DomainForm, LevelForm, RespondForm
from .models import Decision

LEVELS = list(rules.LEVELS.values())


def _int(params, name) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isascii() and value.isdigit() else None


def _date(params, name) -> date | None:
    try:
        return date.fromisoformat(params.get(name, ""))
    except ValueError:
        return None


# ---- the board ------------------------------------------------------------------------------------


@requires("organization.view")
def delegation_board(request):
    board = selectors.delegation_board(actor=request.actor)
    advice = selectors.delegation_advice(actor=request.actor, board=board)
    by_cell: dict[tuple[int, int], list] = {}
    for item in advice["advice"]:
        by_cell.setdefault((item.team_id, item.domain_id), []).append(item)
    for row in board["rows"]:
        row["entries"] = [
            {"cell": cell, "advice": by_cell.get((cell.team_id, cell.domain_id), [])} for cell in row["cells"]
        ]
    context = {**board, "levels": LEVELS, "may_set": request.actor.can("delegation.set")}
    context["advice_count"] = len(advice["advice"])
    return render(request, "delegation/board.html", context)


def _render_history(request, team_id: int, domain_id: int, dismiss_errors=None, status=200):
    actor = request.actor
    cell = selectors.delegation_cell(actor=actor, team_id=team_id, domain_id=domain_id)
    advice = selectors.cell_advice(actor=actor, team_id=team_id, domain_id=domain_id)
    context = {**cell, **advice, "levels": rules.LEVELS, "may_set": actor.can("delegation.set")}
    context["dismiss_errors"] = dismiss_errors or {}
    return render(request, "delegation/history.html", context, status=status)


@requires("organization.view")
def delegation_history(request, team_id: int, domain_id: int):
    return _render_history(request, team_id, domain_id)


# ---- delegation advice ----------------------------------------------------------------------------


@requires("organization.view")
def advice_list(request):
    """Every piece of advice the decision history gives now, with the thresholds that gave it."""
    return _render_advice_list(request)


def _render_advice_list(request, form=None, status=200):
    result = selectors.delegation_advice(actor=request.actor)
    verdicts = result["verdicts"].values()
    context = {
        "advice": result["advice"],
        "thresholds": [
            (name, rules.THRESHOLD_WORDS[name], value)
            for name, value in result["thresholds"].__dict__.items()
        ],
        "not_enough": sum(1 for v in verdicts if v.not_enough),
        "cells": len(result["verdicts"]),
        "answers": selectors.advice_answers(actor=request.actor, limit=20),
        "may_set": request.actor.can("delegation.set"),
    }
    if request.actor.can("organization.manage"):
        context["settings_form"] = form or AdviceSettingsForm(thresholds=result["thresholds"])
    return render(request, "delegation/advice_list.html", context, status=status)


@requires("organization.manage")
def advice_settings(request):
    """Owners and admins: the organization's thresholds of the advice rules."""
    if request.method != "POST":
        return _render_advice_list(request)
    form = AdviceSettingsForm(request.POST, thresholds=selectors.advice_thresholds(actor=request.actor))
    if form.is_valid():
        saved = call_with_form(
            form, services.advice_settings_update, actor=request.actor, thresholds=form.overrides()
        )
        if saved is not None:
            messages.success(request, "Advice thresholds saved.")
            return redirect("delegation_advice")
    return _render_advice_list(request, form, status=422)


@requires("organization.view")
def advice_mine(request):
    """htmx: the advice for the signed-in leader (home and the leadership profile load it after the page)."""
    items = (
        selectors.advice_list(actor=request.actor, for_me=True) if request.actor.can("delegation.set") else []
    )
    return render(request, "delegation/_advice_panel.html", {"advice": items})


def _back(team_id: int, domain_id: int):
    return redirect(reverse("delegation_history", args=[team_id, domain_id]) + "#advice")


@requires("delegation.set")
def advice_accept(request, team_id: int, domain_id: int, kind: str):
    if request.method != "POST":
        return _render_history(request, team_id, domain_id)
    try:
        answer = services.advice_accept(actor=request.actor, team_id=team_id, domain_id=domain_id, kind=kind)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return _back(team_id, domain_id)
    info = rules.LEVELS[answer.suggested_level]
    messages.success(
        request, f"Advice accepted: {answer.team} is now at level {info.label} for {answer.domain}."
    )
    return _back(team_id, domain_id)


@requires("delegation.set")
def advice_dismiss(request, team_id: int, domain_id: int, kind: str):
    if request.method != "POST":
        return _render_history(request, team_id, domain_id)
    reason = request.POST.get("reason", "")
    try:
        services.advice_dismiss(
            actor=request.actor, team_id=team_id, domain_id=domain_id, kind=kind, reason=reason
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        if exc.status == 422:
            errors = {kind: (exc.errors or {}).get("reason", [exc.message])[0]}
            return _render_history(request, team_id, domain_id, dismiss_errors=errors, status=422)
        messages.error(request, exc.message)
        return _back(team_id, domain_id)
    messages.success(request, "Advice dismissed; your reason is kept with it.")
    return _back(team_id, domain_id)


@requires("delegation.set")
def delegation_edit(request, team_id: int, domain_id: int):
    actor = request.actor
    cell = selectors.delegation_cell(actor=actor, team_id=team_id, domain_id=domain_id)
    form = LevelForm(request.POST or None, initial={"level": cell["cell"].level})
    if request.method == "POST" and form.is_valid():
        values = {"actor": actor, "team_id": team_id, "domain_id": domain_id, **form.cleaned_data}
        saved = call_with_form(form, services.delegation_set, **values)
        if not form.errors:  # saved is None once the level is cleared
            team, domain = cell["team"].name, cell["domain"].name
            if saved is None:
                messages.success(request, f"{team} inherits its level for {domain} again.")
            else:
                info = rules.LEVELS[saved.level]
                messages.success(request, f"{team} is now at level {info.label} for {domain}.")
            return redirect("delegation_board")
    status = 422 if request.method == "POST" else 200
    return render(request, "delegation/edit.html", {**cell, "form": form, "levels": LEVELS}, status=status)


@requires("organization.view")
def team_authority(request, team_id: int):
    context = selectors.team_authority(actor=request.actor, team_id=team_id)
    return render(request, "delegation/team_authority.html", {**context, "levels": LEVELS})


# ---- decision domains -----------------------------------------------------------------------------


@requires("organization.view")
def domain_list(request):
    context = {
        "domains": selectors.domain_list(actor=request.actor),
        "may_manage": request.actor.can("decision_domain.manage"),
    }
    return render(request, "delegation/domain_list.html", context)


def _domain_form(request, domain=None):
    initial = domain and {"name": domain.name, "description": domain.description, "examples": domain.examples}
    form = DomainForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {"actor": request.actor, **form.cleaned_data}
        if domain is None:
            saved = call_with_form(form, services.domain_create, **values)
        else:
            saved = call_with_form(form, services.domain_update, domain_id=domain.pk, **values)
        if saved is not None:
            messages.success(request, f"Decision domain “{saved.name}” saved.")
            return redirect("decision_domain_list")
    status = 422 if request.method == "POST" else 200
    return render(request, "delegation/domain_form.html", {"form": form, "domain": domain}, status=status)


@requires("decision_domain.manage")
def domain_create(request):
    return _domain_form(request)


@requires("decision_domain.manage")
def domain_edit(request, domain_id: int):
    return _domain_form(request, selectors.domain_get(actor=request.actor, domain_id=domain_id))


@requires("decision_domain.manage")
def domain_delete(request, domain_id: int):
    domain = selectors.domain_get(actor=request.actor, domain_id=domain_id)
    if request.method == "POST":
        services.domain_delete(actor=request.actor, domain_id=domain.pk)
        messages.success(request, f"Decision domain “{domain.name}” deleted.")
        return redirect("decision_domain_list")
    context = {"domain": domain}
    return render(request, "delegation/domain_delete.html", context)


# ---- decisions ------------------------------------------------------------------------------------


def _log_filters(params) -> dict:
    status = params.get("status")
    return {
        "team_id": _int(params, "team"),
        "domain_id": _int(params, "domain"),
        "status": status if status in Decision.Status.values else None,
        "goal_id": _int(params, "goal"),
        "date_from": _date(params, "from"),
        "date_to": _date(params, "to"),
    }


LOG_SHOWN = 100  # the newest decisions matching the filters; the filters narrow the rest


@requires("organization.view")
def decision_log(request):
    actor, filters = request.actor, _log_filters(request.GET)
    # One row more than shown says whether there are more (without counting them all).
    decisions = log.log_rows(actor=actor, limit=LOG_SHOWN + 1, **filters)
    context = {
        "decisions": decisions[:LOG_SHOWN],
        "rows_html": partials.decision_rows(decisions[:LOG_SHOWN]),
        "more": len(decisions) > LOG_SHOWN,
        "filters": filters,
        **log.filter_choices(
            actor=actor,
            team_id=filters["team_id"],
            team_q=request.GET.get("team_q", ""),
            goal_id=filters["goal_id"],
            goal_q=request.GET.get("goal_q", ""),
        ),
        "statuses": Decision.Status.choices,
    }
    return render(request, "delegation/decision_log.html", context)


@requires("organization.view")
def decision_goal_options(request):
    """htmx: the options of the log's goal filter matching `goal_q`, the chosen `goal` kept; bounded and
    ordered as the page's own, only the organization's goals that decisions are linked to."""
    picker = log.goal_picker(
        actor=request.actor, selected=_int(request.GET, "goal"), q=request.GET.get("goal_q", "")
    )
    return render(request, "organizations/_picker_options.html", {"picker": picker})


def _decision_form(request, data=None, initial=None):
    actor = request.actor
    return DecisionForm(
        data,
        initial=initial,
        teams=team_list(actor=actor),
        domains=selectors.domain_list(actor=actor),
        goals=goal_list(actor=actor),
        decisions=selectors.decision_list(actor=actor, status=rules.DECIDED)[:200],
        preview_url=reverse("decision_preview"),
        act_for=selectors.act_for_choices(actor=actor),
    )


@requires("decision.record")
def decision_create(request):
    actor = request.actor
    if request.method != "POST":
        team_id = _int(request.GET, "team") or next(iter(sorted(actor.team_ids)), None)
        initial = {
            "team_id": team_id,
            "domain_id": _int(request.GET, "domain"),
            "goal_ids": [_int(request.GET, "goal")],
        }
        form = _decision_form(request, initial=initial)
        preview = selectors.decision_preview(actor=actor, team_id=team_id, domain_id=initial["domain_id"])
        return render(request, "delegation/decision_form.html", {"form": form, "preview": preview})
    form = _decision_form(request, request.POST)
    if form.is_valid():
        result = call_with_form(form, services.decision_record, actor=actor, **form.cleaned_data)
        if result is not None:
            messages.info(request, result.message)
            return redirect("decision_detail", decision_id=result.decision.pk)
    preview = selectors.decision_preview(
        actor=actor, team_id=_int(request.POST, "team_id"), domain_id=_int(request.POST, "domain_id")
    )
    return render(request, "delegation/decision_form.html", {"form": form, "preview": preview}, status=422)


@requires("decision.record")
def decision_preview(request):
    """The htmx preview: what recording for this team and domain would do for you."""
    preview = selectors.decision_preview(
        actor=request.actor, team_id=_int(request.GET, "team_id"), domain_id=_int(request.GET, "domain_id")
    )
    return render(request, "delegation/_preview.html", {"preview": preview})


def _respond_form(request, decision, data=None) -> RespondForm:
    act_for = selectors.act_for_choices(actor=request.actor, team_id=decision.team_id)
    return RespondForm(data, act_for=act_for)


def _render_detail(request, decision_id: int, form=None, status=200):
    decision = selectors.decision_get(actor=request.actor, decision_id=decision_id)
    context = {
        "decision": decision,
        "form": form or _respond_form(request, decision),
        "is_proposer": decision.recorded_by_id == request.actor.user_id,
        "may_respond": request.actor.can("decision.respond") and decision.is_open,
        # Today as the reader's time zone has it (the middleware activates theirs).
        "overdue": decision.is_overdue(timezone.localdate()),
    }
    return render(request, "delegation/decision_detail.html", context, status=status)


@requires("organization.view")
def decision_detail(request, decision_id: int):
    return _render_detail(request, decision_id)


@requires("decision.respond")
def decision_respond(request, decision_id: int):
    if request.method != "POST":
        return _render_detail(request, decision_id)
    decision = selectors.decision_get(actor=request.actor, decision_id=decision_id)
    form, status = _respond_form(request, decision, request.POST), 422
    if form.is_valid():
        try:
            result = services.decision_respond(
                actor=request.actor, decision_id=decision_id, **form.cleaned_data
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status  # 409 when the record does not wait for this person, with why
        else:
            messages.success(request, result.message)
            return redirect("decision_detail", decision_id=decision_id)
    return _render_detail(request, decision_id, form, status=status)
