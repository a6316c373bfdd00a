"""Reactions to other apps' domain events (subscribed when the app is ready)."""

from django.urls import reverse

from charter.core.events import subscribe
from charter.organizations.models import TeamMembership

from .services import notify

RISKY = {"at_risk", "off_track"}


@subscribe("goal.status_changed")
def goal_became_risky(*, actor, goal, before, after, **_):
    """Tell the goal's owner and its team's leads when it turns at risk or off track (not when it worsens)."""
    if after not in RISKY or before in RISKY:
        return
    leads = []
    if goal.team_id:
        leads = TeamMembership.objects.for_org(actor.organization).filter(team_id=goal.team_id, is_lead=True)
        leads = list(leads.values_list("user_id", flat=True))
    state = "off track" if after == "off_track" else "at risk"
    notify(
        actor=actor,
        event="goal.at_risk",
        recipient_ids=[goal.owner_id, *leads],
        title=f"{goal.title} is {state}",
        url=reverse("goal_detail", args=[goal.pk]),
    )
