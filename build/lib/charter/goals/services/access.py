"""Who may touch which goal: object rules on top of the permission matrix."""

from charter.core.actor import Actor
from charter.core.errors import PermissionDenied
from charter.organizations.permissions import ROLES_THAT_EDIT_EVERYTHING

from ..models import Goal, KeyResult


def _is_theirs(actor: Actor, goal: Goal) -> bool:
    """Leaders reach every goal; members the goals of their teams (or led teams) and those they own."""
    if actor.role in ROLES_THAT_EDIT_EVERYTHING:
        return True
    return (
        goal.owner_id == actor.user_id
        or goal.team_id in actor.team_ids
        or goal.team_id in actor.lead_team_ids
    )


def may_edit_goal(actor: Actor, goal: Goal) -> bool:
    return actor.can("goal.edit") and _is_theirs(actor, goal)


def may_check_in(actor: Actor, key_result: KeyResult) -> bool:
    """A token limited to check-ins (an agent's) still checks in on its team's key results."""
    if not actor.can("check_in.create"):
        return False
    return key_result.owner_id == actor.user_id or _is_theirs(actor, key_result.goal)


def _member_may_create(actor: Actor, goal: Goal) -> bool:
    if goal.team_id is None:
        return goal.owner_id == actor.user_id
    return goal.team_id in actor.team_ids or goal.team_id in actor.lead_team_ids


def _require_goal_edit(actor: Actor, goal: Goal) -> None:
    if not may_edit_goal(actor, goal):
        raise PermissionDenied(f"You may not change “{goal.title}”: it belongs to another team.")
