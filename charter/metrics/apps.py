from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "charter.metrics"
    label = "metrics"
