"""The metrics app: KPIs with thresholds and history, and data sources that feed metrics and key results."""

from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "charter.metrics"
    label = "metrics"

    def ready(self):
        from . import panels  # noqa: F401 - registers the goal page panel
