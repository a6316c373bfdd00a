from django.apps import AppConfig


class DelegationConfig(AppConfig):
    name = "charter.delegation"
    label = "delegation"
