"""The sweeps' agent: one in the world's team, sponsored by its member, with a read token."""

from charter.organizations.models import Role

from .factories import make_agent, make_agent_token


def add_to_world(world):
    agent = make_agent(
        world.owner,
        world.ids["team_id"],
        sponsor=world.actors[Role.MEMBER],
        name=f"{world.owner.organization} bot",
    )
    token, _ = make_agent_token(world.owner, agent, scopes=["read", "check_in"])
    world.ids["agent_id"] = agent.user_id
    world.ids["agent_token_id"] = token.pk
