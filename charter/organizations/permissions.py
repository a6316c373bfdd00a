"""The permission matrix: which role may take which action. Object rules live in the services."""

from .models import Role

_ALL = frozenset(Role.values)
_CONTRIBUTORS = frozenset({Role.OWNER, Role.ADMIN, Role.LEADER, Role.MEMBER})
_LEADERS = frozenset({Role.OWNER, Role.ADMIN, Role.LEADER})
_ADMINS = frozenset({Role.OWNER, Role.ADMIN})

# action -> roles that may take it (before any object rule narrows it further)
MATRIX: dict[str, frozenset[str]] = {
    "organization.view": _ALL,
    "token.manage": _ALL,  # one's own tokens; a viewer's token can only read
    "mission.edit": _LEADERS,
    "cycle.manage": _LEADERS,
    "goal.create": _CONTRIBUTORS,
    "goal.edit": _CONTRIBUTORS,  # members: goals of their teams, or that they are accountable for
    "goal.delete": _LEADERS,
    "key_result.edit": _CONTRIBUTORS,
    "check_in.create": _CONTRIBUTORS,  # members: key results of their teams' goals, or their own
    "team.manage": _ADMINS,
    "people.manage": _ADMINS,
    "organization.manage": _ADMINS,
}

ROLES_THAT_EDIT_EVERYTHING = _LEADERS


def allowed_actions(role: str) -> frozenset[str]:
    return frozenset(action for action, roles in MATRIX.items() if role in roles)
