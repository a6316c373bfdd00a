"""Reactions to other apps' domain events (subscribed when the app is ready)."""

from django.urls import reverse

from charter.core.events import subscribe

from .tasks import goal_at_risk_notify

RISKY = {"at_risk", "off_track"}


@subscribe("goal.status_changed")
def goal_became_risky(*, actor, goal, before, after, **_):
    """Tell the goal's owner and its team's leads when it turns at risk or off track (not when it worsens).

    The worker finds the leads and tells them: the write that turned the goal (a check-in, often through
    the API) pays one INSERT, the task's, in its own transaction, so a rolled-back change tells no one.
    """
    if after not in RISKY or before in RISKY:
        return
    state = "off track" if after == "off_track" else "at risk"
    goal_at_risk_notify.enqueue(
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        owner_id=goal.owner_id,
        team_id=goal.team_id,
        title=f"{goal.title} is {state}",
        url=reverse("goal_detail", args=[goal.pk]),
        goal_id=goal.pk,
    )
