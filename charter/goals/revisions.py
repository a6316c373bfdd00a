"""Revision history of goals and key results: recorded by the goals services, read with word-level diffs."""

import difflib

from charter.core.actor import Actor
from charter.core.audit import _jsonable
from charter.core.errors import NotFound

from .models import Goal, GoalRevision, KeyResult, KeyResultRevision

# Long texts get a word-level diff; other fields are shown as old → new.
TEXT_FIELDS = frozenset({"description", "purpose", "end_state", "constraints", "freedoms"})
LABELS = {
    "end_state": "End state",
    "target_max": "Range upper bound",
    "owner_id": "Accountable person",
    "team_id": "Team",
    "cycle_id": "Cycle",
    "parent_id": "Contributes to",
    "supports_ids": "Supports",
}


def record_revision(actor: Actor, obj, changes: dict, reason: str = "") -> None:
    """Keep one revision row for a goal or key result change (nothing when nothing changed)."""
    if not changes:
        return
    common = {
        "organization": actor.organization,
        "actor": actor.user,
        "reason": (reason or "").strip(),
        "changes": _jsonable(changes),
    }
    if isinstance(obj, Goal):
        GoalRevision.objects.create(goal=obj, **common)
    else:
        KeyResultRevision.objects.create(key_result=obj, goal_id=obj.goal_id, **common)


def word_diff(old, new) -> list[tuple[str, str]]:
    """Pure: the words of `old` → `new` as (op, text) parts, op one of "same", "removed", "added"."""
    a, b = str(old or "").split(), str(new or "").split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("added", " ".join(b[j1:j2])))
    return parts


def describe(changes: dict) -> list[dict]:
    """Pure: each changed field with a label, old and new values, and a word diff for long texts."""
    rows = []
    for field, (old, new) in changes.items():
        row = {"field": field, "label": LABELS.get(field, field.replace("_", " ").capitalize())}
        row.update(old=old, new=new, is_text=field in TEXT_FIELDS)
        row["diff"] = word_diff(old, new) if row["is_text"] else []
        rows.append(row)
    return rows


def goal_history(*, actor: Actor, goal_id: int) -> list:
    """Revisions of a goal and of its key results, newest first, in two queries after the check."""
    if not Goal.objects.for_org(actor.organization).filter(pk=goal_id).exists():
        raise NotFound("No such goal.")
    return _history(actor, goal_id)


def _history(actor: Actor, goal_id: int) -> list:
    goal_revs = GoalRevision.objects.for_org(actor.organization).filter(goal_id=goal_id)
    kr_revs = KeyResultRevision.objects.for_org(actor.organization).filter(goal_id=goal_id)
    rows = list(goal_revs.select_related("actor")) + list(kr_revs.select_related("actor", "key_result"))
    return sorted(rows, key=lambda r: (r.created_at, r.pk), reverse=True)


def key_result_history(*, actor: Actor, key_result_id: int) -> list[KeyResultRevision]:
    if not KeyResult.objects.for_org(actor.organization).filter(pk=key_result_id).exists():
        raise NotFound("No such key result.")
    revs = KeyResultRevision.objects.for_org(actor.organization).filter(key_result_id=key_result_id)
    return list(revs.select_related("actor", "key_result"))
