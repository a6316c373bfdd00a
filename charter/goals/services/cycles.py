"""Cycles: create and change the periods goals are pursued in; a new organization's first cycle."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.db import transaction
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.errors import NotFound, ValidationError

from .. import rules
from ..models import Cycle

# While set (`without_first_cycle`), a new organization gets no cycle of its own: its creator brings them.
_skip_first_cycle: ContextVar[bool] = ContextVar("skip_first_cycle", default=False)


def _cycle_errors(actor: Actor, name: str, starts_on: date, ends_on: date, state: str, exclude: int | None):
    errors = {}
    if not name.strip():
        errors["name"] = ["A cycle needs a name, such as 2026 Q1."]
    elif (
        Cycle.objects.for_org(actor.organization)
        .filter(name__iexact=name.strip())
        .exclude(pk=exclude)
        .exists()
    ):
        errors["name"] = [f"There is already a cycle called {name.strip()}."]
    if starts_on and ends_on and ends_on <= starts_on:
        errors["ends_on"] = ["The cycle must end after it starts."]
    if state not in Cycle.State.values:
        errors["state"] = [f"Unknown state {state!r}; one of {', '.join(Cycle.State.values)}."]
    return errors


def cycle_create(
    *, actor: Actor, name: str, starts_on: date, ends_on: date, state: str = "planning"
) -> Cycle:
    actor.require("cycle.manage")
    errors = _cycle_errors(actor, name, starts_on, ends_on, state, None)
    if errors:
        raise ValidationError("The cycle is not valid.", errors=errors)
    with transaction.atomic():
        cycle = Cycle.objects.create(
            organization=actor.organization,
            name=name.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            state=state,
        )
        audit(actor, "cycle.create", cycle)
    return cycle


def cycle_update(
    *, actor: Actor, cycle_id: int, name: str, starts_on: date, ends_on: date, state: str
) -> Cycle:
    actor.require("cycle.manage")
    with transaction.atomic():
        cycle = Cycle.objects.for_org(actor.organization).select_for_update().filter(pk=cycle_id).first()
        if cycle is None:
            raise NotFound("No such cycle.")
        errors = _cycle_errors(actor, name, starts_on, ends_on, state, cycle.pk)
        if errors:
            raise ValidationError("The cycle is not valid.", errors=errors)
        changes = changed_fields(
            cycle, {"name": name.strip(), "starts_on": starts_on, "ends_on": ends_on, "state": state}
        )
        if changes:
            cycle.save()
            audit(actor, "cycle.update", cycle, changes)
    return cycle


@contextmanager
def without_first_cycle() -> Iterator[None]:
    """Organizations created inside get no first cycle: for a creator that brings its own cycles (the
    demo, a goals file that lists cycles), so they are the organization's only ones."""
    token = _skip_first_cycle.set(True)
    try:
        yield
    finally:
        _skip_first_cycle.reset(token)


def on_organization_created(*, organization, actor: Actor, **_) -> Cycle | None:
    """Every new organization starts with the current quarter as an active cycle (named as "Q1 2027"),
    so its first goal has a cycle to go in; subscribed to "organization.created"."""
    if _skip_first_cycle.get():
        return None
    name, starts_on, ends_on = rules.quarter_of(timezone.localdate())
    return cycle_create(
        actor=actor, name=name, starts_on=starts_on, ends_on=ends_on, state=Cycle.State.ACTIVE
    )
