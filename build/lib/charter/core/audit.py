"""Record an audit event for a write; services call this inside their transaction."""

from .actor import Actor
from .models import AuditEvent


def audit(actor: Actor, action: str, obj, changes: dict | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        organization_id=actor.organization_id,
        actor_id=actor.user_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=_jsonable(changes or {}),
        request_id=actor.request_id,
        via=actor.via,
        token_id=actor.token_id,
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def changed_fields(obj, values: dict) -> dict:
    """Apply `values` to `obj`; return {field: [old, new]} for those that changed."""
    changes = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [old, new]
            setattr(obj, name, new)
    return changes
