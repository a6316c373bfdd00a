from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "charter.organizations"
    label = "organizations"
