"""The reviews app: cycle reviews, and the goal page's revision history panel."""

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "charter.reviews"
    label = "reviews"

    def ready(self):
        from charter.core import panels

        from . import views

        panels.register_read("goal.detail")(views.revisions_read)
        panels.register("goal.detail", order=90, tab="Revisions")(views.revisions_panel)
