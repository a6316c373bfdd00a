from django.apps import AppConfig


class LintConfig(AppConfig):
    name = "charter.lint"
    label = "lint"
