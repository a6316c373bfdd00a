"""Template helpers of the delegation pages: user text as Markdown, level and status badges."""

from functools import cache

from django import template
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString

from charter.core import jinja
from charter.delegation import rules

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """The discussion app's safe renderer when present; escaped paragraphs otherwise."""
    try:
        from charter.core.markdown import render
    except ImportError:
        from django.utils.safestring import mark_safe

        return mark_safe(linebreaks(escape(text or "")))
    return render(text or "")


@register.filter
def level_info(number: int) -> rules.Level | None:
    return rules.LEVELS.get(number)


@register.filter
def awaiting_words(code: str) -> str:
    return rules.AWAITING_WORDS.get(code, "")


@register.simple_tag
def decision_status(status: str, label) -> SafeString:
    """A decision's status badge, the partial `delegation/_status.jinja` (the log's rows draw it too)."""
    return decision_status_html(status, str(label))


@cache  # a handful of statuses: the partial is rendered once for each, not once per row
def decision_status_html(status: str, label: str) -> SafeString:
    """`decision_status`'s markup."""
    return jinja.render("delegation/_status.jinja", status=status, label=label)


@register.filter
def get_advice_error(errors: dict, kind: str) -> str:
    """The dismiss form's error for this kind of advice ('' when none)."""
    return (errors or {}).get(kind, "")
