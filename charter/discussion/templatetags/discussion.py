"""`{% comments target_type target_id %}` renders a thread with its form; `|markdown` renders safely."""

from django import template

from charter.core import markdown as md
from charter.discussion.rendering import thread_html

register = template.Library()


@register.simple_tag(takes_context=True)
def comments(context, target_type: str, target_id: int):
    return thread_html(context["request"], target_type, int(target_id))


@register.filter(name="markdown")
def markdown_filter(text: str):
    return md.render(text)
