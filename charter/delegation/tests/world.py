"""The delegation app's objects in the sweeps' world: a decision domain and an open decision."""

from charter.delegation import services
from charter.organizations.models import Role, Team

from .factories import make_domain, record


def add_to_world(world) -> None:
    team = Team.objects.for_org(world.owner.organization).get(pk=world.ids["team_id"])
    domain = make_domain(world.owner, f"{world.owner.organization.name} pricing")
    result = record(world.actors[Role.MEMBER], team, domain, "Sweep decision")
    world.ids["domain_id"] = domain.pk
    world.ids["decision_id"] = result.decision.pk
    # A delegation poker session of the team, picking; the team's contributors and the owner play.
    session = services.poker_open(actor=world.owner, team_id=team.pk, domain_ids=[domain.pk])
    world.ids["poker_id"] = session.pk
