"""Background tasks of notifications: they take ids and are safe to run twice."""

from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from charter.organizations.models import Membership, Organization, TeamMembership

from . import delivery, mail, scheduler
from .models import Notification
from .selectors import channels_for
from .services import notify, system_actor


@task(takes_context=True)
def goal_at_risk_notify(
    context,
    organization_id: int,
    actor_id: int,
    owner_id: int,
    team_id: int | None,
    title: str,
    url: str,
    goal_id: int | None = None,  # None in tasks queued before notifications named their object
) -> int:
    """Tell a goal's owner and its team's leads that it turned at risk or off track; once per task, even
    when the task runs again (the claim and the notifications commit together)."""
    org = Organization.objects.get(pk=organization_id)
    leads = TeamMembership.objects.for_org(org).filter(team_id=team_id, is_lead=True) if team_id else []
    recipients = [owner_id, *(m.user_id for m in leads)]
    actor = system_actor(org, user_id=actor_id)
    with transaction.atomic():
        if not scheduler.claim("goal.at_risk", "task", str(context.task_result.id)):
            return 0
        subject = {"object_type": "goal", "object_id": goal_id} if goal_id else {}
        told = notify(
            actor=actor, event="goal.at_risk", recipient_ids=recipients, title=title, url=url, **subject
        )
        return len(told)


@task()
def weekly_digest_send(organization_id: int, period: str) -> int:
    """Email each member who wants the digest what is unread from the last week; once per period."""
    org = Organization.objects.get(pk=organization_id)
    since = timezone.now() - timedelta(days=7)
    unread = (
        Notification.objects.for_org(org)
        .filter(read_at__isnull=True, created_at__gte=since)
        .exclude(event="digest.weekly")
        .order_by("-created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    for n in unread:
        by_user.setdefault(n.recipient_id, []).append(n)
    members = (
        Membership.objects.for_org(org).filter(is_active=True, user_id__in=by_user).select_related("user")
    )
    wanted = channels_for(organization_id=org.pk, event="digest.weekly", user_ids=list(by_user))
    sent = 0
    for m in members:
        if not wanted[m.user_id][1] or not mail.can_mail(m.user):
            continue
        with transaction.atomic():
            if not scheduler.claim("digest.weekly", period, f"org:{org.pk}/user:{m.user_id}"):
                continue
        mail.digest_email(user=m.user, organization=org, notifications=by_user[m.user_id][:20])
        sent += 1
    return sent


def weekly_digest_enqueue(period: str) -> None:
    for org_id in Organization.objects.values_list("pk", flat=True):
        weekly_digest_send.enqueue(organization_id=org_id, period=period)


def webhook_retries_enqueue(period: str) -> None:
    delivery.retries_enqueue()


def stale_tasks_recover(period: str) -> None:
    scheduler.recover_stale_tasks()


def idempotency_keys_purge(period: str) -> int:
    """Delete the API's idempotency keys past their expiry (a minute sweep; an index finds them)."""
    from charter.core.models import IdempotencyKey

    deleted, _ = IdempotencyKey.objects.unscoped().filter(expires_at__lte=timezone.now()).delete()
    return deleted
