from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "charter.insights"
    label = "insights"
