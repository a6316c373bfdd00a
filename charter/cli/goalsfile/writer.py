"""Write an organization as a goals file: mission, people, teams, cycles, goals, key results, check-ins."""

from datetime import UTC, datetime

import yaml
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.text import slugify

from charter.core.actor import Actor
from charter.goals.models import CheckIn
from charter.goals.selectors import cycle_list, goal_list
from charter.mission.selectors import mission_get
from charter.organizations.selectors import person_list, team_list

from .reader import parents_first
from .schema import FORMAT_VERSION


def export_goals(*, actor: Actor) -> dict:
    """The organization as plain data, in the goals-file layout."""
    people = list(person_list(actor=actor))
    goals = goal_list(actor=actor, with_key_results=True)
    key_results = [kr for goal in goals for kr in goal.key_results.all()]
    prefetch_related_objects(goals, "supports")
    prefetch_related_objects(
        key_results,
        Prefetch("check_ins", queryset=CheckIn.objects.select_related("author").order_by("checked_at", "id")),
    )
    return _compact(
        {
            "charter": FORMAT_VERSION,
            "organization": actor.organization.name,
            "mission": _mission(actor),
            "people": [_person(m) for m in people],
            "teams": _teams(actor, people),
            "cycles": [
                _cycle(c) for c in sorted(cycle_list(actor=actor), key=lambda c: (c.starts_on, c.name))
            ],
            "goals": _goals(goals),
        }
    )


def dump_goals(data: dict) -> str:
    return yaml.dump(data, Dumper=GoalsDumper, sort_keys=False, allow_unicode=True, width=100)


class GoalsDumper(yaml.SafeDumper):
    """Multi-line texts as literal blocks, so intent reads like prose."""


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class FlowDict(dict):
    """A mapping written on one line: a check-in reads as one row."""


GoalsDumper.add_representer(str, _str)
GoalsDumper.add_representer(
    FlowDict, lambda dumper, value: dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)
)


def _compact(value):
    """Drop empty texts, empty lists and None, so the file shows only what was said."""
    if isinstance(value, dict):
        return type(value)({k: _compact(v) for k, v in value.items() if v not in (None, "", [], {})})
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def _mission(actor: Actor) -> dict | None:
    mission = mission_get(actor=actor)
    if not mission.is_defined:
        return None
    return {"statement": mission.statement, "vision": mission.vision, "values": list(mission.values)}


def _person(membership) -> dict:
    return {
        "email": membership.user.email,
        "name": membership.user.full_name,
        "role": membership.role,
        "title": membership.title,
        "active": None if membership.is_active else False,
    }


def _teams(actor: Actor, people) -> list[dict]:
    members: dict[int, list] = {}
    for membership in people:
        for tm in membership.user.team_memberships.all():
            members.setdefault(tm.team_id, []).append((not tm.is_lead, membership.user.email))
    teams = parents_first(list(team_list(actor=actor)), lambda t: t.pk, lambda t: t.parent_id)
    return [
        {
            "name": team.name,
            "parent": team.parent and team.parent.name,
            "description": team.description,
            "members": [
                {"email": email, "lead": True if not not_lead else None}
                for not_lead, email in sorted(members.get(team.pk, []))
            ],
        }
        for team in teams
    ]


def _cycle(cycle) -> dict:
    return {"name": cycle.name, "starts_on": cycle.starts_on, "ends_on": cycle.ends_on, "state": cycle.state}


def goal_keys(goals) -> dict[int, str]:
    """A readable, stable key per goal: its title as a slug, numbered when two titles collide."""
    keys, used = {}, set()
    for goal in sorted(goals, key=lambda g: g.pk):
        base = slugify(" ".join(goal.title.split()[:8]))[:48].strip("-") or "goal"
        key, n = base, 1
        while key in used:
            n += 1
            key = f"{base}-{n}"
        used.add(key)
        keys[goal.pk] = key
    return keys


def _goals(goals) -> list[dict]:
    keys = goal_keys(goals)
    ordered = parents_first(
        sorted(goals, key=lambda g: (g.cycle.starts_on, g.pk)), lambda g: g.pk, lambda g: g.parent_id
    )
    return [_goal(goal, keys) for goal in ordered]


def _goal(goal, keys: dict[int, str]) -> dict:
    return {
        "key": keys[goal.pk],
        "title": goal.title,
        "cycle": goal.cycle.name,
        "team": goal.team and goal.team.name,
        "owner": goal.owner.email,
        "description": goal.description,
        "purpose": goal.purpose,
        "end_state": goal.end_state,
        "constraints": goal.constraints,
        "freedoms": goal.freedoms,
        "parent": keys.get(goal.parent_id),
        "supports": sorted(keys[g.pk] for g in goal.supports.all()),
        "weight": goal.weight,
        "key_results": [_key_result(kr) for kr in goal.key_results.all()],
    }


def _key_result(kr) -> dict:
    return {
        "title": kr.title,
        "kind": kr.kind,
        "unit": kr.unit,
        "start": kr.start,
        "target": kr.target,
        "target_max": kr.target_max,
        "current": kr.current,
        "weight": kr.weight,
        "owner": kr.owner and kr.owner.email,
        "since": _moment(kr.tracked_since or kr.created_at),
        "check_ins": [_check_in(c) for c in kr.check_ins.all()],
    }


def _check_in(check_in) -> dict:
    return FlowDict(
        {
            "date": _moment(check_in.checked_at),
            "value": check_in.value,
            "confidence": check_in.confidence,
            "note": check_in.note,
            "author": check_in.author and check_in.author.email,
        }
    )


def _moment(value: datetime) -> str:
    """UTC in ISO 8601; a string, because a flow mapping would otherwise tag it."""
    text = value.astimezone(UTC).isoformat(timespec="microseconds" if value.microsecond else "seconds")
    return text.replace("+00:00", "Z")
