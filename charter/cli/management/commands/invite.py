"""`charter invite EMAIL [EMAIL ...]`: invite people by email and print each invitation's link."""

from charter.cli.base import CharterCommand, organization_for, owner_actor, person_actor
from charter.core.errors import NotFound
from charter.organizations.models import Role, Team
from charter.organizations.services import invitation_create


class Command(CharterCommand):
    help = "Invite people to an organization: each gets an email with a single-use link, printed here too."

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+", metavar="EMAIL", help="The addresses to invite.")
        parser.add_argument("--organization", help="Organization slug (default: the only one).")
        parser.add_argument("--role", default=Role.MEMBER, choices=Role.values, help="Their role (member).")
        parser.add_argument("--team", help="The name of a team they join too.")
        parser.add_argument(
            "--invited-by", help="The owner or admin who invites (default: the organization's first owner)."
        )

    def handle(self, *args, emails, organization, role, team, invited_by, **options):
        org = organization_for(organization)
        actor = person_actor(invited_by, org) if invited_by else owner_actor(org)
        team_id = None
        if team:
            found = Team.objects.for_org(org).filter(name__iexact=team.strip()).first()
            if found is None:
                names = ", ".join(Team.objects.for_org(org).values_list("name", flat=True)) or "none yet"
                raise NotFound(f"No team called {team!r} in {org.slug} (teams: {names}).", field="team")
            team_id = found.pk
        result = invitation_create(actor=actor, emails=emails, role=role, team_id=team_id)
        for invitation, link in result.sent:
            self.stdout.write(f"{invitation.email}\t{link}")
        for address in result.already_members:
            self.stderr.write(f"{address} is already in {org.slug}: not invited.")
        if result.sent:
            expires = f"{result.sent[0][0].expires_at:%Y-%m-%d}"
            self.stderr.write(
                f"{len(result.sent)} invitation(s) to {org.slug} as {role}, emailed by the worker; "
                f"each link works once, until {expires}."
            )
