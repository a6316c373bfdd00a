"""The notifications app: reacts to goal events and fills the home page's inbox panel."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "charter.notifications"
    label = "notifications"

    def ready(self):
        from . import handlers, panels  # noqa: F401 - registering is the import's effect
