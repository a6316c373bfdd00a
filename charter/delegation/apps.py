from django.apps import AppConfig


class DelegationConfig(AppConfig):
    name = "charter.delegation"
    label = "delegation"

    def ready(self):
        from charter.core import panels

        from . import panels as mine
        from .models import Decision, PokerSession

        panels.register_read("goal.detail")(mine.goal_decisions_read)
        panels.register("goal.detail", order=50, tab="Decisions")(mine.goal_decisions)
        panels.register("home", order=20)(mine.decisions_waiting)
        panels.register("home", order=21)(mine.advice_for_me)
        panels.register("leadership.profile", order=10)(mine.advice_for_me)
        try:
            from charter.discussion.registry import register_target
        except ImportError:  # the discussion app's registry has not landed yet
            return
        register_target("decision", Decision, "decision_detail", "decision_id")
        register_target("poker_session", PokerSession, "poker_detail", "poker_id")
