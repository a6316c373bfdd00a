from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "charter.core"
    label = "core"
