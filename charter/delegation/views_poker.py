"""Delegation poker pages: the sessions, opening one, and a session's table, which stays live for people in
a room: a small partial polled every few seconds redraws only when the session's version moved."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from charter.core.errors import DomainError
from charter.core.http import call_with_form, requires
from charter.discussion.selectors import comment_list
from charter.organizations.selectors import team_list

from . import rules, selectors, services
from .forms import PokerLevelForm, PokerOpenForm
from .poker_reads import POKER_TARGET

LIVE_EVERY_SECONDS = 3


def _int(params, name) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isascii() and value.isdigit() else None


@requires("organization.view")
def poker_list(request):
    context = {
        "sessions": selectors.poker_list(actor=request.actor),
        "may_open": request.actor.can("delegation.set"),
    }
    return render(request, "delegation/poker_list.html", context)


@requires("delegation.set")
def poker_create(request):
    actor = request.actor
    form = PokerOpenForm(
        request.POST or None,
        initial={"team_id": _int(request.GET, "team"), "domain_ids": [_int(request.GET, "domain")]},
        teams=team_list(actor=actor),
        domains=selectors.domain_list(actor=actor),
        people=selectors.poker_people(actor=actor),
    )
    if request.method == "POST" and form.is_valid():
        session = call_with_form(form, services.poker_open, actor=actor, **form.cleaned_data)
        if session is not None:
            messages.success(request, f"“{session.title}” is open: each person picks in private.")
            return redirect("poker_detail", poker_id=session.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "delegation/poker_form.html", {"form": form}, status=status)


def _table_context(request, poker_id: int, error: str = "") -> dict:
    actor = request.actor
    view = selectors.poker_get(actor=actor, session_id=poker_id)
    return {
        "poker": view,
        "session": view.session,
        "levels": list(rules.LEVELS.values()),
        "may_pick": view.invited and not view.revealed and actor.can("delegation_poker.pick"),
        "may_lead": actor.can("delegation.set"),
        "reveal_words": rules.REVEAL_WORDS.get(view.revealed_how, ""),
        "every": LIVE_EVERY_SECONDS,
        "error": error,
        "level_form": PokerLevelForm(auto_id="poker-level-%s"),
    }


def _page(request, poker_id: int, status: int = 200):
    context = _table_context(request, poker_id)  # NotFound for a missing or foreign session
    return render(request, "delegation/poker_detail.html", context, status=status)


@requires("organization.view")
def poker_detail(request, poker_id: int):
    return _page(request, poker_id)


@requires("organization.view")
def poker_live(request, poker_id: int):
    """htmx, every few seconds: 204 (nothing to redraw) while the version is the one the page has."""
    if request.GET.get("v") == selectors.poker_version(actor=request.actor, session_id=poker_id):
        return HttpResponse(status=204)
    table = render_to_string(
        "delegation/_poker_table.html", _table_context(request, poker_id), request=request
    )
    return HttpResponse(table + _comments_out_of_band(request, poker_id))


def _comments_out_of_band(request, poker_id: int) -> str:
    """The session's comments and their count, swapped in place by htmx beside the table (out of band),
    so a comment shows for everyone in the room; the add form, and what someone is typing, stay."""
    comments = comment_list(actor=request.actor, target_type=POKER_TARGET, target_id=poker_id)
    context = {
        "comments": comments,
        "count": sum(1 for c in comments if not c.deleted),
        "dom_id": f"{POKER_TARGET}-{poker_id}".replace("_", "-"),  # as the thread names itself
        "oob": True,
    }
    return render_to_string("delegation/_poker_comments.html", context, request=request)


def _answer(request, poker_id: int, error: str = "", status: int = 200):
    """The table for htmx (errors inside it, so htmx swaps them in), else the page again."""
    if request.headers.get("HX-Request"):
        return render(request, "delegation/_poker_table.html", _table_context(request, poker_id, error))
    if error:
        messages.error(request, error)
        return _page(request, poker_id, status)
    return redirect("poker_detail", poker_id=poker_id)


def _run(request, poker_id: int, service, **kwargs):
    try:
        service(actor=request.actor, **kwargs)
    except DomainError as exc:
        if exc.status == 404:
            raise
        return _answer(request, poker_id, exc.message, exc.status)
    return _answer(request, poker_id)


@requires("delegation_poker.pick")
def poker_pick(request, poker_id: int):
    if request.method != "POST":
        return _page(request, poker_id)
    level, domain_id = _int(request.POST, "level"), _int(request.POST, "domain_id")
    if level is None or domain_id is None:
        return _answer(request, poker_id, "Choose a card: a level from 1 to 7 for a domain.", 422)
    return _run(request, poker_id, services.poker_pick, session_id=poker_id, domain_id=domain_id, level=level)


@requires("delegation.set")
def poker_reveal(request, poker_id: int):
    if request.method != "POST":
        return _page(request, poker_id)
    return _run(request, poker_id, services.poker_reveal, session_id=poker_id)


@requires("delegation.set")
def poker_set_level(request, poker_id: int, domain_id: int):
    if request.method != "POST":
        return _page(request, poker_id)
    form = PokerLevelForm(request.POST)
    if not form.is_valid():
        return _answer(request, poker_id, "Choose the level to set, 1 to 7.", 422)
    values = {"session_id": poker_id, "domain_id": domain_id, **form.cleaned_data}
    response = _run(request, poker_id, services.poker_set_level, **values)
    if response.status_code == 302:
        messages.success(request, "Level set on the board, linked to this session.")
    return response
