"""`charter demo`: load the demo organization (Lumen Health) and print how to sign in."""

from charter.cli.base import CharterCommand, progress_bar
from charter.cli.demo import DemoBuilder, demo_size
from charter.organizations.models import Organization


class Command(CharterCommand):
    help = "Load a realistic demo organization: mission, teams, people, goals, ten weeks of check-ins."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Only when there is no organization yet.")

    def handle(self, *args, if_empty, **options):
        if if_empty and Organization.objects.exists():
            self.stderr.write("An organization exists already; the demo is not loaded.")
            return
        with progress_bar("Loading the demo organization", demo_size()) as advance:
            result = DemoBuilder(advance).build()
        password = result.password or "(your existing password)"
        self.stdout.write(
            f"Demo organization {result.organization.name!r} ({result.organization.slug}) is ready.\n"
            f"  Email  {result.email}\n"
            f"  Password {password}"
        )
