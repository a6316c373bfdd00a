"""The sweeps' world gets one submitted back-brief: written by a team of its own, awaiting review."""

from charter.backbriefs.models import BackBrief
from charter.backbriefs.services import back_brief_submit
from charter.goals.services import goal_create
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team


def add_to_world(world) -> None:
    # A team none of the role actors is in, so each of them may review (owner, admin, leader: leaders
    # outside the team; member: the goal's accountable person) and none may write it (the state says so).
    owner = world.owner
    team = make_team(owner, f"{owner.organization.name} field team")
    writer = make_person(owner, Role.MEMBER, team=team, full_name=f"{owner.organization.name} writer")
    goal = goal_create(
        actor=owner,
        cycle_id=world.ids["cycle_id"],
        title=f"{owner.organization.name} field goal",
        team_id=team.pk,
        owner_id=world.actors[Role.MEMBER].user_id,
        purpose="Field teams need answers faster.",
        end_state="Every field question answered within a day.",
    )
    back_brief = BackBrief.objects.for_org(owner.organization).get(goal=goal, team=team)
    back_brief_submit(
        actor=writer,
        back_brief_id=back_brief.pk,
        intent="Answers within a day, because field teams wait.",
        plan="A rota and a shared inbox.",
        concerns="Holidays.",
        needs="Access to the support tool.",
    )
    world.ids["back_brief_id"] = back_brief.pk
