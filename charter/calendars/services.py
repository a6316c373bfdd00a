"""Writes of one's calendar feed: a new secret URL (the old one stops working), or none at all."""

import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit
from charter.core.crypto import token_hash

from .models import CalendarFeed

TOKEN_PREFIX = "cal_"


def feed_url(token: str) -> str:
    """The feed's absolute address: what a calendar app subscribes to."""
    return f"{settings.CHARTER_BASE_URL}{reverse('calendar_feed', args=[token])}"


def feed_rotate(*, actor: Actor) -> tuple[CalendarFeed, str]:
    """Give the actor a new feed token (replacing any old one); returns the feed and the token, once."""
    actor.require("calendar.feed")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        feed, created = CalendarFeed.objects.for_org(actor.organization_id).update_or_create(
            organization_id=actor.organization_id,
            user_id=actor.user_id,
            defaults={"token_hash": token_hash(token), "created_at": timezone.now()},
        )
        audit(actor, "calendar_feed.create" if created else "calendar_feed.rotate", feed)
    return feed, token


def feed_revoke(*, actor: Actor) -> bool:
    """Turn the actor's feed off: its URL answers 404 from now on. False when there was none."""
    actor.require("calendar.feed")
    with transaction.atomic():
        feed = CalendarFeed.objects.for_org(actor.organization_id).filter(user_id=actor.user_id).first()
        if feed is None:
            return False
        audit(actor, "calendar_feed.revoke", feed)
        feed.delete()
    return True
