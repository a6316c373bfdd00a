"""Template helpers of the delegation pages: user text as Markdown, level badges."""

from django import template
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

from charter.delegation import rules

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """The discussion app's safe renderer when present; escaped paragraphs otherwise."""
    try:
        from charter.discussion.markdown import render
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
def options(pairs, selected) -> str:
    """`<option>`s of a filter from (id, name) pairs, `selected` marked: built in Python because the
    decision log's goal filter offers hundreds of goals (a template loop costs ~30 µs per option)."""
    return mark_safe(
        "".join(
            f'<option value="{pk}" {"selected" if pk == selected else ""}>{escape(name)}</option>'
            for pk, name in pairs
        )
    )
