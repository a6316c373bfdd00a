"""Web pages of goals: strategy map, goal list and page, goal and key result forms, check-ins, cycles."""

from types import SimpleNamespace

from django.contrib import messages
from django.forms import MultipleChoiceField
from django.shortcuts import redirect, render
from django.urls import reverse

from charter.core import panels
from charter.core.errors import Conflict, PermissionDenied
from charter.core.http import call_with_form, requires
from charter.core.templatetags.charter import progress_bar
from charter.organizations.selectors import member_users, person_picker, team_list, team_picker

from . import partials, rules, selectors, services
from .forms import INTENT_HELP, KIND_HELP, CycleForm, GoalForm, KeyResultForm, NewCycleForm
from .models import Cycle
from .templatetags.goal_widgets import status_badge

STATUS_CHOICES = list(rules.STATUS_LABELS.items())


def _int(params, name) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isascii() and value.isdigit() else None  # not "²", which is a digit


def _status(params) -> str | None:
    value = params.get("status")
    return value if value in dict(STATUS_CHOICES) else None


def _chosen_cycle(actor, cycles, params):
    """The cycle asked for in the query string, else the current one."""
    cycle_id = _int(params, "cycle")
    chosen = next((c for c in cycles if c.pk == cycle_id), None)
    return chosen or selectors.cycle_current(actor=actor, cycles=cycles)


def _filter_context(actor, params, cycles):
    team_id = _int(params, "team")
    return {
        "cycles": cycles,
        "team_picker": team_picker(actor=actor, selected=team_id, q=params.get("team_q", "")),
        "statuses": STATUS_CHOICES,
        "team_id": team_id,
        "status": _status(params),
    }


# ---- strategy map ---------------------------------------------------------------------------------


def _prune_by_status(nodes: list[dict], status: str) -> list[dict]:
    """Keep goals of `status` and their ancestors (so matches stay in context); mark the matches."""
    kept = []
    for node in nodes:
        children = _prune_by_status(node["children"], status)
        match = node["goal"]["status"] == status
        if match or children:
            kept.append({**node, "children": children, "match": match})
    return kept


@requires("organization.view")
def strategy_map(request):
    actor = request.actor
    mission, cycles = selectors.mission_and_cycles(actor=actor)
    cycle = _chosen_cycle(actor, cycles, request.GET)
    context = {
        "mission": mission,
        "cycle": cycle,
        **_filter_context(actor, request.GET, cycles),
    }
    filtered = bool(context["team_id"] or context["status"])
    if cycle and not filtered:
        outline = selectors.map_outline(actor=actor, cycle_id=cycle.pk)
        tree = outline["tree"]
        context.update(outline=outline["outline"], goal_count=outline["total"])
    else:
        tree = selectors.map_tree(actor=actor, cycle_id=cycle.pk, team_id=context["team_id"]) if cycle else []
    if context["status"]:
        tree = _prune_by_status(tree, context["status"])
    context.update(tree=bool(tree), filtered=filtered)
    context["map_html"] = partials.map_cards(request, context["status"], tree)
    return render(request, "goals/strategy_map.html", context)


# ---- goal list and page ---------------------------------------------------------------------------


def _pager(params, page: int, total: int, per_page: int) -> dict:
    """What the pager of a list shows: the range of rows shown of the total, and the links to the first,
    previous, next and last pages (None where there is none), each keeping the other parameters."""
    last = max((total + per_page - 1) // per_page, 1)

    def link(number: int) -> str:
        query = params.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    return {
        "page": page,
        "last": last,
        "first_row": (page - 1) * per_page + 1 if total else 0,
        "last_row": min(page * per_page, total),
        "total": total,
        "first_url": link(1) if page > 1 else None,
        "previous_url": link(page - 1) if page > 1 else None,
        "next_url": link(page + 1) if page < last else None,
        "last_url": link(last) if page < last else None,
    }


@requires("organization.view")
def goal_list(request):
    """The goals of a cycle (or of all cycles), filtered, a page of GOAL_LIST_PAGE_SIZE at a time: the
    database filters (status too), counts and pages, so the page costs the same at any size."""
    actor, params = request.actor, request.GET
    cycles = list(selectors.cycle_list(actor=actor))
    all_cycles = params.get("cycle") == "all"
    cycle = None if all_cycles else _chosen_cycle(actor, cycles, params)
    context = {**_filter_context(actor, params, cycles), "cycle": cycle, "all_cycles": all_cycles}
    context["owner_id"] = _int(params, "owner")
    context["person_picker"] = person_picker(
        actor=actor, selected=context["owner_id"], q=params.get("owner_q", "")
    )
    goals, total, page = [], 0, 1
    if cycle or all_cycles:
        goals, total, page = selectors.goal_list_page(
            actor=actor,
            cycles=cycles,
            page=_int(params, "page") or 1,
            cycle_id=cycle and cycle.pk,
            team_id=context["team_id"],
            status=context["status"],
            owner_id=context["owner_id"],
        )
    context["goals"] = bool(goals)
    context["goal_rows"] = partials.goal_list_rows(goals, all_cycles)
    context["pager"] = _pager(params, page, total, selectors.GOAL_LIST_PAGE_SIZE)
    return render(request, "goals/goal_list.html", context)


def _progress_series(goal, check_ins) -> list[dict]:
    """Per key result, its progress (in %) after each check-in, oldest first, from its start."""
    series = []
    for kr in goal.key_results.all():
        points = [[kr.created_at.isoformat(), round(kr.progress_of(kr.start) * 100, 1)]]
        points += [
            [c.checked_at.isoformat(), round(kr.progress_of(c.value) * 100, 1)]
            for c in reversed(check_ins)
            if c.key_result_id == kr.pk
        ]
        series.append({"name": kr.title, "points": points})
    return series


def _drawn_links(goal, links: dict) -> dict:
    """Each key result's progress bar and each contributing goal's status badge drawn once in Python,
    not by a template include per row."""
    for kr in goal.key_results.all():
        kr.bar = progress_bar(kr.progress, kr.title)
    for child in links["children"]:
        child["badge"] = status_badge(child["status"])
    return links


def _panel_reads(actor) -> dict:
    return panels.reads("goal.detail", SimpleNamespace(actor=actor))


@requires("organization.view")
def goal_detail(request, goal_id: int):
    actor = request.actor
    goal = selectors.goal_get(
        actor=actor,
        goal_id=goal_id,
        with_links=False,
        with_mission=True,
        with_check_ins=True,
        reads=(panels.readers("goal.detail"), _panel_reads),
    )
    check_ins = selectors.goal_check_ins(actor=actor, goal=goal)
    may_edit = services.may_edit_goal(actor, goal)
    links = _drawn_links(goal, selectors.goal_links(actor=actor, goal=goal))
    context = {
        "goal": goal,
        "links": links,
        "ancestors": list(reversed(links["ancestors"])),
        "mission": {"statement": goal.mission_statement},
        "check_ins": check_ins,
        "check_in_rows": partials.check_in_history_rows(check_ins),
        "may_edit": may_edit,
        "may_delete": may_edit and actor.can("goal.delete"),
        "chart": {"series": _progress_series(goal, check_ins)},
        "intent_fields": [(name, GoalForm.base_fields[name].label) for name in INTENT_HELP],
    }
    return render(request, "goals/goal_detail.html", context)


# ---- goal forms -----------------------------------------------------------------------------------


def _goal_form(request, data=None, initial=None, goal=None):
    actor = request.actor
    form = GoalForm(
        data,
        initial=initial,
        cycles=selectors.cycle_list(actor=actor),
        # Only the teams this person may put a goal in (and the goal's own): the service refuses the rest.
        teams=[
            t
            for t in team_list(actor=actor)
            if services.may_place_in_team(actor, t.pk) or (goal is not None and t.pk == goal.team_id)
        ],
        people=member_users(actor=actor),
        goals=selectors.goal_list(actor=actor),
        exclude_goal_id=goal and goal.pk,
    )
    return form.live(request.path)


def _render_goal_form(request, form, goal=None, status=200, new_cycle=None):
    context = {"form": form, "goal": goal, "intent_help": INTENT_HELP}
    if goal is None:
        # No open cycle: the form offers to make one in place (when the person may), keeping the goal.
        cycles = list(selectors.cycle_list(actor=request.actor))
        if not any(c.state != Cycle.State.CLOSED for c in cycles):
            context["no_open_cycle"] = True
            context["has_cycles"] = bool(cycles)
            if request.actor.can("cycle.manage"):
                context["new_cycle"] = new_cycle or NewCycleForm(cycles=cycles)
    return render(request, "goals/goal_form.html", context, status=status)


def _typed(data) -> dict:
    """What was typed in the goal form, as initial values (a list for a multiple choice)."""
    return {
        name: data.getlist(name) if isinstance(field, MultipleChoiceField) else data.get(name)
        for name, field in GoalForm.base_fields.items()
        if name in data
    }


def _goal_form_new_cycle(request):
    """The goal form's "Create this cycle": make the cycle, then show the goal form again with everything
    typed kept (not yet checked: it was not saved) and the new cycle chosen."""
    actor = request.actor
    new_cycle = NewCycleForm(request.POST, cycles=selectors.cycle_list(actor=actor))
    cycle = new_cycle.is_valid() and call_with_form(
        new_cycle, services.cycle_create, actor=actor, state=Cycle.State.ACTIVE, **new_cycle.cleaned_data
    )
    initial = _typed(request.POST)
    if not cycle:
        return _render_goal_form(
            request, _goal_form(request, initial=initial), status=422, new_cycle=new_cycle
        )
    messages.success(request, f"Cycle “{cycle.name}” created. Your goal is below, in it: finish and save it.")
    initial["cycle_id"] = cycle.pk
    return _render_goal_form(request, _goal_form(request, initial=initial))


def _editable(actor, goal):
    """Refuse the form up front (not only on save) when the goal is not the actor's to change."""
    if not services.may_edit_goal(actor, goal):
        raise PermissionDenied(f"You may not change “{goal.title}”: it belongs to another team.")
    return goal


def _validating(request) -> bool:
    """A field-by-field check from the page (htmx on change): validate, never save."""
    return request.method == "POST" and request.POST.get("_validate") == "1"


@requires("goal.create")
def goal_create(request):
    actor = request.actor
    if request.method != "POST":
        initial = {
            "owner_id": actor.user_id,
            "parent_id": _int(request.GET, "parent"),
            "team_id": _int(request.GET, "team"),
        }
        current = selectors.cycle_current(actor=actor)
        initial["cycle_id"] = current and current.pk
        return _render_goal_form(request, _goal_form(request, initial=initial))
    if "create_cycle" in request.POST and not _validating(request):
        return _goal_form_new_cycle(request)
    form = _goal_form(request, request.POST)
    if form.is_valid() and not _validating(request):
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        goal = call_with_form(form, services.goal_create, actor=actor, **values)
        if goal is not None:
            messages.success(request, f"Goal “{goal.title}” created. Now add its key results.")
            return redirect("goal_detail", goal_id=goal.pk)
    return _render_goal_form(request, form, status=200 if _validating(request) else 422)


@requires("goal.edit")
def goal_edit(request, goal_id: int):
    actor = request.actor
    goal = _editable(actor, selectors.goal_get(actor=actor, goal_id=goal_id))
    if request.method != "POST":
        return _render_goal_form(
            request, _goal_form(request, initial=GoalForm.initial_of(goal), goal=goal), goal
        )
    form = _goal_form(request, request.POST, goal=goal)
    if form.is_valid() and not _validating(request):
        try:
            updated = call_with_form(
                form, services.goal_update, actor=actor, goal_id=goal.pk, **form.cleaned_data
            )
        except Conflict as exc:
            goal = selectors.goal_get(actor=actor, goal_id=goal.pk)
            form.show_conflict(exc.message, GoalForm.initial_of(goal))
            return _render_goal_form(request, form, goal, status=409)
        if updated is not None:
            messages.success(request, f"Goal “{updated.title}” saved.")
            return redirect("goal_detail", goal_id=goal.pk)
    return _render_goal_form(request, form, goal, status=200 if _validating(request) else 422)


@requires("goal.delete")
def goal_delete(request, goal_id: int):
    goal = selectors.goal_get(actor=request.actor, goal_id=goal_id)
    if request.method == "POST":
        services.goal_delete(actor=request.actor, goal_id=goal.pk)
        messages.success(request, f"Goal “{goal.title}” deleted.")
        return redirect("goal_list")
    return render(
        request,
        "goals/confirm_delete.html",
        {
            "object": goal,
            "kind": "goal",
            "cancel_url": reverse("goal_detail", args=[goal.pk]),
            "consequence": "Its key results and check-ins go with it; contributing goals stay, unaligned.",
        },
    )


# ---- key results ----------------------------------------------------------------------------------


def _kr_form(request, data=None, initial=None):
    return KeyResultForm(data, initial=initial, people=member_users(actor=request.actor)).live(request.path)


def _render_kr_form(request, form, goal, key_result=None, status=200):
    context = {"form": form, "goal": goal, "key_result": key_result, "kind_help": KIND_HELP}
    return render(request, "goals/key_result_form.html", context, status=status)


@requires("key_result.edit")
def key_result_create(request, goal_id: int):
    goal = _editable(request.actor, selectors.goal_get(actor=request.actor, goal_id=goal_id))
    if request.method != "POST":
        return _render_kr_form(request, _kr_form(request), goal)
    form = _kr_form(request, request.POST)
    if form.is_valid() and not _validating(request):
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        kr = call_with_form(form, services.key_result_create, actor=request.actor, goal_id=goal.pk, **values)
        if kr is not None:
            messages.success(request, f"Key result “{kr.title}” added.")
            if "add_another" in request.POST:
                return redirect("key_result_create", goal_id=goal.pk)
            return redirect("goal_detail", goal_id=goal.pk)
    return _render_kr_form(request, form, goal, status=200 if _validating(request) else 422)


@requires("key_result.edit")
def key_result_edit(request, key_result_id: int):
    kr = selectors.key_result_get(actor=request.actor, key_result_id=key_result_id)
    _editable(request.actor, kr.goal)
    if request.method != "POST":
        return _render_kr_form(request, _kr_form(request, initial=KeyResultForm.initial_of(kr)), kr.goal, kr)
    form = _kr_form(request, request.POST)
    if form.is_valid() and not _validating(request):
        try:
            saved = call_with_form(
                form,
                services.key_result_update,
                actor=request.actor,
                key_result_id=kr.pk,
                **form.cleaned_data,
            )
        except Conflict as exc:
            kr = selectors.key_result_get(actor=request.actor, key_result_id=kr.pk)
            form.show_conflict(exc.message, KeyResultForm.initial_of(kr))
            return _render_kr_form(request, form, kr.goal, kr, status=409)
        if saved is not None:
            messages.success(request, f"Key result “{saved.title}” saved.")
            return redirect("goal_detail", goal_id=kr.goal_id)
    return _render_kr_form(request, form, kr.goal, kr, status=200 if _validating(request) else 422)


@requires("key_result.edit")
def key_result_delete(request, key_result_id: int):
    kr = selectors.key_result_get(actor=request.actor, key_result_id=key_result_id)
    _editable(request.actor, kr.goal)
    if request.method == "POST":
        services.key_result_delete(actor=request.actor, key_result_id=kr.pk)
        messages.success(request, f"Key result “{kr.title}” deleted.")
        return redirect("goal_detail", goal_id=kr.goal_id)
    return render(
        request,
        "goals/confirm_delete.html",
        {
            "object": kr,
            "kind": "key result",
            "cancel_url": reverse("goal_detail", args=[kr.goal_id]),
            "consequence": "Its check-ins go with it; the goal's progress is recomputed without it.",
        },
    )


# ---- cycles ---------------------------------------------------------------------------------------


@requires("organization.view")
def cycle_list(request):
    cycles = selectors.cycle_list(actor=request.actor)
    return render(request, "goals/cycle_list.html", {"cycles": cycles})


def _render_cycle_form(request, form, cycle=None, status=200):
    return render(request, "goals/cycle_form.html", {"form": form, "cycle": cycle}, status=status)


@requires("cycle.manage")
def cycle_create(request):
    if request.method != "POST":
        return _render_cycle_form(request, CycleForm().live(request.path))
    form = CycleForm(request.POST).live(request.path)
    if form.is_valid() and not _validating(request):
        cycle = call_with_form(form, services.cycle_create, actor=request.actor, **form.cleaned_data)
        if cycle is not None:
            messages.success(request, f"Cycle “{cycle.name}” created.")
            return redirect("cycle_list")
    return _render_cycle_form(request, form, status=200 if _validating(request) else 422)


@requires("cycle.manage")
def cycle_edit(request, cycle_id: int):
    cycle = selectors.cycle_get(actor=request.actor, cycle_id=cycle_id)
    if request.method != "POST":
        return _render_cycle_form(
            request, CycleForm(initial=CycleForm.initial_of(cycle)).live(request.path), cycle
        )
    form = CycleForm(request.POST).live(request.path)
    if form.is_valid() and not _validating(request):
        saved = call_with_form(
            form, services.cycle_update, actor=request.actor, cycle_id=cycle.pk, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, f"Cycle “{saved.name}” saved.")
            return redirect("cycle_list")
    return _render_cycle_form(request, form, cycle, status=200 if _validating(request) else 422)
