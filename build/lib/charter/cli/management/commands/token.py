"""`charter token create`: a personal API token, printed once."""

from django.conf import settings

from charter.cli.base import CharterCommand, organization_for, person_actor
from charter.organizations.services import token_create


class Command(CharterCommand):
    help = "Manage personal API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print it once.")
        create.add_argument("--email", required=True, help="The person the token acts as.")
        create.add_argument("--organization", help="Organization slug (default: the only one).")
        create.add_argument("--name", required=True, help="Where the token is used, e.g. 'CI'.")
        create.add_argument(
            "--days",
            type=int,
            default=settings.CHARTER_API_TOKEN_DAYS,
            help="Days until it expires (0: never).",
        )

    def handle(self, *args, action, email, organization, name, days, **options):
        actor = person_actor(email, organization_for(organization))
        token, raw = token_create(actor=actor, name=name, days=days or None)
        expires = f"expires {token.expires_at:%Y-%m-%d}" if token.expires_at else "never expires"
        self.stderr.write(
            f"Token {token.name!r} for {actor.user.email} in {actor.organization.slug}, {expires}."
        )
        self.stderr.write("It is shown only now; store it somewhere safe:")
        self.stdout.write(raw)
