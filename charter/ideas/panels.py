"""The goal page's ideas panel: ideas linked to the goal (or adopted into it), in one query."""

from django.template.loader import render_to_string

from charter.core import panels

from . import selectors


@panels.register("goal.detail", order=60)
def goal_ideas(request, goal) -> str:
    ideas = selectors.goal_ideas(actor=request.actor, goal_id=goal.pk)
    context = {"ideas": ideas, "goal": goal, "may_create": request.actor.can("idea.create")}
    return render_to_string("ideas/_goal_panel.html", context, request=request)
