from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "charter.agents"
    label = "agents"

    def ready(self):
        from . import panels  # noqa: F401 - registers the goal page's brief panel
