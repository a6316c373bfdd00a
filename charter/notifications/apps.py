from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "charter.notifications"
    label = "notifications"
