from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "charter.cli"
    label = "cli"
