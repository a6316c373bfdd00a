"""The goal page's mission brief panel: a link to the brief an agent would read, with what it holds."""

from django.template.loader import render_to_string

from charter.core import panels


@panels.register("goal.detail", order=90, tab="Mission brief")
def brief_panel(request, goal):
    if goal is None or request.actor is None:
        return None
    return render_to_string("agents/_brief_panel.html", {"goal": goal}, request=request)
