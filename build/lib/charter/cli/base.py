"""What every `charter` subcommand shares: error translation, actors for the command line, progress bars."""

import sys
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError, handle_default_options
from django.db import connections
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from charter.core.errors import DomainError
from charter.organizations.models import Membership, Organization, Role, User
from charter.organizations.selectors import actor_for


def domain_error_message(error: DomainError) -> str:
    """One line: the error, then each field's problems (unless they only repeat it)."""
    details = [
        f"{field}: {' '.join(messages)}"
        for field, messages in (error.errors or {}).items()
        if messages != [error.message]
    ]
    return " ".join([error.message, "; ".join(details)]).strip()


class CharterCommand(BaseCommand):
    """A subcommand whose domain errors become one clear line on stderr and exit code 1."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except DomainError as error:
            raise CommandError(domain_error_message(error), returncode=1)

    def run_from_argv(self, argv):
        # Django would print "CommandError: ..."; a `FILE:LINE: message` must stay readable by editors.
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as error:
            if options.traceback:
                raise
            self.stderr.write(str(error))
            sys.exit(error.returncode)
        finally:
            connections.close_all()


def organization_for(slug: str | None) -> Organization:
    """The organization named by `slug`, or the only one there is."""
    if slug:
        org = Organization.objects.filter(slug=slug).first()
        if org is None:
            raise CommandError(f"No organization with the slug {slug!r}.")
        return org
    orgs = list(Organization.objects.order_by("slug")[:2])
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        raise CommandError(
            "There is no organization yet; create one (charter demo, or charter import --new-organization)."
        )
    slugs = ", ".join(Organization.objects.order_by("slug").values_list("slug", flat=True))
    raise CommandError(f"Several organizations exist; choose one with --organization ({slugs}).")


def owner_actor(organization: Organization):
    """The actor of the organization's first active owner, acting from the command line."""
    membership = (
        Membership.objects.for_org(organization)
        .filter(role=Role.OWNER, is_active=True)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    if membership is None:
        raise CommandError(f"{organization.slug} has no active owner to act as.")
    return actor_for(user=membership.user, organization=organization, via="cli")


def person_actor(email: str, organization: Organization):
    """The actor of the person with `email` in the organization, acting from the command line."""
    user = User.objects.filter(email=email.strip().lower()).first()
    actor = user and actor_for(user=user, organization=organization, via="cli")
    if actor is None:
        raise CommandError(f"{email} is not an active member of {organization.slug}.")
    return actor


@contextmanager
def progress_bar(description: str, total: int):
    """A rich progress bar on a terminal, silent elsewhere; yields a function that advances it."""
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=False,
    )
    with progress:
        task = progress.add_task(description, total=total)

        def advance(step: int = 1, description: str | None = None):
            progress.update(task, advance=step, **({"description": description} if description else {}))

        yield advance
