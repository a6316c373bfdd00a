"""An organization's Slack installation (its workspace, bot token and signing secret) and who is who."""

from django.conf import settings
from django.db import models

from charter.core.crypto import EncryptedCharField
from charter.core.models import OrgScopedModel


class SlackInstallation(OrgScopedModel):
    """One Slack workspace per organization. Slack names the workspace in every request (`team_id`): the
    request is then checked with this installation's signing secret and acts in this organization only,
    so a workspace id is never shared by two organizations."""

    team_id = models.CharField(max_length=32, unique=True)
    bot_token = EncryptedCharField(max_length=255)
    signing_secret = EncryptedCharField(max_length=255)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="slack_one_installation_per_org")
        ]

    def __str__(self):
        return f"Slack {self.team_id}"


class SlackLink(OrgScopedModel):
    """A Slack user of the organization's workspace and the Charter person with the same email."""

    slack_user_id = models.CharField(max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slack_user_id"], name="slack_link_one_per_slack_user"
            ),
            models.UniqueConstraint(fields=["organization", "user"], name="slack_link_one_per_person"),
        ]
