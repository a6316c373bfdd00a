"""Email: one notification, or the weekly digest, as plain text plus HTML with a link back."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import catalog
from .models import Notification


def _absolute(url: str) -> str:
    return f"{settings.CHARTER_BASE_URL}{url}" if url.startswith("/") else url


def header_text(text: str) -> str:
    """One line for a header: a CR or LF (from a title) would make Django refuse the whole message."""
    return " ".join(text.split())


def _send(to: str, subject: str, template: str, context: dict) -> None:
    subject = header_text(subject)
    context = {**context, "inbox_url": _absolute(reverse("notification_list"))}
    context["preferences_url"] = _absolute(reverse("notification_preferences"))
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"notifications/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(render_to_string(f"notifications/email/{template}.html", context), "text/html")
    message.send()


def can_mail(user) -> bool:
    return bool(user.email) and user.kind == "person" and user.is_active


def notification_email(notification_id: int) -> bool:
    """Email one notification once; False when it was already sent or is not to be sent."""
    with transaction.atomic():
        n = (
            Notification.objects.unscoped()
            .select_for_update()
            .select_related("recipient", "organization")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if n is None or not can_mail(n.recipient):
            return False
        # Marked before sending: a crash after this sends nothing rather than twice.
        n.emailed_at = timezone.now()
        n.save(update_fields=["emailed_at"])
    context = {"n": n, "link": _absolute(n.url), "label": catalog.label(n.event)}
    _send(n.recipient.email, f"[{n.organization.name}] {n.title}", "notification", context)
    return True


def digest_email(*, user, organization, notifications: list[Notification]) -> None:
    context = {
        "user": user,
        "organization": organization,
        "items": [{"n": n, "link": _absolute(n.url), "label": catalog.label(n.event)} for n in notifications],
    }
    subject = f"[{organization.name}] Your week: {len(notifications)} unread"
    _send(user.email, subject, "digest", context)


# The task sits with the email it sends (not in tasks.py): `services.notify` queues it, and tasks.py
# builds on `notify`, so a task here keeps the app free of import cycles.
@task()
def notification_email_send(notification_id: int) -> bool:
    return notification_email(notification_id)
