from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "charter.search"
    label = "search"

    def ready(self):
        from . import panels  # noqa: F401 - registers the similar goals panel
