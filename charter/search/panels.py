"""Panels of search on other apps' pages: similar goals on the goal page."""

from django.template.loader import render_to_string

from charter.core import panels
from charter.organizations.models import Team

from . import selectors


@panels.register("goal.detail", order=80)
def similar_goals_panel(request, goal) -> str | None:
    actor = getattr(request, "actor", None)
    if actor is None or goal is None:
        return None
    meaning = selectors.stored_meaning_status()
    if not meaning.on:
        similar, threshold = [], selectors.similar_threshold(actor.organization)
    else:
        similar, threshold = selectors.similar_goals_and_threshold(actor=actor, goal_id=goal.pk)
        if not similar:
            return None  # nothing to point out: keep the page quiet
    teams = Team.objects.for_org(actor.organization).in_bulk([d.team_id for d, _ in similar if d.team_id])
    context = {
        "meaning": meaning,
        "similar": [(doc, score, teams.get(doc.team_id)) for doc, score in similar],
        "threshold": threshold,
    }
    return render_to_string("search/_similar.html", context, request=request)
