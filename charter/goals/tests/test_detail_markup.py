"""The goal page's check-in history rows, drawn by their partial (`goals/_check_in_history.jinja`): each
cell as Django's filters write it (the day in the current time zone, `floatformat:"-2"`, `linebreaksbr`),
every text escaped, the agent badge, a dash for a gone author."""

import datetime
import re

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat, linebreaksbr
from django.utils import timezone
from markupsafe import escape

from charter.core.templatetags.charter import AGENT_BADGE
from charter.goals.models import CheckIn, KeyResult
from charter.goals.partials import check_in_history_rows
from charter.organizations.models import User


def _check_in(value, note, author, late=False, hour=23):
    at = datetime.datetime(2026, 3, 1, hour, 30, tzinfo=datetime.UTC)
    check_in = CheckIn(value=value, confidence=7, note=note, checked_at=at, is_late=late)
    check_in.key_result = KeyResult(title='Days <to> "onboard" & Co\'s')
    check_in.author = author
    return check_in


def _cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)


def test_each_row_shows_its_check_in(settings):
    settings.TIME_ZONE = "Europe/Berlin"  # the date is local: 23:30 UTC is the next day there
    agent = User(full_name="", email="bot@example.com")
    agent.kind = "agent"
    person = User(full_name="Ann <b>Lee</b>", email="ann@example.com")
    check_ins = [
        _check_in(5.5, "halfway\r\nthen <script>x</script>", person, late=True),
        _check_in(3, "", agent, hour=9),
        _check_in(2.675, "one\ntwo\n\nthree", agent),
        _check_in(-0.001, "'quoted'", person),
        _check_in(1e21, "big", person),
    ]
    with timezone.override("Europe/Berlin"):
        rows = check_in_history_rows(check_ins).split("</tr>")[:-1]
        assert len(rows) == len(check_ins)
        for c, row in zip(check_ins, rows, strict=True):
            cells = _cells(row)
            day = date_filter(timezone.localtime(c.checked_at), "j M Y")
            late = ' <span class="badge bg-orange-lt">late</span>' if c.is_late else ""
            assert cells[0] == f'<time datetime="{c.checked_at.isoformat()}">{day}</time>{late}'
            assert cells[1] == str(escape(c.key_result.title))
            assert cells[2] == floatformat(c.value, "-2")
            assert cells[3] == "7/10"
            assert cells[4] == linebreaksbr(c.note)
            name = str(escape(c.author.full_name or c.author.email))
            assert cells[5] == name + (AGENT_BADGE if c.author.kind == "agent" else "")
    assert "<td>2 Mar 2026</td>" not in rows[0] and ">2 Mar 2026</time>" in rows[0]


def test_a_check_in_whose_author_is_gone_shows_a_dash():
    # The template's `c.author.full_name|default:c.author.email` failed on it (the argument's lookup raised).
    assert "<td>—</td>" in check_in_history_rows([_check_in(1, "", None)])
