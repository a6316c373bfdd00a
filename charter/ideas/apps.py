from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "charter.ideas"
    label = "ideas"
