"""A goal's status badge: `{% status_badge goal.status %}` in Django templates, `badge_html(status)` for
the Jinja2 row partials (which get the badges of a page as `badges`). Both give the one partial,
`goals/_status.jinja`."""

from functools import cache

from django import template
from django.utils.safestring import SafeString

from charter.core import jinja
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
    return badge_html(status)


@cache  # a handful of statuses: the partial is rendered once for each, not once per row (~13 µs a render)
def badge_html(status: str) -> SafeString:
    """`status_badge`'s markup."""
    known = status if status in rules.STATUS_LABELS else rules.STALE
    context = {"status": status, "colour": STATUS_COLOURS[known], "label": rules.STATUS_LABELS[known]}
    return jinja.render("goals/_status.jinja", **context)


class Badges(dict):
    """The badge of each status, for a row partial (`badges[goal.status]`): a dict lookup per row."""

    def __missing__(self, status: str) -> SafeString:
        self[status] = badge_html(status)
        return self[status]
