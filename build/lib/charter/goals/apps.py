from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "charter.goals"
    label = "goals"
