"""Tell people what needs them: every domain calls `notify`, the one way in; inbox and preference writes."""

from collections.abc import Iterable
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit
from charter.core.errors import NotFound, ValidationError

from . import catalog, registry
from .mail import notification_email_send
from .models import Notification, NotificationPreference
from .selectors import channels_for
from .webhooks import fan_out

# Only a scoped token lacks the action (every role has it): the refusal says which scope it needs.
WRITE_REFUSED = "Changing your notifications is a write: this token needs the inbox scope."


def system_actor(organization, user_id: int | None = None) -> Actor:
    """The actor of background work: one organization, and no person (reminders, digests) or the person
    whose change the work follows up (they are not told of their own change)."""
    return Actor(user=SimpleNamespace(pk=user_id), organization=organization, role="system", via="system")


def notify(
    *,
    actor: Actor,
    event: str,
    recipient_ids: Iterable[int],
    title: str,
    url: str = "",
    body: str = "",
    object_type: str = "",
    object_id: int | None = None,
) -> list[Notification]:
    """Record a notification for each recipient except the actor who wants it; returns the new rows.

    `object_type` and `object_id` name what it is about ("decision", 7), for programs reading the
    inbox or a webhook; both or neither. Emails (for those who chose them) and webhook deliveries
    leave after the caller's transaction commits, so a rolled-back change sends nothing.
    """
    if bool(object_type) != (object_id is not None):
        raise ValueError("notify takes object_type and object_id together, or neither")
    recipients = sorted({r for r in recipient_ids if r and r != actor.user_id})
    wanted = channels_for(organization_id=actor.organization_id, event=event, user_ids=recipients)
    rows = [
        Notification(
            organization_id=actor.organization_id,
            recipient_id=r,
            actor_id=actor.user_id,
            event=event,
            title=title[:250],
            url=url,
            body=body,
            object_type=object_type,
            object_id=object_id,
        )
        for r in recipients
        if any(wanted[r])
    ]
    created = Notification.objects.bulk_create(rows)
    email_ids = [n.pk for n in created if wanted[n.recipient_id][1]]
    if email_ids:
        transaction.on_commit(lambda: _enqueue_emails(email_ids))
    subject = {"type": object_type, "id": object_id} if object_type else None
    fan_out(actor=actor, event=event, title=title, url=url, body=body, notifications=created, subject=subject)
    registry.deliver(actor=actor, event=event, notifications=created)
    return created


def _enqueue_emails(notification_ids: list[int]) -> None:
    for pk in notification_ids:
        notification_email_send.enqueue(notification_id=pk)


# ---- inbox ----------------------------------------------------------------------------------------


def notification_mark_read(*, actor: Actor, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read; someone else's is missing."""
    actor.require("notification.manage", WRITE_REFUSED)
    with transaction.atomic():
        notification = (
            Notification.objects.for_org(actor.organization)
            .filter(pk=notification_id, recipient_id=actor.user_id)
            .first()
        )
        if notification is None:
            raise NotFound("No such notification.")
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return notification


def notification_mark_all_read(*, actor: Actor, event: str | None = None) -> int:
    """Mark all the actor's unread notifications (of `event`, when given) read; returns how many."""
    actor.require("notification.manage", WRITE_REFUSED)
    with transaction.atomic():
        unread = Notification.objects.for_org(actor.organization).filter(
            recipient_id=actor.user_id, read_at__isnull=True
        )
        if event:
            unread = unread.filter(event=event)
        return unread.update(read_at=timezone.now())


# ---- preferences ----------------------------------------------------------------------------------


def preferences_set(*, actor: Actor, choices: dict[str, dict[str, bool]]) -> dict:
    """Set the actor's channels per event ({event: {"in_app", "email"}}); returns what changed."""
    actor.require("notification.manage", WRITE_REFUSED)
    unknown = sorted(set(choices) - set(catalog.BY_CODE))
    if unknown:
        raise ValidationError(f"Unknown events: {', '.join(unknown)}.", field="events")
    with transaction.atomic():
        mine = NotificationPreference.objects.for_org(actor.organization).filter(user_id=actor.user_id)
        existing = {p.event: p for p in mine}
        changes = {}
        for code, channels in choices.items():
            pref = existing.get(code) or NotificationPreference(
                organization_id=actor.organization_id, user_id=actor.user_id, event=code
            )
            before = (pref.in_app, pref.email) if pref.pk else None
            pref.in_app, pref.email = bool(channels.get("in_app")), bool(channels.get("email"))
            if before != (pref.in_app, pref.email):
                pref.save()
                changes[code] = {"in_app": pref.in_app, "email": pref.email}
        if changes:
            audit(actor, "notification_preference.set", actor.user, changes)
    return changes
