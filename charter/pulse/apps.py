from django.apps import AppConfig


class PulseConfig(AppConfig):
    name = "charter.pulse"
    label = "pulse"
