"""Pure rules of back-briefs: when a goal asks for one, and who may write or review it."""

from dataclasses import dataclass

from charter.organizations.permissions import ROLES_THAT_EDIT_EVERYTHING

REQUIRED_TEXTS = {
    "intent": "Restate the intent in the team's own words: why it matters and what success looks like.",
    "plan": "Say how the team plans to get there, in a few lines.",
    "concerns": "Name what worries the team (write “none” if nothing does).",
    "needs": "Say what the team needs from others (write “nothing” if it needs nothing).",
}


def needs_back_brief(team_id: int | None, actor_team_ids: frozenset[int]) -> bool:
    """A goal given to a team by someone outside it asks that team for a back-brief."""
    return team_id is not None and team_id not in actor_team_ids


def text_errors(texts: dict[str, str]) -> dict[str, list[str]]:
    return {name: [message] for name, message in REQUIRED_TEXTS.items() if not texts.get(name, "").strip()}


@dataclass(frozen=True)
class Who:
    """What the rules need to know of an actor."""

    user_id: int
    role: str
    team_ids: frozenset[int]
    lead_team_ids: frozenset[int]


def may_submit(who: Who, team_id: int) -> bool:
    """The team's members and leads write its back-brief (a lead of a team above does not)."""
    return team_id in who.team_ids


def may_review(who: Who, team_id: int, goal_owner_id: int, submitted_by_id: int | None) -> bool:
    """The goal's accountable person, or a leader above the team; never the one who wrote it."""
    if submitted_by_id == who.user_id:
        return False
    if goal_owner_id == who.user_id:
        return True
    outside = team_id not in who.team_ids
    leads_above = team_id in who.lead_team_ids  # lead_team_ids holds the teams below those one leads
    return outside and (leads_above or who.role in ROLES_THAT_EDIT_EVERYTHING)
