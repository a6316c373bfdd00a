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


def may_place_in_team(actor: Actor, team_id: int) -> bool:
    """Whether the actor may create goals in (or move goals to) this team."""
    if actor.role in ROLES_THAT_EDIT_EVERYTHING:
        return True
    return team_id in actor.team_ids or team_id in actor.lead_team_ids


def _member_may_create(actor: Actor, goal: Goal) -> bool:
    if goal.team_id is None:
        return goal.owner_id == actor.user_id
    return may_place_in_team(actor, goal.team_id)


def require_goal_placement(actor: Actor, goal: Goal) -> None:
    """The one check of where a goal may sit (its team, or its owner for a personal goal): creating it
    there, and moving it there, need the same right. Owning a goal is no licence to put it in a team
    one may not create goals for."""
    actor.require("goal.create")
    if actor.role not in ROLES_THAT_EDIT_EVERYTHING and not _member_may_create(actor, goal):
        raise PermissionDenied(
            "Members create goals for their own teams, or personal goals of their own.",
            field="team_id" if goal.team_id is not None else "owner_id",
        )


def _require_goal_edit(actor: Actor, goal: Goal) -> None:
    if not may_edit_goal(actor, goal):
        raise PermissionDenied(f"You may not change “{goal.title}”: it belongs to another team.")
