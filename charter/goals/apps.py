from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "charter.goals"
    label = "goals"

    def ready(self):
        from charter.core.events import subscribe

        from . import services

        subscribe("organization.created")(services.on_organization_created)
