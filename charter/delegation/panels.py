"""The delegation app's panels on pages of lower apps: decisions on the goal page, waiting ones on home."""

from django.template.loader import render_to_string
from django.utils import timezone

from charter.core import panels

from . import log, selectors
from .models import Decision

LABELS = dict(Decision.Status.choices)


def goal_decisions_read(request) -> dict:
    """Read with the goal (slot "goal.detail"): the newest 50 decisions linked to it."""
    return {"decision_rows": log.goal_decision_rows(actor=request.actor, limit=50)}


def goal_decisions(request, goal) -> str | None:
    actor = getattr(request, "actor", None)
    if actor is None or goal is None:
        return None
    decisions = panels.part(request, goal, goal_decisions_read)["decision_rows"]
    for decision in decisions:
        decision["label"] = LABELS.get(decision["status"], decision["status"])
    context = {"goal": goal, "decisions": decisions, "may_record": actor.can("decision.record")}
    return render_to_string("delegation/_goal_panel.html", context, request=request)


def decisions_waiting(request, _obj=None) -> str | None:
    actor = getattr(request, "actor", None)
    if actor is None:
        return None
    decisions = selectors.decisions_waiting_for(actor=actor)
    context = {"decisions": decisions, "today": timezone.localdate()}  # past a decide-by day: overdue
    return render_to_string("delegation/_home_panel.html", context, request=request)


def advice_for_me(request, _obj=None) -> str | None:
    """The leader's delegation advice on home and the leadership profile: a slot that loads it after the
    page (it reads the decision history), shown to those who may set levels only."""
    actor = getattr(request, "actor", None)
    if actor is None or not actor.can("delegation.set"):
        return None
    return render_to_string("delegation/_advice_slot.html", {}, request=request)
