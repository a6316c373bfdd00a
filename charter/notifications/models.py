"""Notifications: the inbox, each person's channel preferences, outgoing webhooks and periodic runs."""

from django.conf import settings
from django.db import models

from charter.core import outbound
from charter.core.crypto import EncryptedCharField, EncryptedURLField
from charter.core.models import OrgScopedModel


class Notification(OrgScopedModel):
    """Something a person should know or act on; `event` is a stable code such as `decision.needs_you`."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.CharField(max_length=64)
    title = models.CharField(max_length=250)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # What it is about, for programs (the API, webhooks, the page's data attributes): a type such as
    # "decision" and its id; empty for one about no single object (a weekly reminder).
    object_type = models.CharField(max_length=40, blank=True, default="")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)  # set once, so a re-run task sends nothing
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "recipient", "read_at"])]

    def __str__(self):
        return self.title


class NotificationPreference(OrgScopedModel):
    """A person's choice of channels for one event; without a row the event's defaults apply."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=64)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user", "event"], name="notification_pref_unique")
        ]

    def __str__(self):
        return f"{self.user_id} {self.event}"


class Webhook(OrgScopedModel):
    """An outgoing webhook of an organization: Slack-compatible JSON or a Teams card, signed."""

    class Format(models.TextChoices):
        CHARTER = "charter", "Charter JSON (Slack-compatible)"
        TEAMS = "teams", "Microsoft Teams (Adaptive Card)"

    name = models.CharField(max_length=100)
    # Encrypted at rest (core.crypto): a URL such as Slack's is itself a credential.
    url = EncryptedURLField(max_length=outbound.MAX_URL_LENGTH)
    secret = EncryptedCharField(max_length=100)
    events = models.JSONField(default=list, blank=True)  # event codes it is subscribed to
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.CHARTER)
    is_active = models.BooleanField(default=True)
    allow_private = models.BooleanField(
        default=False, help_text="Allow addresses of private networks and this machine (admins only)."
    )
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class WebhookDelivery(OrgScopedModel):
    """One event to send to one webhook; retried with backoff until it succeeds or gives up."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Retrying"
        SENDING = "sending", "Sending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.event} → {self.webhook_id}"


class WebhookAttempt(OrgScopedModel):
    """One HTTP try of a delivery, for the delivery log."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    ok = models.BooleanField(default=False)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number", "id"]

    def __str__(self):
        return f"attempt {self.number} of {self.delivery_id}"


class PeriodicRun(models.Model):
    """A periodic job done for one period and subject; the unique row stops a second worker repeating it."""

    job = models.CharField(max_length=64)
    period = models.CharField(max_length=32)  # e.g. 2026-W10, or a minute 2026-03-02T09:15
    subject = models.CharField(max_length=64, default="", blank=True)  # e.g. org:3/user:5
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period", "subject"], name="periodic_run_unique")
        ]

    def __str__(self):
        return f"{self.job} {self.period} {self.subject}"
