"""A figure's value and its card, written in Python: a page shows a dozen and an include each cost more
than the rest of the page."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from charter.insights.rules import hours_text

register = template.Library()

NOT_ENOUGH = mark_safe(
    '<span class="badge bg-secondary-lt" title="There is not enough data for this figure.">'
    "Not enough data</span>"
)
CARD = (
    '<div class="card insight-figure h-100" id="figure-{code}">\n  <div class="card-body">\n'
    '    <div class="subheader">{label}</div>\n'
    '    <div class="h1 mb-1" data-value="{data}">{value}</div>\n'
    '    <div class="small text-secondary">{detail}</div>\n'
    '    <details class="mt-2">\n      <summary>How is this computed?</summary>\n'
    '      <p class="small mb-1">{formula}</p>\n      {link}\n    </details>\n  </div>\n</div>\n'
)


@register.filter
def figure_value(figure) -> SafeString:
    """The value with its unit, or "Not enough data" (never 0) when there is none."""
    if figure.value is None:
        return NOT_ENOUGH
    if figure.unit == "h":  # "under an hour", "18 min", "4.5 h": a same-day decision is not "0 h"
        return conditional_escape(hours_text(figure.value))
    units = {"%": "%", "": ""}
    unit = units.get(figure.unit, f" {conditional_escape(figure.unit)}")
    return mark_safe(f"{floatformat(figure.value, '-1')}{unit}")


@register.simple_tag
def figure_card(item: dict) -> SafeString:
    """One figure's card: label, value, inputs in words, the formula and a link to the inputs."""
    figure = item["figure"]
    link = format_html('<a class="small" href="{}">See the inputs: {}</a>', item["url"], item["source"])
    return format_html(
        CARD,
        code=figure.code,
        label=figure.label,
        data="" if figure.value is None else localize(figure.value),
        value=figure_value(figure),
        detail=figure.detail,
        formula=figure.formula,
        link=link if item["url"] else "",
    )
