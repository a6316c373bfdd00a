"""Web pages of back-briefs: the list of pending ones, the goal page panel's htmx actions, home panel."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from charter.core import panels
from charter.core.errors import DomainError, ValidationError
from charter.core.http import call_with_form, requires
from charter.organizations.selectors import team_list

from . import help, selectors, services
from .forms import BackBriefForm, ClarifyForm
from .models import BackBrief

HOME_LIMIT = 8
STATE_CHOICES = [(selectors.PENDING, "Pending (not yet confirmed)"), *BackBrief.State.choices, ("all", "All")]


def _int(params, name) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() else None


@requires("organization.view")
def back_brief_list(request):
    actor, params = request.actor, request.GET
    state = params.get("state") if params.get("state") in dict(STATE_CHOICES) else selectors.PENDING
    team_id = _int(params, "team")
    rows = selectors.back_brief_list(actor=actor, state=None if state == "all" else state, team_id=team_id)
    context = {
        "back_briefs": list(rows),
        "teams": list(team_list(actor=actor)),
        "states": STATE_CHOICES,
        "state": state,
        "team_id": team_id,
        "help": help,
    }
    return render(request, "backbriefs/back_brief_list.html", context)


# ---- the panel on the goal page -------------------------------------------------------------------


def _panel_context(request, back_brief, form=None, clarify_form=None, error=None, events=None) -> dict:
    actor = request.actor
    may_submit = back_brief.state in BackBrief.TO_WRITE_STATES and services.may_submit(actor, back_brief)
    may_review = back_brief.state == BackBrief.State.SUBMITTED and services.may_review(actor, back_brief)
    if may_submit and form is None:
        form = BackBriefForm(initial=BackBriefForm.initial_of(back_brief))
    if may_review and clarify_form is None:
        clarify_form = ClarifyForm()
    return {
        "bb": back_brief,
        "events": back_brief.events.all() if events is None else events,
        "goal": back_brief.goal,
        "may_submit": may_submit,
        "may_review": may_review,
        "form": form,
        "clarify_form": clarify_form,
        "error": error,
        "help": help,
    }


def goal_panel_read(request) -> dict:
    """Read with the goal (slot "goal.detail"): its team's back-briefs and their history."""
    return selectors.goal_back_brief_columns(actor=request.actor)


def goal_panel(request, goal) -> str | None:
    """Slot "goal.detail": the team's back-brief beside the goal's intent."""
    if getattr(request, "actor", None) is None or goal.team_id is None:
        return None
    columns = panels.part(request, goal, goal_panel_read)
    back_brief, events = selectors.back_brief_of_goal_from(actor=request.actor, goal=goal, columns=columns)
    if back_brief is None:
        return None
    context = _panel_context(request, back_brief, events=events)
    return render_to_string("backbriefs/_goal_panel.html", context, request=request)


def home_panel(request, _obj=None) -> str | None:
    """Slot "home": the back-briefs waiting for the actor to write or to confirm."""
    actor = getattr(request, "actor", None)
    if actor is None:
        return None
    # One row more than shown tells whether there are more, without a count query.
    to_write, to_confirm = selectors.back_briefs_for_home(actor=actor, limit=HOME_LIMIT + 1)
    if not (to_write or to_confirm):
        return None
    context = {
        "to_write": to_write[:HOME_LIMIT],
        "to_confirm": to_confirm[:HOME_LIMIT],
        "write_more": len(to_write) > HOME_LIMIT,
        "confirm_more": len(to_confirm) > HOME_LIMIT,
    }
    return render_to_string("backbriefs/_home.html", context, request=request)


# ---- htmx actions (plain posts work too) ----------------------------------------------------------


def _run(request, service, form=None, **kwargs):
    """Call the service: (result, None), or for htmx (None, message) when it refused outright."""
    try:
        return (call_with_form(form, service, **kwargs) if form is not None else service(**kwargs)), None
    except DomainError as exc:
        if not request.htmx or isinstance(exc, ValidationError):
            raise  # a page: the error page with its status
        return None, exc.message


def _answer(request, back_brief_id: int, done, message: str, error=None, **forms):
    """After an action: the fresh panel for htmx, else back to the goal page (or the form with errors)."""
    back_brief = selectors.back_brief_get(actor=request.actor, back_brief_id=back_brief_id)
    context = _panel_context(request, back_brief, error=error, **forms)
    if request.htmx:
        context["saved"] = message if done else ""
        return render(request, "backbriefs/_panel.html", context)
    if done:
        messages.success(request, message)
        return redirect(reverse("goal_detail", args=[back_brief.goal_id]) + "#back-brief")
    return render(request, "backbriefs/back_brief_page.html", context, status=422)


@requires("back_brief.submit")
@require_POST
def back_brief_submit(request, back_brief_id: int):
    actor = request.actor
    back_brief = selectors.back_brief_get(actor=actor, back_brief_id=back_brief_id)
    form = BackBriefForm(request.POST)
    done, error = None, None
    if form.is_valid():
        values = form.cleaned_data
        done, error = _run(
            request, services.back_brief_submit, form, actor=actor, back_brief_id=back_brief.pk, **values
        )
    return _answer(request, back_brief.pk, done, "Back-brief submitted.", error, form=form)


@requires("back_brief.review")
@require_POST
def back_brief_confirm(request, back_brief_id: int):
    actor = request.actor
    back_brief = selectors.back_brief_get(actor=actor, back_brief_id=back_brief_id)
    done, error = _run(request, services.back_brief_confirm, actor=actor, back_brief_id=back_brief.pk)
    return _answer(request, back_brief.pk, done, "Back-brief confirmed: the intent is shared.", error)


@requires("back_brief.review")
@require_POST
def back_brief_clarify(request, back_brief_id: int):
    actor = request.actor
    back_brief = selectors.back_brief_get(actor=actor, back_brief_id=back_brief_id)
    form = ClarifyForm(request.POST)
    done, error = None, None
    if form.is_valid():
        service = services.back_brief_request_clarification
        done, error = _run(
            request, service, form, actor=actor, back_brief_id=back_brief.pk, **form.cleaned_data
        )
    message = "Clarification asked; the team was told."
    return _answer(request, back_brief.pk, done, message, error, clarify_form=form)
