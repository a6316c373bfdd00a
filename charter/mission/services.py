"""Writes on the mission: each change is a new revision with its author and reason."""

from django.db import transaction

from charter.core.actor import Actor
from charter.core.audit import audit
from charter.core.errors import ValidationError

from .models import Mission, MissionRevision


def _clean_values(values: list[dict]) -> tuple[list[dict], list[str]]:
    cleaned, errors, seen = [], [], set()
    for i, value in enumerate(values, start=1):
        name = (value.get("name") or "").strip()
        meaning = (value.get("meaning") or "").strip()
        if not name and not meaning:
            continue
        if not name:
            errors.append(f"Value {i} needs a name.")
        elif not meaning:
            errors.append(f"Value {i} ({name}) needs a meaning: what it looks like in practice.")
        elif name.lower() in seen:
            errors.append(f"Value {i} ({name}) appears twice.")
        seen.add(name.lower())
        cleaned.append({"name": name, "meaning": meaning})
    return cleaned, errors


REASON_NEEDED = "Say why the mission changes; the reason is kept with the revision."


def mission_update(*, actor: Actor, statement: str, vision: str, values: list[dict], reason: str) -> Mission:
    actor.require("mission.edit")
    cleaned, value_errors = _clean_values(values)
    errors = {}
    if not statement.strip():
        errors["statement"] = ["The mission needs a statement: why the organization exists."]
    if value_errors:
        errors["values"] = value_errors
    if errors:
        raise ValidationError("The mission was not saved.", errors=errors)
    with transaction.atomic():
        mission, _ = (
            Mission.objects.for_org(actor.organization)
            .select_for_update()
            .get_or_create(organization=actor.organization)
        )
        # A change says why; the first version needs no reason (there is nothing it changes).
        if mission.is_defined and not reason.strip():
            raise ValidationError("The mission was not saved.", errors={"reason": [REASON_NEEDED]})
        new = {"statement": statement.strip(), "vision": vision.strip(), "values": cleaned}
        if all(getattr(mission, k) == v for k, v in new.items()):
            return mission
        mission.revision += 1
        for key, value in new.items():
            setattr(mission, key, value)
        mission.save()
        MissionRevision.objects.create(
            organization=actor.organization,
            number=mission.revision,
            author=actor.user,
            reason=reason.strip(),
            **new,
        )
        audit(actor, "mission.update", mission, {"revision": mission.revision, "reason": reason.strip()})
    return mission
