"""Sending one webhook delivery: claim it, POST it, record the attempt, schedule a retry or give up."""

import json
import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from charter.core.events import publish

from . import webhook_post
from .models import Webhook, WebhookAttempt, WebhookDelivery

MAX_ATTEMPTS = 6
DISABLE_AFTER = 10  # failed attempts in a row
BACKOFF_SECONDS = 30  # 30 s, 1 min, 2 min, 4 min, 8 min ... capped at an hour
LEASE = timedelta(minutes=5)  # a delivery "sending" longer than this was lost with its worker

S = WebhookDelivery.Status
logger = logging.getLogger(__name__)
INTERRUPTED = (
    "The worker stopped during this send, so whether it arrived is unknown; "
    "it is not sent again, so that it never arrives twice."
)


def _claim(delivery_id: int) -> WebhookDelivery | None:
    """Take the delivery for this run, or None when it is done, in flight elsewhere or its webhook is off."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.unscoped()
            .select_for_update()
            .select_related("webhook")
            .filter(pk=delivery_id)
            .filter(Q(status__in=[S.PENDING, S.RETRYING]) | Q(status=S.SENDING, next_attempt_at__lte=now))
            .first()
        )
        if delivery is None:
            return None
        if delivery.status == S.SENDING:
            _close_interrupted(delivery)
            return None
        if not delivery.webhook.is_active:
            delivery.status, delivery.next_attempt_at = S.FAILED, None
            delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])
            return None
        delivery.status, delivery.attempts = S.SENDING, delivery.attempts + 1
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
        return delivery


def _close_interrupted(delivery: WebhookDelivery) -> None:
    """A claim past its lease: its worker stopped during the POST, which may have arrived.

    Sending again could deliver it twice (a chat channel would show it twice), so the delivery is
    closed as failed with the reason in its log; the notification itself stays in the inbox.
    """
    WebhookAttempt.objects.create(
        organization_id=delivery.organization_id,
        delivery=delivery,
        number=delivery.attempts,
        ok=False,
        response_code=None,
        error=INTERRUPTED,
        duration_ms=0,
    )
    delivery.status, delivery.next_attempt_at = S.FAILED, None
    delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])


# The task sits with the delivery it sends (not in tasks.py): a notification's fan-out queues it, and
# tasks.py builds on `notify`, so a task here keeps the app free of import cycles.
@task()
def webhook_deliver(delivery_id: int) -> str:
    return deliver(delivery_id)


def enqueue_deliveries(delivery_ids: list[int]) -> None:
    for pk in delivery_ids:
        webhook_deliver.enqueue(delivery_id=pk)


def deliver(delivery_id: int) -> str:
    """Send one delivery once; safe to run twice (a second run finds nothing to claim)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "skipped"
    hook = delivery.webhook
    try:
        body = json.dumps(delivery.payload, separators=(",", ":")).encode()
        outcome = webhook_post.post(
            hook.url, body, secret=hook.secret, allow_private=hook.allow_private, delivery_id=delivery.pk
        )
    except Exception as exc:  # a fault of ours: recorded as a failed attempt, never left "sending"
        logger.exception("webhook delivery %s failed unexpectedly", delivery.pk)
        outcome = webhook_post.Outcome(
            status=None, error=f"Internal error: {type(exc).__name__}", duration_ms=0
        )
    _record(delivery, outcome)
    return delivery.status


def _retryable(outcome: webhook_post.Outcome) -> bool:
    return outcome.status is None or outcome.status >= 500 or outcome.status == 429


def _record(delivery: WebhookDelivery, outcome: webhook_post.Outcome) -> None:
    now = timezone.now()
    with transaction.atomic():
        WebhookAttempt.objects.create(
            organization_id=delivery.organization_id,
            delivery=delivery,
            number=delivery.attempts,
            ok=outcome.ok,
            response_code=outcome.status,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
        if outcome.ok:
            delivery.status, delivery.next_attempt_at = S.SUCCEEDED, None
        elif _retryable(outcome) and delivery.attempts < MAX_ATTEMPTS:
            wait = min(BACKOFF_SECONDS * 2 ** (delivery.attempts - 1), 3600)
            delivery.status, delivery.next_attempt_at = S.RETRYING, now + timedelta(seconds=wait)
        else:
            delivery.status, delivery.next_attempt_at = S.FAILED, None
        delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])
        _count_failure(delivery.webhook_id, ok=outcome.ok)


def _count_failure(webhook_id: int, *, ok: bool) -> None:
    hook = Webhook.objects.unscoped().select_for_update().select_related("organization").get(pk=webhook_id)
    if ok:
        if hook.consecutive_failures:
            hook.consecutive_failures = 0
            hook.save(update_fields=["consecutive_failures"])
        return
    hook.consecutive_failures += 1
    if hook.consecutive_failures >= DISABLE_AFTER and hook.is_active:
        hook.is_active = False
        hook.disabled_reason = f"Turned off after {hook.consecutive_failures} failed attempts in a row."
        # The admins hear of it through `notify`, which builds on this module: handlers.py reacts.
        publish("webhook.disabled", hook=hook)
    hook.save(update_fields=["consecutive_failures", "is_active", "disabled_reason"])


def retries_enqueue(*, now=None) -> int:
    """Queue the deliveries that are due (retries, lost sends); each is pushed out by the lease first."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            WebhookDelivery.objects.unscoped()
            .select_for_update()
            .filter(status__in=[S.PENDING, S.RETRYING, S.SENDING], next_attempt_at__lte=now)
            .values_list("pk", flat=True)[:500]
        )
        WebhookDelivery.objects.unscoped().filter(pk__in=due).exclude(status=S.SENDING).update(
            next_attempt_at=timezone.now() + LEASE
        )
    transaction.on_commit(lambda: enqueue_deliveries(due))
    return len(due)
