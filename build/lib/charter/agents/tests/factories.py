"""Factories for agents and their tokens, through the services."""

import itertools

from charter.agents.services import agent_create, agent_token_create

_seq = itertools.count(1)


def make_agent(actor, team_id, sponsor=None, name=None, purpose="Keeps the key results current."):
    sponsor = sponsor or actor
    return agent_create(
        actor=actor,
        name=name or f"Agent {next(_seq)}",
        sponsor_id=sponsor.user_id,
        team_id=team_id,
        purpose=purpose,
    )


def make_agent_token(actor, agent, scopes=("read",), days=30):
    return agent_token_create(
        actor=actor, agent_id=agent.user_id, name="Test token", scopes=list(scopes), days=days
    )
