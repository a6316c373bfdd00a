"""Background tasks of goals: the weekly check-in reminder (takes ids, safe to run twice)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from charter.notifications.scheduler import claim
from charter.notifications.services import notify, system_actor
from charter.organizations.models import Membership, Organization

from .models import Cycle, KeyResult

REMIND_AFTER = timedelta(days=7)


def _waiting_by_owner(org, now) -> dict[int, list[str]]:
    """Titles of active-cycle key results without a check-in for a week, per owner (one query)."""
    cutoff = now - REMIND_AFTER
    rows = (
        KeyResult.objects.for_org(org)
        .filter(goal__cycle__state=Cycle.State.ACTIVE, owner__isnull=False)
        .filter(Q(last_check_in_at__lt=cutoff) | Q(last_check_in_at__isnull=True, created_at__lt=cutoff))
        .order_by("title")
        .values_list("owner_id", "title")
    )
    waiting: dict[int, list[str]] = {}
    for owner_id, title in rows:
        waiting.setdefault(owner_id, []).append(title)
    return waiting


def _title(count: int) -> str:
    return f"{count} key result{' waits' if count == 1 else 's wait'} for your weekly check-in"


@task()
def check_in_reminders(organization_id: int, period: str) -> int:
    """Remind each owner of key results waiting for a check-in, once per person and period."""
    org = Organization.objects.get(pk=organization_id)
    waiting = _waiting_by_owner(org, timezone.now())
    active = set(
        Membership.objects.for_org(org)
        .filter(is_active=True, user_id__in=waiting)
        .values_list("user_id", flat=True)
    )
    sent = 0
    for owner_id, titles in waiting.items():
        if owner_id not in active:
            continue
        with transaction.atomic():
            if not claim("check_in.due", period, f"org:{org.pk}/user:{owner_id}"):
                continue
            notify(
                actor=system_actor(org),
                event="check_in.due",
                recipient_ids=[owner_id],
                title=_title(len(titles)),
                url=reverse("check_in_week"),
                body="\n".join(f"- {t}" for t in titles[:20]),
            )
        sent += 1
    return sent


def check_in_reminders_enqueue(period: str) -> None:
    """The weekly job: one reminder task per organization."""
    for org_id in Organization.objects.values_list("pk", flat=True):
        check_in_reminders.enqueue(organization_id=org_id, period=period)
