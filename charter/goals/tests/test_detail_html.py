"""The goal page's check-in rows drawn in Python are the markup the template's loop drew."""
# ruff: noqa: E501  (the template loop as it was, line for line)

import datetime
import re

from django.template import Context, Template
from django.utils import timezone

from charter.goals.models import CheckIn, KeyResult
from charter.goals.partials import check_in_history_rows as check_in_rows
from charter.organizations.models import User

# The loop goal_detail.html held, kept here to compare with.
LOOP = Template(
    """{% load charter %}
        {% for c in check_ins %}
        <tr>
          <td class="text-nowrap"><time datetime="{{ c.checked_at.isoformat }}">{{ c.checked_at|date:"j M Y" }}</time>{% if c.is_late %} <span class="badge bg-orange-lt">late</span>{% endif %}</td>
          <td>{{ c.key_result.title }}</td>
          <td class="text-end">{{ c.value|floatformat:"-2" }}</td>
          <td class="text-end">{{ c.confidence }}/10</td>
          <td>{{ c.note|linebreaksbr }}</td>
          <td>{{ c.author.full_name|default:c.author.email|default:"—" }}{% agent_badge c.author %}</td>
        </tr>
        {% endfor %}
"""
)


def _check_in(value, note, author, late=False, hour=23):
    at = datetime.datetime(2026, 3, 1, hour, 30, tzinfo=datetime.UTC)
    check_in = CheckIn(value=value, confidence=7, note=note, checked_at=at, is_late=late)
    check_in.key_result = KeyResult(title='Days <to> "onboard" & Co\'s')
    check_in.author = author
    return check_in


def test_the_rows_are_the_templates(settings):
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
        expected = LOOP.render(Context({"check_ins": check_ins}))
        drawn = "{% load charter %}\n        " + check_in_rows(check_ins) + "\n"
    drawn = drawn.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    assert (
        re.sub(r">\s+<", "><", drawn.replace("{% load charter %}", "")).strip()
        == re.sub(r">\s+<", "><", expected).strip()
    )


def test_a_check_in_whose_author_is_gone_shows_a_dash():
    # The template's `c.author.full_name|default:c.author.email` failed on it (the argument's lookup raised).
    assert "<td>—</td>" in check_in_rows([_check_in(1, "", None)])
