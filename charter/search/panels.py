"""Panels of search on other apps' pages: similar goals on the goal page."""

from django.template.loader import render_to_string

from charter.core import panels

from . import embedder, selectors


@panels.register_read("goal.detail")
def similar_goals_read(request) -> dict:
    return selectors.similar_goal_columns(actor=request.actor)


@panels.register("goal.detail", order=80, tab="Alignment")
def similar_goals_panel(request, goal) -> str | None:
    actor = getattr(request, "actor", None)
    if actor is None or goal is None:
        return None
    model = embedder.identity()
    columns = panels.part(request, goal, similar_goals_read)
    if model is None:
        meaning = selectors.meaning_status()
        similar, threshold = [], selectors.threshold_of(columns["similar_threshold"])
    else:
        meaning = selectors.MeaningStatus(True, model[0])
        similar, threshold = selectors.similar_goals_from(
            actor=actor, goal_id=goal.pk, columns=columns, model=model
        )
        if not similar:
            return None  # nothing to point out: keep the page quiet
    context = {
        "meaning": meaning,
        "similar": [
            (doc, score, {"name": doc.team_name} if doc.team_name else None) for doc, score in similar
        ],
        "threshold": threshold,
    }
    return render_to_string("search/_similar.html", context, request=request)
