from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "charter.web"
    label = "web"

    def ready(self):
        from .search_index import register_all

        register_all()
