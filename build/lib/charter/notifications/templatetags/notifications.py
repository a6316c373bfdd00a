"""Template filters of notifications: an event code's human label."""

from django import template

from charter.notifications import events

register = template.Library()


@register.filter
def event_label(code: str) -> str:
    return events.label(code)
