from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "charter.agents"
    label = "agents"
