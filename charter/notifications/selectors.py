"""Reads of one's own inbox and preferences, and of the organization's webhooks, scoped to the actor."""

from collections.abc import Iterable

from django.db.models import Case, IntegerField, Prefetch, Value, When

from charter.core.actor import Actor
from charter.core.errors import NotFound

from . import catalog, queries
from .models import Notification, NotificationPreference, Webhook, WebhookAttempt, WebhookDelivery


def channels_for(
    *, organization_id: int, event: str, user_ids: Iterable[int]
) -> dict[int, tuple[bool, bool]]:
    """(in_app, email) per user for `event`: their preference, else the event's defaults. One query."""
    user_ids = list(user_ids)
    spec = catalog.BY_CODE.get(event)
    default = (spec.in_app, spec.email) if spec else (True, False)
    chosen = {
        p.user_id: (p.in_app, p.email)
        for p in NotificationPreference.objects.for_org(organization_id).filter(
            event=event, user_id__in=user_ids
        )
    }
    return {u: chosen.get(u, default) for u in user_ids}


def notification_list(*, actor: Actor, unread: bool | None = None, event: str | None = None):
    """The actor's notifications: unread first, newest first within each."""
    rows = (
        Notification.objects.for_org(actor.organization)
        .filter(recipient_id=actor.user_id)
        .select_related("actor")
        .order_by(
            Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "-created_at",
            "-id",
        )
    )
    if unread is True:
        rows = rows.filter(read_at__isnull=True)
    elif unread is False:
        rows = rows.filter(read_at__isnull=False)
    if event:
        rows = rows.filter(event=event)
    return rows


def notification_unread_count(*, actor: Actor) -> int:
    return (
        Notification.objects.for_org(actor.organization)
        .filter(recipient_id=actor.user_id, read_at__isnull=True)
        .count()
    )


def notification_latest_unread(*, actor: Actor, limit: int = 5) -> list[Notification]:
    """The newest unread `limit` (the home page's inbox panel), in plain SQL (`queries.latest_unread`)."""
    return queries.latest_unread(organization_id=actor.organization_id, user_id=actor.user_id, limit=limit)


def preference_table(*, actor: Actor) -> list[dict]:
    """Each event with the actor's channels (their choice or the default); one query."""
    codes = [e.code for e in catalog.EVENTS]
    chosen = {
        p.event: p
        for p in NotificationPreference.objects.for_org(actor.organization).filter(
            user_id=actor.user_id, event__in=codes
        )
    }
    rows = []
    for event in catalog.EVENTS:
        pref = chosen.get(event.code)
        in_app, email = (pref.in_app, pref.email) if pref else (event.in_app, event.email)
        rows.append({"event": event, "in_app": in_app, "email": email, "custom": pref is not None})
    return rows


def wants(*, actor: Actor, event: str) -> tuple[bool, bool]:
    return channels_for(organization_id=actor.organization_id, event=event, user_ids=[actor.user_id])[
        actor.user_id
    ]


# ---- webhooks -------------------------------------------------------------------------------------


def webhook_list(*, actor: Actor):
    actor.require("webhook.manage")
    return Webhook.objects.for_org(actor.organization)


def webhook_get(*, actor: Actor, webhook_id: int) -> Webhook:
    webhook = webhook_list(actor=actor).filter(pk=webhook_id).first()
    if webhook is None:
        raise NotFound("No such webhook.")
    return webhook


def webhook_deliveries(*, actor: Actor, webhook_id: int):
    """A webhook's delivery log, newest first, each with its attempts (two queries per page)."""
    webhook = webhook_get(actor=actor, webhook_id=webhook_id)
    return (
        WebhookDelivery.objects.for_org(actor.organization)
        .filter(webhook=webhook)
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.unscoped().order_by("number", "id"))
        )
    )
