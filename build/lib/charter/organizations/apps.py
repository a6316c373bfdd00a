from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "charter.organizations"
    label = "organizations"

    def ready(self):
        from . import sessions  # noqa: F401  (notes the sign-in moment in the session)
