"""Tell people what needs them: every domain calls `notify`, the one way in."""

from collections.abc import Iterable

from charter.core.actor import Actor

from .models import Notification


def notify(
    *, actor: Actor, event: str, recipient_ids: Iterable[int], title: str, url: str = "", body: str = ""
) -> list[Notification]:
    """Record a notification for each recipient except the actor; returns the new rows."""
    recipients = sorted({r for r in recipient_ids if r and r != actor.user_id})
    return Notification.objects.bulk_create(
        Notification(
            organization_id=actor.organization_id,
            recipient_id=r,
            actor_id=actor.user_id,
            event=event,
            title=title[:250],
            url=url,
            body=body,
        )
        for r in recipients
    )
