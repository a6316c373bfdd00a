"""`charter agent`: create, change, deactivate and list agents, and issue, list and revoke their tokens.

Every write calls the same service as the web pages and the REST API, as a person of the organization
(`--acting-as EMAIL`, default: its first owner), so the same permission checks and errors apply.
"""

import argparse
import json

from charter.agents import selectors, services
from charter.cli.base import CharterCommand, organization_for, owner_actor, person_actor
from charter.core.errors import NotFound
from charter.organizations.models import Team, User
from charter.organizations.permissions import SCOPES

# `--cap org`: the agent follows the organization's cap (its own is cleared); no --cap: unchanged
ORGANIZATION_CAP = "org"
UNCHANGED = object()


def _cap(value: str):
    if value == ORGANIZATION_CAP:
        return None
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"a level from 0 to 7, or {ORGANIZATION_CAP!r}: not {value!r}")
    return int(value)


class Command(CharterCommand):
    help = "Manage AI agents: create, update, deactivate, list; their tokens: create, list, revoke."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)

        def action(name, help):
            sub = actions.add_parser(name, help=help)
            sub.add_argument("--organization", help="Organization slug (default: the only one).")
            sub.add_argument("--acting-as", help="The person who acts (default: the first owner).")
            return sub

        listing = action("list", "List the agents with their team, sponsor and caps.")
        listing.add_argument("--json", action="store_true", help="As JSON, like GET /api/v1/agents.")
        create = action("create", "Create an agent member of a team, with its sponsor.")
        create.add_argument("name", help="How people see it, e.g. 'Triage bot'.")
        self._fields(create, required=True)
        update = action("update", "Change an agent's name, team, sponsor, purpose or cap.")
        update.add_argument("agent_id", type=int)
        update.add_argument("--name")
        self._fields(update, required=False)
        deactivate = action("deactivate", "Deactivate an agent and revoke all its tokens.")
        deactivate.add_argument("agent_id", type=int)
        tokens = action("token", "Issue, list or revoke an agent's tokens.")
        tokens.add_argument("token_action", choices=["create", "list", "revoke"])
        tokens.add_argument("agent_id", type=int)
        tokens.add_argument("token_id", type=int, nargs="?", help="The token to revoke.")
        tokens.add_argument("--name", help="Where the token is used, e.g. 'Claude Desktop' (create).")
        tokens.add_argument(
            "--scope", action="append", choices=list(SCOPES), dest="scopes", help="Repeat for each scope."
        )
        tokens.add_argument("--days", type=int, default=90, help="Days until it expires (0: never).")

    @staticmethod
    def _fields(parser, *, required: bool):
        parser.add_argument("--team", required=required, help="The team's name or id.")
        parser.add_argument(
            "--sponsor", required=required, help="The email of the person who answers for it."
        )
        parser.add_argument("--purpose")
        parser.add_argument(
            "--cap",
            type=_cap,
            default=UNCHANGED,
            help="Its own cap on deciding alone (0-7, not above the organization's); 'org': follow it.",
        )

    def handle(self, *args, action, organization, acting_as, **options):
        org = organization_for(organization)
        actor = person_actor(acting_as, org) if acting_as else owner_actor(org)
        if action == "list":
            return self._list(actor, options["json"])
        if action == "create":
            profile = services.agent_create(
                actor=actor,
                name=options["name"],
                team_id=_team_id(actor, options["team"]),
                sponsor_id=_person_id(options["sponsor"]),
                purpose=options["purpose"] or "",
                decision_cap=None if options["cap"] is UNCHANGED else options["cap"],
            )
            return self._done(actor, profile, "created")
        if action == "update":
            return self._update(actor, options)
        if action == "deactivate":
            profile = services.agent_deactivate(actor=actor, agent_id=options["agent_id"])
            return self._done(actor, profile, "deactivated, its tokens revoked")
        return self._token(actor, options)

    def _update(self, actor, options):
        values = {
            "name": options["name"],
            "purpose": options["purpose"],
            "team_id": _team_id(actor, options["team"]) if options["team"] else None,
            "sponsor_id": _person_id(options["sponsor"]) if options["sponsor"] else None,
        }
        if options["cap"] is not UNCHANGED:
            values["decision_cap"] = options["cap"]
        profile = services.agent_update(actor=actor, agent_id=options["agent_id"], **values)
        return self._done(actor, profile, "updated")

    def _token(self, actor, options):
        agent_id, what = options["agent_id"], options["token_action"]
        if what == "create":
            token, raw = services.agent_token_create(
                actor=actor,
                agent_id=agent_id,
                name=options["name"] or "",
                scopes=options["scopes"] or [],
                days=options["days"] or None,
            )
            expires = f"expires {token.expires_at:%Y-%m-%d}" if token.expires_at else "never expires"
            self.stderr.write(f"Token {token.name!r} ({', '.join(token.scopes)}), {expires}.")
            self.stderr.write("It is shown only now; give it to the agent:")
            self.stdout.write(raw)
        elif what == "list":
            selectors.agent_get(actor=actor, agent_id=agent_id)
            for token in selectors.agent_tokens(actor=actor, agent_id=agent_id):
                state = "revoked" if token.revoked_at else "active" if token.is_active else "expired"
                expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never"
                self.stdout.write(
                    f"{token.pk}\tchr_{token.prefix}…\t{token.name}\t{','.join(token.scopes)}\t{expires}\t{state}"
                )
        else:
            if options["token_id"] is None:
                raise NotFound("Name the token to revoke: charter agent token revoke AGENT_ID TOKEN_ID.")
            token = services.agent_token_revoke(actor=actor, agent_id=agent_id, token_id=options["token_id"])
            self.stderr.write(f"Token {token.name!r} (chr_{token.prefix}…) revoked.")

    def _list(self, actor, as_json: bool):
        rows = [_row(actor, p) for p in selectors.agent_list(actor=actor)]
        if as_json:
            self.stdout.write(json.dumps(rows, indent=1, ensure_ascii=False))
            return
        for r in rows:
            own = "org" if r["decision_cap"] is None else r["decision_cap"]
            state = "active" if r["is_active"] else "deactivated"
            self.stdout.write(
                f"{r['id']}\t{r['name']}\t{r['team']}\tsponsor {r['sponsor']}\t"
                f"cap {own} (decides alone up to {r['effective_decision_cap']})\t{state}"
            )

    def _done(self, actor, profile, what: str):
        row = _row(actor, selectors.agent_get(actor=actor, agent_id=profile.user_id))
        self.stderr.write(
            f"Agent {row['name']} ({row['id']}) {what}: team {row['team']}, sponsor {row['sponsor']}, "
            f"decides alone up to level {row['effective_decision_cap']}."
        )
        self.stdout.write(str(row["id"]))


def _row(actor, p) -> dict:
    """An agent as the REST API's AgentOut has it."""
    return {
        "id": p.user_id, "name": str(p.user), "email": p.user.email, "sponsor_id": p.sponsor_id,
        "sponsor": str(p.sponsor), "team_id": p.team_id, "team": p.team.name, "purpose": p.purpose,
        "is_active": p.user.is_active, "decision_cap": p.decision_cap,
        "effective_decision_cap": selectors.effective_cap(actor, p),
    }  # fmt: skip


def _team_id(actor, team: str) -> int:
    """A team by id or (case-insensitive) name; the service says when it is not there."""
    if team.strip().isdigit():
        return int(team)
    found = Team.objects.for_org(actor.organization).filter(name__iexact=team.strip()).first()
    if found is None:
        names = ", ".join(Team.objects.for_org(actor.organization).values_list("name", flat=True))
        raise NotFound(f"No team called {team!r} (teams: {names or 'none yet'}).", field="team")
    return found.pk


def _person_id(email: str) -> int | None:
    """The user with that email, if any; whether they may sponsor is the service's rule."""
    return User.objects.filter(email=email.strip().lower()).values_list("pk", flat=True).first() or 0
