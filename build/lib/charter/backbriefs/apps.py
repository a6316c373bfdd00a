"""The back-briefs app: reacts to goals being given to teams, and adds panels to the goal page and home."""

from django.apps import AppConfig


class BackbriefsConfig(AppConfig):
    name = "charter.backbriefs"
    label = "backbriefs"

    def ready(self):
        from charter.core import panels
        from charter.core.events import subscribe

        from . import services, views

        subscribe("goal.created")(services.on_goal_created)
        subscribe("goal.updated")(services.on_goal_updated)
        panels.register_read("goal.detail")(views.goal_panel_read)
        panels.register("goal.detail", order=10)(views.goal_panel)
        panels.register("home", order=20)(views.home_panel)
