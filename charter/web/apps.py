from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "charter.web"
    label = "web"
