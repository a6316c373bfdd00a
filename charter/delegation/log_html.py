"""The decision log's table rows as HTML, built in Python.

The log shows up to a hundred decisions of seven cells each; the template engine spent about a
millisecond per row resolving and escaping them, and `format_html` with Django's lazy-aware `escape`
still a tenth of that. These rows give the same HTML as the template did (`date:"j M Y"` in the current
time zone, `timesince`, the agent badge), every text through `html.escape` (what Django's `escape` calls).
"""

from html import escape

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import TIME_STRINGS, timesince

from charter.core.links import id_url_template
from charter.core.templatetags.charter import agent_badge

from .templatetags.delegation_tags import decision_status_html


def rows_html(rows: list[dict]) -> SafeString:
    """The `<tr>`s of `log.log_rows` rows."""
    page = _Page()
    return mark_safe("".join(_row(row, page) for row in rows))


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


class _Page:
    """What every row of a page shares, computed once: the link, the months, the moment `open`
    counts from, the units of `timesince`, and the escaped names and badges seen so far."""

    def __init__(self):
        # `date:"j M Y"` as Django's DateFormat writes it ("M" is the translated month's title case).
        self.months = {number: str(name).title() for number, name in MONTHS_3.items()}
        self.link = escape(id_url_template("decision_detail"))
        self.now = timezone.now()
        self.units = {name: _Phrase(lazy) for name, lazy in TIME_STRINGS.items()}
        self.zone = timezone.get_current_timezone()
        self.cells: dict = {}

    def cell(self, key, make) -> str:
        """`make()` once per `key` for the page: names and badges repeat from row to row."""
        html = self.cells.get(key)
        if html is None:
            html = self.cells[key] = make()
        return html


def _level(info) -> str:
    return f'<span class="badge level-badge level-{info.number}">{info.number} {escape(info.code)}</span>'


def _row(d: dict, page: _Page) -> str:
    goals = "".join(
        f'<div class="small text-secondary">→ {escape(title)}</div>' for title in d["goal_titles"]
    )
    waiting = ""
    if d["is_open"] and d["addressed_to"]:
        waiting = f'<div class="small text-secondary">waiting for {escape(str(d["addressed_to"]))}</div>'
    info, person, cell = d["level_info"], d["recorded_by"], page.cell
    proposed = d["proposed_at"]
    local = proposed.astimezone(page.zone)
    if d["decided_at"]:
        latency = escape(timesince(proposed, d["decided_at"], time_strings=page.units))
    else:
        since = escape(timesince(proposed, page.now, time_strings=page.units))
        latency = f'<span class="text-secondary">open {since}</span>'
    team, domain, status = d["team__name"], d["domain__name"], d["status"]
    badge = cell(("status", status), lambda: decision_status_html(status, str(d["status_label"])))
    return (
        f'<tr><td><a href="{page.link.format(d["pk"])}">{escape(d["title"])}</a>{goals}</td>'
        f"<td>{cell(('where', team, domain), lambda: f'{escape(team)} · {escape(domain)}')}</td>"
        f"<td>{badge}{waiting}</td>"
        f"<td>{cell(('level', info.number), lambda: _level(info))}</td>"
        f"<td>{cell(('by', person), lambda: escape(str(person)) + agent_badge(person))}</td>"
        # An ISO moment has nothing to escape.
        f'<td class="text-nowrap"><time datetime="{proposed.isoformat()}">'
        f"{local.day} {page.months[local.month]} {local.year:04d}</time></td>"
        f'<td class="text-nowrap">{latency}</td></tr>'
    )
