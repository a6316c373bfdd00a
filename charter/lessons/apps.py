from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "charter.lessons"
    label = "lessons"

    def ready(self):
        from charter.core import panels

        from . import views

        panels.register("account", order=50)(views.account_panel)
