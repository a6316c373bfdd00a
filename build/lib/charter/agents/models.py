"""Agent members: an AI agent is a User of kind "agent" with a sponsor who answers for it."""

from django.conf import settings
from django.db import models

from charter.core.models import OrgScopedModel


class AgentProfile(OrgScopedModel):
    """Who answers for an agent (its sponsor), its home team, who created it and what it is for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile"
    )
    sponsor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("organizations.Team", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    purpose = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.user)
