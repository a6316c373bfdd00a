"""The goal page's ideas panel: ideas linked to the goal (or adopted into it), read with the goal."""

from django.template.loader import render_to_string

from charter.core import panels

from . import selectors
from .models import Idea

LABELS = dict(Idea.Status.choices)


@panels.register_read("goal.detail")
def goal_ideas_read(request) -> dict:
    return {"ideas_rows": selectors.goal_ideas_rows(actor=request.actor)}


@panels.register("goal.detail", order=60, tab="Ideas")
def goal_ideas(request, goal) -> str:
    ideas = panels.part(request, goal, goal_ideas_read)["ideas_rows"]
    for idea in ideas:
        idea["label"] = LABELS.get(idea["status"], idea["status"])
    context = {"ideas": ideas, "goal": goal, "may_create": request.actor.can("idea.create")}
    return render_to_string("ideas/_goal_panel.html", context, request=request)
