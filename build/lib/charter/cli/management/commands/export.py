"""`charter export`: an organization as a goals file (YAML)."""

from pathlib import Path

from charter.cli.base import CharterCommand, organization_for, owner_actor
from charter.cli.goalsfile import dump_goals, export_goals


class Command(CharterCommand):
    help = "Write an organization's mission, people, teams, cycles, goals and check-ins as a goals file."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="Organization slug (default: the only one).")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, organization, output, **options):
        actor = owner_actor(organization_for(organization))
        text = dump_goals(export_goals(actor=actor))
        if not output or output == "-":
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote {actor.organization.slug} to {output}.")
