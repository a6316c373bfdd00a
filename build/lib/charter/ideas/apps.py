from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "charter.ideas"
    label = "ideas"

    def ready(self):
        from charter.discussion.registry import register_target

        from . import panels  # noqa: F401 - registers the goal page panel
        from .models import Idea

        register_target("idea", Idea, "idea_detail", "idea_id")
