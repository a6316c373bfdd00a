"""The lint app: coded quality rules for goals and micro-management smells, shown as panels and badges."""

from django.apps import AppConfig


class LintConfig(AppConfig):
    name = "charter.lint"
    label = "lint"

    def ready(self):
        from charter.core import panels

        # The rules register themselves in `registry` when `checks` is imported: once, here.
        from . import checks, views  # noqa: F401

        panels.register_read("goal.detail")(views.goal_panel_read)
        panels.register("goal.detail", order=5, tab="Lint")(views.goal_panel)
        panels.register("goal.badges")(views.goal_badges)
        panels.register_prepare("goal.badges")(views.prepare_badges)
