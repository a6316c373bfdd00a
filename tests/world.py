"""Two organizations with one of everything, and a person of every role, for the sweeps."""

from dataclasses import dataclass, field
from importlib import import_module

from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.models import Role
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_org, make_person, make_team


@dataclass
class World:
    """One organization's objects, by the URL keyword that names them."""

    owner: object
    actors: dict = field(default_factory=dict)  # role -> actor, all in `team`
    ids: dict = field(default_factory=dict)  # URL kwarg -> id
    tokens: dict = field(default_factory=dict)  # role -> raw API token


def build_world(name: str) -> World:
    owner = make_org(name)
    team = make_team(owner, f"{name} team")
    actors = {Role.OWNER: owner}
    for role in (Role.ADMIN, Role.LEADER, Role.MEMBER, Role.VIEWER):
        actors[role] = make_person(owner, role, team=team)
    member = actors[Role.MEMBER]
    cycle = make_cycle(owner, f"{name} cycle")
    parent = make_goal(owner, cycle, f"{name} strategic goal")
    goal = make_goal(
        owner, cycle, f"{name} team goal", team_id=team.pk, owner_id=member.user_id, parent_id=parent.pk
    )
    kr = make_key_result(owner, goal, owner_id=member.user_id)
    check_in_record(actor=owner, key_result_id=kr.pk, value=10, confidence=7)
    other = make_person(owner, Role.MEMBER, full_name=f"{name} someone")
    world = World(owner=owner, actors=actors)
    world.ids = {
        "organization_id": owner.organization_id,
        "team_id": team.pk,
        "user_id": other.user_id,
        "cycle_id": cycle.pk,
        "goal_id": goal.pk,
        "key_result_id": kr.pk,
        **CATALOG_KEYS,
    }
    for role, actor in actors.items():
        token, raw = token_create(actor=actor, name=f"{role} token")
        world.tokens[role] = raw
        if role == Role.OWNER:
            world.ids["token_id"] = token.pk
    for hook in WORLD_HOOKS:
        import_module(hook).add_to_world(world)
    return world


# URL parameters naming an entry of a fixed catalog, the same in every organization (a lesson): a route
# named only by them shows no organization's object, so the "another organization's object" sweeps skip it.
CATALOG_KEYS = {"key": "delegation"}


def names_an_object(params) -> bool:
    """Whether a route with these URL parameters names an organization's object."""
    return bool(set(params) - set(CATALOG_KEYS))


# Each app that adds routes with new object ids adds one of its objects to the world here:
# a module with `add_to_world(world)` that creates objects through its services and sets `world.ids[...]`.
WORLD_HOOKS: list[str] = [
    "charter.pulse.tests.world",
    "charter.delegation.tests.world",
    "charter.notifications.tests.world",
    "charter.calendars.tests.world",
    "charter.backbriefs.tests.world",
    "charter.discussion.tests.world",
    "charter.ideas.tests.world",
    "charter.reviews.tests.world",
    "charter.metrics.tests.world",
    "charter.agents.tests.world",
    "charter.accounts.tests.world",
    "charter.organizations.tests.world",
    "charter.scim.tests.world",
]
