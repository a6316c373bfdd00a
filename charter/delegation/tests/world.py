"""The delegation app's objects in the sweeps' world: a decision domain, an open decision, and advice to
raise the team's level there (one proposal approved unchanged, with the organization's history threshold
lowered to one), so the advice routes have something to accept and dismiss."""

from charter.delegation import services
from charter.organizations.models import Role, Team

from .factories import make_domain, record


def add_to_world(world) -> None:
    team = Team.objects.for_org(world.owner.organization).get(pk=world.ids["team_id"])
    domain = make_domain(world.owner, f"{world.owner.organization.name} pricing")
    result = record(world.actors[Role.MEMBER], team, domain, "Sweep decision")
    approved = record(world.actors[Role.MEMBER], team, domain, "Sweep proposal approved")
    services.decision_respond(actor=world.owner, decision_id=approved.decision.pk, action="decide")
    services.advice_settings_update(actor=world.owner, thresholds={"min_history": 1})
    world.ids["domain_id"] = domain.pk
    world.ids["decision_id"] = result.decision.pk
    world.ids["kind"] = "raise"
    # A delegation poker session of the team, picking; the team's contributors and the owner play.
    session = services.poker_open(actor=world.owner, team_id=team.pk, domain_ids=[domain.pk])
    world.ids["poker_id"] = session.pk
