"""A person's calendar feed in one organization: only the hash of its secret token is stored."""

from django.conf import settings
from django.db import models

from charter.core.models import OrgScopedModel


class CalendarFeed(OrgScopedModel):
    """The one feed of a person in an organization; a new token replaces the old, revoking deletes it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the token in the URL
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="calendar_feed_unique")]

    def __str__(self):
        return f"calendar feed of {self.user_id}"
