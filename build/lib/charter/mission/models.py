"""The organization's mission, vision and values, and every revision of them."""

from django.conf import settings
from django.db import models

from charter.core.models import OrgScopedModel


class Mission(OrgScopedModel):
    """The current mission of an organization (one per organization)."""

    statement = models.TextField(blank=True, help_text="Why the organization exists, for whom.")
    vision = models.TextField(blank=True, help_text="The future the organization works towards.")
    values = models.JSONField(default=list, blank=True, help_text="A list of {name, meaning}.")
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="mission_one_per_org")]

    def __str__(self):
        return self.statement[:80] or "(no mission yet)"

    @property
    def is_defined(self) -> bool:
        return bool(self.statement.strip())


class MissionRevision(OrgScopedModel):
    """A snapshot of the mission after one change, with who made it and why."""

    number = models.PositiveIntegerField()
    statement = models.TextField(blank=True)
    vision = models.TextField(blank=True)
    values = models.JSONField(default=list, blank=True)
    reason = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="mission_revision_unique")
        ]

    def __str__(self):
        return f"Revision {self.number}"
