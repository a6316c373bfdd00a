"""Reads of the mission and its history."""

from charter.core.actor import Actor

from .models import Mission, MissionRevision


def mission_get(*, actor: Actor) -> Mission:
    """The current mission; an unsaved empty one when none was written yet."""
    return Mission.objects.for_org(actor.organization).first() or Mission(organization=actor.organization)


def mission_revisions(*, actor: Actor):
    return MissionRevision.objects.for_org(actor.organization).select_related("author")


def mission_history(*, actor: Actor) -> list[dict]:
    """Each revision, newest first, with what it changed compared with the one before it."""
    revisions = list(mission_revisions(actor=actor))
    previous = [*revisions[1:], None]
    return [
        {"revision": r, "previous": p, "changes": revision_changes(p, r)}
        for r, p in zip(revisions, previous[: len(revisions)], strict=True)
    ]


def revision_changes(before, after) -> list[str]:
    """Plain sentences for what `after` changed; `before` is None for the first revision."""
    if before is None:
        return ["First version of the mission."]
    changes = [
        f"{label} changed."
        for key, label in (("statement", "Mission"), ("vision", "Vision"))
        if getattr(before, key) != getattr(after, key)
    ]
    old = {v["name"]: v["meaning"] for v in before.values}
    new = {v["name"]: v["meaning"] for v in after.values}
    changes += [f"Value “{name}” added." for name in new if name not in old]
    changes += [f"Value “{name}” removed." for name in old if name not in new]
    changes += [f"Value “{name}” reworded." for name in new if name in old and old[name] != new[name]]
    if not changes and [v["name"] for v in before.values] != [v["name"] for v in after.values]:
        changes.append("Values reordered.")
    return changes
