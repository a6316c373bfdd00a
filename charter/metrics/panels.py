"""The goal page's panel: linked metrics with their health, and the sources feeding its key results."""

from django.template.loader import render_to_string

from charter.core import panels

from . import selectors


@panels.register("goal.detail", order=70)
def goal_metrics(request, goal) -> str:
    actor = request.actor
    context = {
        "goal": goal,
        "metrics": selectors.goal_metrics(actor=actor, goal_id=goal.pk),
        "sources": selectors.goal_sources(
            actor=actor, goal_id=goal.pk, key_result_ids=[kr.pk for kr in goal.key_results.all()]
        ),
        "may_manage": actor.can("metric.manage"),
    }
    return render_to_string("metrics/_goal_panel.html", context, request=request)
