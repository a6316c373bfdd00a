from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "charter.discussion"
    label = "discussion"

    def ready(self):
        # Discussion sits above goals, so it registers the goals app's targets itself.
        from charter.goals.models import Goal, KeyResult

        from . import panels  # noqa: F401 - registers the goal page panel
        from .registry import register_target

        register_target("goal", Goal, "goal_detail", "goal_id")
        register_target("key_result", KeyResult, "key_result_comments", "key_result_id")
