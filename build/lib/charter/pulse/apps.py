"""The pulse app: anonymous recurring surveys, with a home panel to answer the open round."""

from django.apps import AppConfig


class PulseConfig(AppConfig):
    name = "charter.pulse"
    label = "pulse"

    def ready(self):
        from charter.core import panels

        from . import views

        panels.register("home", order=30)(views.home_panel)
