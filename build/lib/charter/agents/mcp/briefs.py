"""The mission brief and the MCP resources as Markdown, from `charter.agents.brief` (or a short stand-in)."""

from importlib import import_module

from charter.goals import selectors as goal_selectors
from charter.mission import selectors as mission_selectors


def _brief_module():
    """`charter.agents.brief` once it exists; None before (it is built alongside this server)."""
    try:
        return import_module("charter.agents.brief")
    except ImportError:
        return None


def brief(actor, *, goal_id: int | None, format: str, full: bool):
    """A goal's mission brief (or the actor's own, without a goal) as Markdown text or JSON data."""
    module = _brief_module()
    if module is None:
        if goal_id is None:
            return mission_markdown(actor)
        return goal_markdown(actor, goal_id=goal_id)
    model = (
        module.mission_brief(actor=actor, goal_id=goal_id)
        if goal_id is not None
        else module.my_brief(actor=actor)
    )
    if format == "json":
        return model.model_dump(mode="json")
    return module.brief_markdown(model, full=full)


def mission_markdown(actor) -> str:
    """The mission, vision and values."""
    mission = mission_selectors.mission_get(actor=actor)
    lines = [f"# Mission of {actor.organization.name}", "", mission.statement or "(No mission written yet.)"]
    if mission.vision:
        lines += ["", "## Vision", "", mission.vision]
    values = getattr(mission, "values", None) or []
    if values:
        lines += ["", "## Values", ""]
        lines += [f"- **{v.get('name', '')}**: {v.get('meaning', '')}" for v in values]
    return "\n".join(lines) + "\n"


def goal_markdown(actor, *, goal_id: int) -> str:
    """A goal with its intent, its chain of intent up to the mission, and its key results."""
    module = _brief_module()
    if module is not None:
        return module.brief_markdown(module.mission_brief(actor=actor, goal_id=goal_id), full=False)
    goal = goal_selectors.goal_get(actor=actor, goal_id=goal_id)
    lines = [f"# Goal {goal.pk}: {goal.title}", "", f"Status: {goal.status}, progress {goal.progress:.0%}."]
    for label, text in [
        ("Purpose", goal.purpose),
        ("End state", goal.end_state),
        ("Constraints", goal.constraints),
        ("Freedoms", goal.freedoms),
    ]:
        if text:
            lines += ["", f"## {label}", "", text]
    chain = goal_selectors.goal_ancestors(actor=actor, goal=goal)
    if chain:
        lines += ["", "## Chain of intent", ""] + [f"- {g.title}: {g.purpose}" for g in chain]
    lines += ["", "## Key results", ""]
    lines += [
        f"- [{kr.pk}] {kr.title}: {kr.current} of {kr.target} {kr.unit}" for kr in goal.key_results.all()
    ]
    return "\n".join(lines) + "\n"
