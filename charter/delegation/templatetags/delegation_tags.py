"""Template helpers of the delegation pages: user text as Markdown, level badges."""

from django import template
from django.utils.html import escape, linebreaks

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
