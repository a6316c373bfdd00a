"""The goal page's discussion panel: the goal's thread and a comment count per key result."""

from django.template.loader import render_to_string

from charter.core import panels

from . import selectors
from .rendering import thread_html


@panels.register_read("goal.detail")
def goal_discussion_read(request) -> dict:
    return selectors.goal_thread_columns(actor=request.actor)


@panels.register("goal.detail", order=50, tab="Discussion")
def goal_discussion(request, goal) -> str:
    actor = request.actor
    krs = list(goal.key_results.all())  # prefetched by the goal page
    columns = panels.part(request, goal, goal_discussion_read)
    comments, counts = selectors.goal_thread_of(actor=actor, goal_id=goal.pk, columns=columns)
    context = {
        "key_results": [(kr, counts.get(kr.pk, 0)) for kr in krs],
        "thread": thread_html(request, "goal", goal.pk, comments=comments),
    }
    return render_to_string("discussion/_goal_panel.html", context, request=request)
