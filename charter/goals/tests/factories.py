"""Factories for cycles, goals and key results, through the services."""

import itertools
from datetime import timedelta

from django.utils import timezone

from charter.goals.models import Cycle
from charter.goals.services import cycle_create, goal_create, key_result_create

_seq = itertools.count(1)


def make_cycle(actor, name=None, days_before=30, days_after=60, state="active"):
    today = timezone.localdate()
    return cycle_create(
        actor=actor,
        name=name or f"Cycle {next(_seq)}",
        starts_on=today - timedelta(days=days_before),
        ends_on=today + timedelta(days=days_after),
        state=state,
    )


def drop_cycles(actor):
    """Remove the organization's cycles (its first, made when it was created): for a test of an
    organization without any."""
    Cycle.objects.for_org(actor.organization).delete()


def make_goal(actor, cycle, title=None, **kwargs):
    kwargs.setdefault("purpose", "Because it matters to our customers.")
    kwargs.setdefault("end_state", "Customers notice the difference.")
    return goal_create(actor=actor, cycle_id=cycle.pk, title=title or f"Goal {next(_seq)}", **kwargs)


def make_key_result(actor, goal, title=None, **kwargs):
    kwargs.setdefault("start", 0)
    kwargs.setdefault("target", 100)
    return key_result_create(
        actor=actor, goal_id=goal.pk, title=title or f"Key result {next(_seq)}", **kwargs
    )
