"""The weekly check-in rows, drawn by their partial (`goals/_check_in_rows.jinja`): fresh, saved, refused
(Django's bound fields with their errors), a milestone, a unit, never checked in; every text escaped."""

import re
from datetime import timedelta

from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from charter.goals.forms import CONFIDENCE_RULE, CheckInForm
from charter.goals.models import Cycle, Goal, KeyResult
from charter.goals.partials import check_in_rows
from charter.goals.views_check_in import _check_in_row

TITLE = 'Days <to> "onboard" & Co\'s'


def _key_result(pk, **fields):
    kr = KeyResult(pk=pk, goal_id=pk * 10, title=TITLE, start=0, target=10, **fields)
    kr.goal = Goal(pk=pk * 10, title="Onboard <fast>")
    kr.goal.cycle = Cycle(name="2026 Q1 & <Q2>")
    return kr


def _rows():
    week_ago = timezone.now() - timedelta(days=8)
    refused = CheckInForm({"value": "abc", "confidence": "11", "note": "<b>x</b>"}, auto_id="kr3_%s")
    assert not refused.is_valid()
    failed = CheckInForm({"value": "3", "confidence": "5", "note": ""}, auto_id="kr5_%s")
    assert failed.is_valid()
    failed.add_error(None, "You may not check in on <this>.")
    return [
        _check_in_row(
            _key_result(1, current=4, progress=0.4, confidence=6, unit="€ <k>", last_check_in_at=week_ago)
        ),
        _check_in_row(_key_result(2, kind="milestone", progress=1.0)),
        _check_in_row(_key_result(3, current=2, progress=0.2), form=refused),
        _check_in_row(_key_result(4, current=7, progress=0.7, last_check_in_at=week_ago), saved=True),
        _check_in_row(_key_result(5, kind="milestone", progress=0.0), form=failed),
    ]


def test_every_row_is_a_form_of_its_key_result():
    request = RequestFactory().get("/check-in/")
    rows = _rows()
    drawn = check_in_rows(request, rows).split("</form>")[:-1]
    assert len(drawn) == len(rows)
    title = str(escape(TITLE))
    for pk, html in enumerate(drawn, 1):
        url = reverse("check_in_create", args=[pk])
        assert html.startswith(f'<form id="check-in-{pk}" class="check-in-row card-body border-bottom')
        assert f'action="{url}" hx-post="{url}"' in html and f'aria-label="Check-in on {title}"' in html
        assert re.search(r'name="csrfmiddlewaretoken" value="[^"]{32,}"', html)
        assert f'<div class="fw-bold">{title}</div>' in html and "<script" not in html
        goal = reverse("goal_detail", args=[pk * 10])
        assert f'<a href="{goal}">Onboard &lt;fast&gt;</a> · 2026 Q1 &amp; &lt;Q2&gt;' in html
        assert rows[pk - 1]["bar"] in html
        assert f'id="kr{pk}_confidence_helptext">{escape(CONFIDENCE_RULE)}</div>' in html
        assert f"> check-in on {title}</span></button>" in html
    fresh, milestone, refused, saved, failed = drawn
    assert (
        'for="kr1_value">Value (€ &lt;k&gt;)</label>' in fresh
        and "last check-in 1\xa0week, 1\xa0day ago" in fresh
    )
    assert '<input type="number" name="value" value="4" step="any" class="form-control" required' in fresh
    assert 'name="confidence" value="6" min="0" max="10"' in fresh and "data-just" not in fresh
    assert '<option value="1" selected>Done</option>' in milestone and "never checked in" in milestone
    assert "data-just-failed" in refused and 'id="kr3_value_error" role="alert"' in refused
    assert 'id="kr3_confidence_error" role="alert"' in refused and 'aria-invalid="true"' in refused
    assert 'value="&lt;b&gt;x&lt;/b&gt;"' in refused
    assert "check-in-saved" in saved and "data-just-saved" in saved and "✓ Saved" in saved
    assert 'class="form-select"><option' in failed
    assert 'role="alert">You may not check in on &lt;this&gt;.</div>' in failed
    assert '<option value="1">Done</option>' in failed


def test_one_row_alone_is_the_same_row():
    """The htmx answer to a save is the list partial with one row: the same markup as in the page."""
    request = RequestFactory().get("/check-in/")
    rows = _rows()
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    whole = token.sub("", check_in_rows(request, rows))
    assert whole == "".join(token.sub("", check_in_rows(request, [row])) for row in rows)
