"""The Slack app: slash commands, interactive buttons and direct messages for an organization's people."""

from django.apps import AppConfig


class SlackConfig(AppConfig):
    name = "charter.slack"
    label = "slack"

    def ready(self):
        from charter.notifications.registry import register_channel

        from .tasks import channel

        register_channel("slack", channel)
