from django.apps import AppConfig


class MissionConfig(AppConfig):
    name = "charter.mission"
    label = "mission"
