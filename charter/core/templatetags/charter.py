"""Template tags shared by every app."""

from django import template
from django.utils.safestring import mark_safe

from charter.core import panels as panel_registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, obj=None):
    """Render the panels that other apps registered for `slot` (their HTML is already escaped)."""
    return mark_safe("\n".join(panel_registry.render(slot, context["request"], obj)))
