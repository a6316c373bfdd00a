"""The goal page's panel: linked metrics with their health, and the sources feeding its key results."""

from django.template.loader import render_to_string

from charter.core import panels

from . import selectors


@panels.register_read("goal.detail")
def goal_metrics_read(request) -> dict:
    return selectors.goal_panel_columns(actor=request.actor)


@panels.register("goal.detail", order=70, tab="Metrics")
def goal_metrics(request, goal) -> str:
    actor = request.actor
    metrics, sources = selectors.goal_panel_objects(goal, panels.part(request, goal, goal_metrics_read))
    context = {"goal": goal, "metrics": metrics, "sources": sources, "may_manage": actor.can("metric.manage")}
    return render_to_string("metrics/_goal_panel.html", context, request=request)
