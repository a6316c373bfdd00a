"""The decision log's rows drawn by their Jinja2 partial (`delegation/_decision_rows.jinja`) in one render;
what every row of a page shares (the link, the month names, the moment `open` counts from, the units of
`timesince`, the badge per status) is made once per page here."""

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString
from django.utils.timesince import TIME_STRINGS, timesince

from charter.core import jinja
from charter.core.links import id_url_parts
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
    """The `<tr>`s of `log.log_rows` rows. The texts each row shows besides its fields (the days as
    `date:"j M Y"` writes them in the current time zone, how long it took or has been open) are added to
    the rows here, in plain Python calls: in the template each call goes through Jinja2's `Context.call`,
    which doubled the rows' cost."""
    units = {name: _Phrase(lazy) for name, lazy in TIME_STRINGS.items()}
    # `date:"j M Y"` as Django's DateFormat writes it ("M" is the translated month's title case).
    months = {number: str(name).title() for number, name in MONTHS_3.items()}
    zone, now, today = timezone.get_current_timezone(), timezone.now(), timezone.localdate()
    for d in rows:
        proposed, due = d["proposed_at"], d["needed_by"]
        local = proposed.astimezone(zone)
        d["proposed_iso"] = proposed.isoformat()
        d["proposed_day"] = f"{local.day} {months[local.month]} {local.year:04d}"
        d["took"] = timesince(proposed, d["decided_at"] or now, time_strings=units)
        shown = d["is_open"] and due
        d["due_day"] = f"{due.day} {months[due.month]} {due.year:04d}" if shown else ""
        d["overdue"] = bool(shown and due < today)  # a decide-by day before today
    url_head, url_tail = id_url_parts("decision_detail")
    return jinja.render(
        "delegation/_decision_rows.jinja",
        rows=rows,
        url_head=url_head,
        url_tail=url_tail,
        badges=_Badges(),
        agent_badge=AGENT_BADGE,
    )
