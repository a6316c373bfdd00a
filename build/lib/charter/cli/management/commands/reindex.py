"""`charter reindex`: rebuild the search index (text, keywords and meaning vectors) with a progress bar."""

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from charter.cli.base import CharterCommand
from charter.organizations.models import Organization
from charter.search import selectors, services


class Command(CharterCommand):
    help = "Rebuild the search index; re-embeds every item with the current meaning model."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="Organization slug (default: every organization).")

    def handle(self, *args, organization=None, **options):
        org_id = None
        if organization:
            org = Organization.objects.filter(slug=organization).first()
            if org is None:
                raise CommandError(f"No organization with the slug {organization!r}.")
            org_id = org.pk
        meaning = selectors.meaning_status()
        if not meaning.on:
            self.stderr.write(f"Meaning search is off ({meaning.reason}): indexing keywords only.")
        console = Console(stderr=True)
        columns = (TextColumn("Indexing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
            task = progress.add_task("index", total=None)

            def advance(done: int, n: int) -> None:
                progress.update(task, completed=done, total=n)

            total = services.reindex(organization_id=org_id, progress=advance)
        model = f" with {meaning.model}" if meaning.on else ""
        self.stdout.write(f"Indexed {total} items{model}.")
