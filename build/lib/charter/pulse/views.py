"""Web pages of pulse surveys: answer (page, home panel, htmx), surveys, results per organization and team."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from charter.core.errors import Conflict
from charter.core.http import call_with_form, requires

from . import answering, results, selectors, services
from .forms import AnswerForm, SurveyForm


def _answer_form(request, rnd, data=None) -> AnswerForm:
    return AnswerForm(
        data,
        questions=rnd.survey.questions.all(),
        teams=selectors.answer_team_choices(actor=request.actor, rnd=rnd),
        auto_id=f"r{rnd.pk}-%s",
    )


def home_panel(request, _obj=None) -> str | None:
    """Slot "home": the first open round the person has not answered, with its form inline."""
    actor = getattr(request, "actor", None)
    if actor is None or not actor.can("pulse.answer"):
        return None
    rounds = selectors.rounds_to_answer(actor=actor)
    if not rounds:
        return None
    context = {"rnd": rounds[0], "form": _answer_form(request, rounds[0]), "more": len(rounds) - 1}
    return render_to_string("pulse/_home.html", context, request=request)


@requires("pulse.answer")
def pulse_home(request):
    rounds = selectors.rounds_to_answer(actor=request.actor)
    context = {
        "to_answer": [(rnd, _answer_form(request, rnd)) for rnd in rounds],
        "surveys": selectors.survey_list(actor=request.actor),
    }
    return render(request, "pulse/pulse_home.html", context)


@requires("pulse.answer")
def round_answer(request, round_id: int):
    """The answer form of a round (GET), and the answer (POST; htmx gets the panel's new content)."""
    rnd = selectors.round_get(actor=request.actor, round_id=round_id)
    form = _answer_form(request, rnd, request.POST or None)
    context = {"rnd": rnd, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            done = call_with_form(
                form, answering.round_answer, actor=request.actor, round_id=rnd.pk, **form.service_kwargs()
            )
        except Conflict as exc:
            done, context["refusal"] = None, exc.message
        if done or "refusal" in context:
            return _answered(request, context)
    elif request.method == "GET" and selectors.has_answered(actor=request.actor, round_id=rnd.pk):
        context["refusal"] = answering.ALREADY
    template = "pulse/_answer_form.html" if request.htmx else "pulse/round_answer.html"
    return render(request, template, context)


def _answered(request, context):
    if request.htmx:
        return render(request, "pulse/_answered.html", context)
    if "refusal" in context:
        messages.warning(request, context["refusal"])
    else:
        messages.success(request, "Thank you: your answers are in, with no link to you.")
    return redirect("pulse_home")


def _teams(request):
    return selectors.team_choices(actor=request.actor)


@requires("pulse.manage")
def survey_create(request):
    form = SurveyForm(request.POST or None, teams=_teams(request), initial={"audience": "organization"})
    if request.method == "POST" and form.is_valid():
        survey = call_with_form(form, services.survey_create, actor=request.actor, **form.service_kwargs())
        if survey:
            messages.success(request, f"Survey “{survey.title}” scheduled; its first round opens today.")
            return redirect("survey_results", survey_id=survey.pk)
    return render(request, "pulse/survey_form.html", {"form": form})


@requires("pulse.manage")
def survey_edit(request, survey_id: int):
    survey = selectors.survey_get(actor=request.actor, survey_id=survey_id)
    initial = {
        "title": survey.title,
        "recurrence": survey.recurrence,
        "audience": survey.audience,
        "team_ids": [t.pk for t in survey.teams.all()],
        "active": survey.active,
    }
    form = SurveyForm(request.POST or None, teams=_teams(request), initial=initial, with_questions=False)
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            form, services.survey_update, actor=request.actor, survey_id=survey.pk, **form.service_kwargs()
        )
        if saved:
            messages.success(request, "Survey saved.")
            return redirect("survey_results", survey_id=survey.pk)
    return render(request, "pulse/survey_form.html", {"form": form, "survey": survey})


@requires("pulse.manage")
@require_POST
def round_open(request, survey_id: int):
    try:
        rnd = services.round_open(actor=request.actor, survey_id=survey_id)
        messages.success(request, f"Round {rnd.number} is open until {rnd.closes_on:%d %b %Y}.")
    except Conflict as exc:
        messages.warning(request, exc.message)
    return redirect("survey_results", survey_id=survey_id)


@requires("organization.view")
def survey_results(request, survey_id: int, team_id: int | None = None):
    outcome = results.survey_results(actor=request.actor, survey_id=survey_id, team_id=team_id)
    context = {"results": outcome, "teams": _teams(request)}
    return render(request, "pulse/survey_results.html", context)
