"""Template filters of notifications: an event code's human label, a body's plain-text preview."""

from django import template

from charter.notifications import catalog
from charter.notifications.preview import plain_text

register = template.Library()


@register.filter
def event_label(code: str) -> str:
    return catalog.label(code)


@register.filter
def preview(body: str) -> str:
    """The body with its Markdown rendered to plain text (escaped by the template as any text)."""
    return plain_text(body)
