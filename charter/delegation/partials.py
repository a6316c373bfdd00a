"""The decision log's rows drawn by their Jinja2 partial (`delegation/_decision_rows.jinja`) in one render;
what every row of a page shares (the link, the month names, the moment `open` counts from, the units of
`timesince`, the badge per status) is made once per page here."""

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString
from django.utils.timesince import TIME_STRINGS, timesince

from charter.core import jinja
from charter.core.links import id_url_template
from charter.core.templatetags.charter import AGENT_BADGE

from .templatetags.delegation_tags import decision_status_html


class _Phrase:
    """A unit of `timesince` ("%(num)d days") whose translations are made once per page and number,
    not once per row: `timesince` formats it with `%`."""

    def __init__(self, lazy):
        self.lazy, self.made = lazy, {}

    def __mod__(self, values: dict) -> str:
        num = values["num"]
        made = self.made.get(num)
        if made is None:
            made = self.made[num] = str(self.lazy % values)
        return made


class _Badges(dict):
    """The status badge per (status, label), made once a page: `badges[d.status, d.status_label]`."""

    def __missing__(self, key) -> SafeString:
        status, label = key
        self[key] = decision_status_html(status, str(label))
        return self[key]


def decision_rows(rows: list[dict]) -> SafeString:
    """The `<tr>`s of `log.log_rows` rows."""
    units = {name: _Phrase(lazy) for name, lazy in TIME_STRINGS.items()}

    def since(start, end) -> str:
        return timesince(start, end, time_strings=units)

    return jinja.render(
        "delegation/_decision_rows.jinja",
        rows=rows,
        decision_url=id_url_template("decision_detail"),
        # `date:"j M Y"` as Django's DateFormat writes it ("M" is the translated month's title case).
        months={number: str(name).title() for number, name in MONTHS_3.items()},
        zone=timezone.get_current_timezone(),
        now=timezone.now(),
        today=timezone.localdate(),  # a decide-by day before it is overdue
        since=since,
        badges=_Badges(),
        agent_badge=AGENT_BADGE,
    )
