from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "charter.search"
    label = "search"
