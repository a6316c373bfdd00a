"""Web pages of ideas: the board, the list, an idea's page, submit, vote (htmx), move."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from charter.core.http import call_with_form, requires
from charter.goals.selectors import goal_list

from . import rules, selectors, services
from .forms import IdeaForm, IdeaMoveForm
from .models import Idea


def _int(params, name) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() else None


def _filters(request) -> dict:
    params = request.GET
    status = params.get("status")
    return {
        "status": status if status in rules.STATUSES else None,
        "goal_id": _int(params, "goal"),
        "sort": "newest" if params.get("sort") == "newest" else "votes",
    }


@requires("organization.view")
def idea_board(request):
    goal_id = _int(request.GET, "goal")
    context = {
        "columns": selectors.idea_board(actor=request.actor, goal_id=goal_id),
        "goals": goal_list(actor=request.actor),
        "goal_id": goal_id,
    }
    return render(request, "ideas/board.html", context)


@requires("organization.view")
def idea_list(request):
    filters = _filters(request)
    context = {
        "ideas": selectors.idea_list(actor=request.actor, **filters),
        "goals": goal_list(actor=request.actor),
        "statuses": Idea.Status.choices,
        **filters,
    }
    return render(request, "ideas/idea_list.html", context)


@requires("organization.view")
def idea_detail(request, idea_id: int):
    idea = selectors.idea_get(actor=request.actor, idea_id=idea_id)
    context = {
        "idea": idea,
        "may_move": services.may_move_idea(request.actor, idea),
        "may_edit": services.may_edit_idea(request.actor, idea),
    }
    return render(request, "ideas/idea_detail.html", context)


@requires("idea.create")
def idea_create(request):
    goals = goal_list(actor=request.actor)
    initial = {"goal_ids": [g for g in [_int(request.GET, "goal")] if g]}
    form = IdeaForm(request.POST or None, goals=goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        idea = call_with_form(form, services.idea_create, actor=request.actor, **form.cleaned_data)
        if idea:
            messages.success(request, f"Idea “{idea.title}” submitted.")
            return redirect("idea_detail", idea_id=idea.pk)
    return render(request, "ideas/idea_form.html", {"form": form})


@requires("idea.create")
def idea_edit(request, idea_id: int):
    idea = selectors.idea_get(actor=request.actor, idea_id=idea_id)
    initial = {
        "title": idea.title,
        "description": idea.description,
        "goal_ids": [g.pk for g in idea.goals.all()],
    }
    form = IdeaForm(request.POST or None, goals=goal_list(actor=request.actor), initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            form, services.idea_update, actor=request.actor, idea_id=idea.pk, **form.cleaned_data
        )
        if saved:
            messages.success(request, "Idea saved.")
            return redirect("idea_detail", idea_id=idea.pk)
    context = {"form": form, "idea": idea, "may_edit": services.may_edit_idea(request.actor, idea)}
    return render(request, "ideas/idea_form.html", context)


@requires("idea.vote")
@require_POST
def idea_vote(request, idea_id: int):
    services.idea_vote(actor=request.actor, idea_id=idea_id)
    if request.htmx:
        idea = selectors.idea_get(actor=request.actor, idea_id=idea_id)
        return render(request, "ideas/_vote.html", {"idea": idea})
    return redirect(request.POST.get("next") or "idea_board")


@requires("idea.move")
def idea_move(request, idea_id: int):
    idea = selectors.idea_get(actor=request.actor, idea_id=idea_id)
    goals = goal_list(actor=request.actor, with_key_results=True)
    form = IdeaMoveForm(request.POST or None, goals=goals, initial={"to_status": request.GET.get("to")})
    if request.method == "POST" and form.is_valid():
        moved = call_with_form(
            form, services.idea_move, actor=request.actor, idea_id=idea.pk, **form.cleaned_data
        )
        if moved:
            messages.success(request, f"“{moved.title}” is now {moved.get_status_display().lower()}.")
            return redirect("idea_detail", idea_id=idea.pk)
    return render(request, "ideas/idea_move.html", {"form": form, "idea": idea})
