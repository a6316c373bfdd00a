"""The delegation app's panels on pages of lower apps: decisions on the goal page, waiting ones on home."""

from django.template.loader import render_to_string

from . import log, selectors


def goal_decisions(request, goal) -> str | None:
    actor = getattr(request, "actor", None)
    if actor is None or goal is None:
        return None
    decisions = log.goal_decisions(actor=actor, goal_id=goal.pk, limit=50)
    context = {"goal": goal, "decisions": decisions, "may_record": actor.can("decision.record")}
    return render_to_string("delegation/_goal_panel.html", context, request=request)


def decisions_waiting(request, _obj=None) -> str | None:
    actor = getattr(request, "actor", None)
    if actor is None:
        return None
    decisions = selectors.decisions_waiting_for(actor=actor)
    return render_to_string("delegation/_home_panel.html", {"decisions": decisions}, request=request)
