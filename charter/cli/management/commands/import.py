"""`charter import`: read a goals file into an organization, all or nothing."""

from contextlib import nullcontext
from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from charter.cli.base import CharterCommand, organization_for, owner_actor, progress_bar
from charter.cli.goalsfile import GoalsFileError, GoalsImport, read_goals_file
from charter.goals.services import without_first_cycle
from charter.organizations.selectors import actor_for
from charter.organizations.services import organization_create, user_ensure


class DryRun(Exception):
    """Raised inside the transaction to roll back a dry run."""


class Command(CharterCommand):
    help = "Import a goals file (YAML) into an organization, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The goals file.")
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--organization", help="Organization slug (default: the only one).")
        target.add_argument(
            "--new-organization", metavar="NAME", help="Create this organization and import into it."
        )
        parser.add_argument(
            "--owner", metavar="EMAIL", help="Owner of the new organization (created if missing)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check everything, then write nothing.")

    def handle(self, *args, file, organization, new_organization, owner, dry_run, **options):
        name = Path(file).name if Path(file).parent == Path() else file
        if new_organization and not owner:
            raise CommandError("--new-organization needs --owner EMAIL.")
        try:
            doc = read_goals_file(file, name)
            with transaction.atomic():
                actor = self._actor(organization, new_organization, owner, doc)
                with progress_bar(f"Importing {name}", GoalsImport.size(doc)) as advance:
                    run = GoalsImport(doc, actor=actor, filename=name, advance=advance)
                    counts = run.run()
                if dry_run:
                    raise DryRun
        except GoalsFileError as error:
            raise CommandError(str(error), returncode=1)
        except DryRun:
            self.stdout.write(
                f"Dry run: {name} is valid; it would add {_summary(counts)}. Nothing was written."
            )
            return
        if run.reattributed:
            self.stderr.write(
                f"{run.reattributed} check-ins are recorded as {actor.user.email}: their authors "
                "may no longer check in there."
            )
        self.stdout.write(f"Imported {name} into {actor.organization.slug}: {_summary(counts)}.")

    def _actor(self, slug, new_name, owner_email, doc):
        if not new_name:
            return owner_actor(organization_for(slug))
        listed = {p.email.lower(): p.name for p in doc.people}
        full_name = listed.get(owner_email.lower()) or owner_email.split("@")[0]
        user, _ = user_ensure(email=owner_email, full_name=full_name)
        # A file that lists cycles brings the new organization's cycles: they win over the first cycle
        # an organization otherwise gets (the current quarter), which would sit beside them unused.
        skip = without_first_cycle() if doc.cycles else nullcontext()
        with skip:
            org, _ = organization_create(name=new_name, owner=user)
        return actor_for(user=user, organization=org, via="cli")


def _summary(counts) -> str:
    labels = [
        ("mission", "mission"),
        ("people", "people"),
        ("teams", "teams"),
        ("cycles", "cycles"),
        ("goals", "goals"),
        ("key_results", "key results"),
        ("check_ins", "check-ins"),
    ]
    return ", ".join(f"{counts[key]} {label}" for key, label in labels)
