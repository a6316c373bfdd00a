"""Reads of the mission and its history."""

from charter.core.actor import Actor

from .models import Mission, MissionRevision


def mission_get(*, actor: Actor) -> Mission:
    """The current mission; an unsaved empty one when none was written yet."""
    return Mission.objects.for_org(actor.organization).first() or Mission(organization=actor.organization)


def mission_revisions(*, actor: Actor):
    return MissionRevision.objects.for_org(actor.organization).select_related("author")
