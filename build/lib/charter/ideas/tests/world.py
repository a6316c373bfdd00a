"""The sweeps' world gets an idea: proposed by the member, linked to the team goal, with a vote."""

from charter.ideas.services import idea_create, idea_vote
from charter.organizations.models import Role


def add_to_world(world) -> None:
    member = world.actors[Role.MEMBER]
    idea = idea_create(
        actor=member,
        title="Self-serve onboarding",
        description="A *checklist*.",
        goal_ids=[world.ids["goal_id"]],
    )
    idea_vote(actor=world.actors[Role.LEADER], idea_id=idea.pk)
    world.ids["idea_id"] = idea.pk
