"""Web pages of cycle reviews: the cycle overview, a team's review, its forms; the goal revisions panel."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from charter.core import panels
from charter.core.http import call_with_form, requires
from charter.goals import revisions
from charter.goals.selectors import cycle_current, cycle_list, goal_get

from . import selectors, services
from .forms import AdaptForm, GradeForm, RetrospectiveForm


def _int(params, name) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() else None


@requires("organization.view")
def review_home(request):
    """The overview of a cycle's reviews: each team's progress; a reviewing cycle is chosen first."""
    actor = request.actor
    cycles = list(cycle_list(actor=actor))
    chosen = _int(request.GET, "cycle")
    cycle = next((c for c in cycles if c.pk == chosen), None)
    cycle = cycle or next((c for c in cycles if c.state == "reviewing"), None) or cycle_current(actor=actor)
    context = {"cycles": cycles, "cycle": cycle}
    if cycle:
        context.update(selectors.cycle_overview(actor=actor, cycle_id=cycle.pk))
    return render(request, "reviews/review_home.html", context)


def _team_page(request, cycle_id: int, team_id: int | None, status=200, bound=None, retro_form=None):
    actor = request.actor
    overview = selectors.cycle_overview(actor=actor, cycle_id=cycle_id)
    teams = [row["team"] for row in overview["rows"]]
    if team_id is None:
        mine = [t for t in teams if t.pk in actor.team_ids | actor.lead_team_ids]
        candidates = mine or teams
        team_id = candidates[0].pk if candidates else None
    context = {**overview, "teams": teams, "team": None}
    if team_id is not None:
        context.update(_team_context(actor, cycle_id, team_id, bound or {}, retro_form))
    return render(request, "reviews/team_review.html", context, status=status)


def _team_context(actor, cycle_id, team_id, bound: dict, retro_form) -> dict:
    page = selectors.team_review(actor=actor, cycle_id=cycle_id, team_id=team_id)
    page["may_write"] = services.may_review(actor, team_id) and not page["lock_reason"]
    for row in page["rows"]:
        goal, forms = row["goal"], bound.get(row["goal"].pk, {})
        initial = row["grade"].grade if row["grade"] and row["grade"].grade is not None else row["suggested"]
        row["grade_form"] = forms.get("grade") or GradeForm(initial={"grade": initial}, prefix=f"g{goal.pk}")
        row["adapt_form"] = forms.get("adapt") or AdaptForm(goal=goal, cycles=page["other_cycles"])
    review = page["review"]
    initial = {f: getattr(review, f) for f in services.RETRO_FIELDS} if review else {}
    page["retro_form"] = retro_form or RetrospectiveForm(initial=initial)
    return page


@requires("organization.view")
def cycle_review(request, cycle_id: int):
    return _team_page(request, cycle_id, _int(request.GET, "team"))


@requires("organization.view")
def review_detail(request, review_id: int):
    review = selectors.review_get(actor=request.actor, review_id=review_id)
    return _team_page(request, review.cycle_id, review.team_id)


def _back(goal_or_cycle_id: int, team_id: int | None, anchor: str = ""):
    url = reverse("cycle_review", args=[goal_or_cycle_id])
    return redirect(f"{url}?team={team_id}{anchor}" if team_id else url)


@requires("review.write")
@require_POST
def goal_grade(request, goal_id: int):
    goal = goal_get(actor=request.actor, goal_id=goal_id)
    form = GradeForm(request.POST, prefix=f"g{goal.pk}")
    if form.is_valid() and call_with_form(
        form, services.goal_grade, actor=request.actor, goal_id=goal.pk, **form.cleaned_data
    ):
        messages.success(request, f"“{goal.title}” graded.")
        return _back(goal.cycle_id, goal.team_id, f"#goal-{goal.pk}")
    return _team_page(request, goal.cycle_id, goal.team_id, 422, {goal.pk: {"grade": form}})


@requires("review.write")
@require_POST
def goal_adapt(request, goal_id: int):
    actor = request.actor
    goal = goal_get(actor=actor, goal_id=goal_id)
    cycles = [c for c in cycle_list(actor=actor) if c.pk != goal.cycle_id and c.state != "closed"]
    form = AdaptForm(request.POST, goal=goal, cycles=cycles)
    if form.is_valid() and call_with_form(
        form, services.goal_adapt, actor=actor, goal_id=goal.pk, **form.service_kwargs()
    ):
        messages.success(request, f"“{goal.title}”: {form.cleaned_data['adaptation'].replace('_', ' ')}.")
        return _back(goal.cycle_id, goal.team_id, f"#goal-{goal.pk}")
    return _team_page(request, goal.cycle_id, goal.team_id, 422, {goal.pk: {"adapt": form}})


@requires("review.write")
@require_POST
def review_retrospective(request, cycle_id: int, team_id: int):
    form = RetrospectiveForm(request.POST)
    kwargs = {"actor": request.actor, "cycle_id": cycle_id, "team_id": team_id}
    if form.is_valid() and call_with_form(form, services.review_write, **kwargs, **form.cleaned_data):
        messages.success(request, "Retrospective saved.")
        return _back(cycle_id, team_id, "#retrospective")
    return _team_page(request, cycle_id, team_id, 422, retro_form=form)


# ---- the panel on the goal page -------------------------------------------------------------------


def revisions_read(request) -> dict:
    """Read with the goal (slot "goal.detail"): its revisions and its key results'."""
    return selectors.goal_revision_columns(actor=request.actor)


def revisions_panel(request, goal) -> str | None:
    """Slot "goal.detail": the goal's and its key results' revisions, with readable diffs."""
    if getattr(request, "actor", None) is None:
        return None
    history = selectors.revision_rows(panels.part(request, goal, revisions_read))
    entries = [{"rev": r, "rows": revisions.describe(r["changes"])} for r in history]
    return render_to_string(
        "reviews/_revisions_panel.html", {"entries": entries, "goal": goal}, request=request
    )
