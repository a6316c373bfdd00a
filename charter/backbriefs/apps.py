from django.apps import AppConfig


class BackbriefsConfig(AppConfig):
    name = "charter.backbriefs"
    label = "backbriefs"
