"""A goal's status badge: `{% status_badge goal.status %}` in templates, `badge_html(status)` in the row
pages drawn in Python (`badge_html`). Both give the one partial, `goals/_status.html`."""

from functools import cache

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from charter.goals import rules

register = template.Library()

# The badge's Tabler tint per status (the labels are `rules.STATUS_LABELS`); charter.css darkens each
# for WCAG AA contrast.
STATUS_COLOURS = {
    rules.ON_TRACK: "green",
    rules.AT_RISK: "yellow",
    rules.OFF_TRACK: "red",
    rules.STALE: "secondary",
    rules.NO_STATUS: "secondary",
}


@register.simple_tag
def status_badge(status: str) -> SafeString:
    """The badge of `status`; an unknown one is shown as stale."""
    return SafeString(badge_html(status))


@cache  # a handful of statuses: the partial is rendered once for each, not once per row (~13 µs a render)
def badge_html(status: str) -> str:
    """`status_badge`'s markup as a plain string, for the row pages drawn in Python."""
    known = status if status in rules.STATUS_LABELS else rules.STALE
    context = {"status": status, "colour": STATUS_COLOURS[known], "label": rules.STATUS_LABELS[known]}
    return str(render_to_string("goals/_status.html", context).strip())
