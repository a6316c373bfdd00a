"""Outgoing webhooks: admin writes, fan-out of events, and the delivery state machine with backoff."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from charter.core import outbound
from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.crypto import audited
from charter.core.errors import ValidationError

from . import cards, catalog
from .delivery import enqueue_deliveries
from .models import Webhook, WebhookDelivery
from .selectors import webhook_get


def _validated(*, name: str, url: str, events: list[str], allow_private: bool, format: str) -> dict:
    errors: dict[str, list[str]] = {}
    if format not in Webhook.Format.values:
        errors["format"] = [f"Choose a format: {', '.join(Webhook.Format.values)} (not {format!r})."]
    if not name.strip():
        errors["name"] = ["Give the webhook a name."]
    try:
        outbound.check_url(url.strip(), allow_private=allow_private, resolve_host=False)
    except outbound.ForbiddenTarget as exc:
        errors["url"] = [str(exc)]
    codes = {e.code for e in catalog.WEBHOOK_EVENTS} | {"*"}
    if unknown := sorted(set(events) - codes):
        errors["events"] = [f"Unknown events: {', '.join(unknown)}."]
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)
    return {"name": name.strip(), "url": url.strip(), "events": sorted(set(events)), "format": format}


def webhook_create(
    *,
    actor: Actor,
    name: str,
    url: str,
    events: list[str],
    is_active: bool = True,
    allow_private: bool = False,
    format: str = "charter",
) -> Webhook:
    actor.require("webhook.manage")
    values = _validated(name=name, url=url, events=events, allow_private=allow_private, format=format)
    with transaction.atomic():
        webhook = Webhook.objects.create(
            organization_id=actor.organization_id,
            secret=secrets.token_urlsafe(32),
            is_active=is_active,
            allow_private=allow_private,
            **values,
        )
        audit(actor, "webhook.create", webhook, audited({**values, "allow_private": allow_private}, "url"))
    return webhook


def webhook_update(*, actor: Actor, webhook_id: int, **fields) -> Webhook:
    """Change the fields given; turning a webhook back on starts its failure count afresh."""
    with transaction.atomic():
        webhook = webhook_get(actor=actor, webhook_id=webhook_id)
        merged = {
            k: fields.get(k, getattr(webhook, k))
            for k in ("name", "url", "events", "allow_private", "format")
        }
        values = _validated(**merged)
        values["allow_private"] = merged["allow_private"]
        if "is_active" in fields:
            values["is_active"] = bool(fields["is_active"])
        changes = changed_fields(webhook, values)
        if changes.get("is_active") == [False, True]:
            webhook.consecutive_failures, webhook.disabled_reason = 0, ""
        if changes:
            webhook.save()
            audit(actor, "webhook.update", webhook, audited(changes, "url"))
    return webhook


def webhook_delete(*, actor: Actor, webhook_id: int) -> None:
    with transaction.atomic():
        webhook = webhook_get(actor=actor, webhook_id=webhook_id)
        audit(actor, "webhook.delete", webhook, {"name": webhook.name})
        webhook.delete()


def webhook_test(*, actor: Actor, webhook_id: int) -> WebhookDelivery:
    """Queue a test delivery to the webhook (sent by the worker, logged like any other)."""
    with transaction.atomic():
        webhook = webhook_get(actor=actor, webhook_id=webhook_id)
        if not webhook.is_active:
            raise ValidationError("Turn the webhook on before testing it.", field="is_active")
        payload = build_payload(
            actor=actor, event="webhook.test", title=f"Test of the webhook {webhook.name}", url="", body=""
        )
        (delivery,) = _queue(actor, [webhook], "webhook.test", payload)
        audit(actor, "webhook.test", webhook)
    return delivery


# ---- fan-out --------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """Slack's escaping of & < >: a `<!channel>` in a title stays text, never a ping of everyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(link: str, text: str) -> str:
    # A `|` or `>` in the address would end Slack's link early; percent-encoded it is the same URL.
    target = _escape(link.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C"))
    return f"<{target}|{_escape(text)}>"


def build_payload(
    *, actor: Actor, event: str, title: str, url: str, body: str, notifications=(), subject=None
) -> dict:
    """Slack-compatible `text` and `blocks` (all text escaped), plus Charter's `event` with its ids."""
    link = f"{settings.CHARTER_BASE_URL}{url}" if url.startswith("/") else url
    heading = f"*{_link(link, title)}*" if link else f"*{_escape(title)}*"
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "\n".join(filter(None, [heading, _escape(body)]))},
        }
    ]
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"{catalog.label(event)} · Charter"}]}
    )
    return {
        "text": _link(link, title) if link else _escape(title),  # the fallback of notifications
        "blocks": blocks,
        "event": {
            "id": str(uuid.uuid4()),
            "code": event,
            "organization_id": actor.organization_id,
            "actor_id": actor.user_id,
            "title": title,
            "body": body,
            "url": link,
            "object": subject,  # {"type": "decision", "id": 7}, or null when about no single object
            "recipient_ids": [n.recipient_id for n in notifications],
            "notification_ids": [n.pk for n in notifications],
            "occurred_at": timezone.now().isoformat(),
        },
    }


def fan_out(
    *, actor: Actor, event: str, title: str, url: str, body: str, notifications, subject=None
) -> None:
    """Queue one delivery per active webhook subscribed to `event`; sent after the commit."""
    hooks = [
        w
        for w in Webhook.objects.for_org(actor.organization_id).filter(is_active=True)
        if event in w.events or "*" in w.events
    ]
    if hooks:
        payload = build_payload(
            actor=actor,
            event=event,
            title=title,
            url=url,
            body=body,
            notifications=notifications,
            subject=subject,
        )
        _queue(actor, hooks, event, payload)


def _payloads(actor: Actor, hooks: list[Webhook], payload: dict) -> dict[str, dict]:
    """The body of each format the hooks ask for: Charter's own, and the Teams card built from it."""
    bodies = {Webhook.Format.CHARTER: payload}
    if any(w.format == Webhook.Format.TEAMS for w in hooks):
        bodies[Webhook.Format.TEAMS] = cards.from_payload(
            payload,
            organization_name=getattr(actor.organization, "name", ""),
            actor_name=getattr(actor.user, "full_name", "") or "Charter",
        )
    return bodies


def _queue(actor: Actor, hooks: list[Webhook], event: str, payload: dict) -> list[WebhookDelivery]:
    # A pending delivery is due a little later too: if its enqueue is lost, the retry sweep sends it.
    due = timezone.now() + timedelta(minutes=2)
    bodies = _payloads(actor, hooks, payload)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            organization_id=actor.organization_id,
            webhook=w,
            event=event,
            payload=bodies.get(w.format, payload),
            next_attempt_at=due,
        )
        for w in hooks
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: enqueue_deliveries(ids))
    return deliveries
