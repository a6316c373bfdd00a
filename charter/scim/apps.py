from django.apps import AppConfig


class ScimConfig(AppConfig):
    name = "charter.scim"
    label = "scim"
