"""Every write on cycles, goals, key results and check-ins, with roll-ups kept in the same transaction."""

from .access import may_check_in, may_edit_goal, may_place_in_team
from .cycles import cycle_create, cycle_update, on_organization_created, without_first_cycle
from .goals import GOAL_TEXT_FIELDS, goal_create, goal_delete, goal_update
from .key_results import KR_FIELDS, check_in_record, key_result_create, key_result_delete, key_result_update
from .rollup import goal_rollup

__all__ = [
    "GOAL_TEXT_FIELDS",
    "KR_FIELDS",
    "check_in_record",
    "cycle_create",
    "cycle_update",
    "goal_create",
    "goal_delete",
    "goal_rollup",
    "goal_update",
    "key_result_create",
    "key_result_delete",
    "key_result_update",
    "may_check_in",
    "may_edit_goal",
    "may_place_in_team",
    "on_organization_created",
    "without_first_cycle",
]
