"""Reactions to domain events (subscribed when the app is ready): other apps', and the webhook delivery's,
which cannot call `notify` itself (notify fans out to webhooks, so delivery sits below it)."""

from django.urls import reverse

from charter.core.events import subscribe
from charter.organizations.models import Membership, Role

from .services import notify, system_actor
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


@subscribe("webhook.disabled")
def webhook_disabled(*, hook, **_):
    """Tell the organization's owners and admins that a webhook was turned off after repeated failures."""
    admins = Membership.objects.for_org(hook.organization).filter(
        role__in=[Role.OWNER, Role.ADMIN], is_active=True
    )
    notify(
        actor=system_actor(hook.organization),
        event="webhook.disabled",
        recipient_ids=admins.values_list("user_id", flat=True),
        title=f"Webhook {hook.name} was turned off after repeated failures",
        url=reverse("webhook_deliveries", args=[hook.pk]),
        body=hook.disabled_reason,
        object_type="webhook",
        object_id=hook.pk,
    )
