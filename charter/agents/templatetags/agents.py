"""`{% agent_badge user %}`: the badge that marks an AI agent wherever people are listed."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()
BADGE = mark_safe(
    '<span class="badge bg-purple-lt ms-1" title="An AI agent: it acts through its tokens, within its '
    'team&#x27;s authority">Agent</span>'
)


@register.simple_tag
def agent_badge(user):
    return BADGE if getattr(user, "kind", "person") == "agent" else ""
