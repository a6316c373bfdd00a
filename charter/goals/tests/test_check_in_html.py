"""The check-in page's rows drawn in Python are the markup the template's row drew: fresh, saved, refused
(Django's bound fields with their errors), a milestone, a unit, never checked in; every text escaped."""
# ruff: noqa: E501  (the template's row as it was, line for line)

import re
from datetime import timedelta

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from charter.goals.forms import CONFIDENCE_HELP, CONFIDENCE_RULE, CheckInForm
from charter.goals.models import Cycle, Goal, KeyResult
from charter.goals.partials import check_in_rows
from charter.goals.views_check_in import _check_in_row

# The row check_in_week.html held, kept here to compare with.
ROW = Template(
    """{% with row=row %}
  <form id="check-in-{{ row.kr.pk }}" class="check-in-row card-body border-bottom{% if row.saved %} check-in-saved{% endif %}" role="listitem"
        method="post" action="{% url 'check_in_create' row.kr.pk %}" hx-post="{% url 'check_in_create' row.kr.pk %}"
        hx-target="this" hx-swap="outerHTML" {% if row.saved %}data-just-saved{% elif row.form.errors %}data-just-failed{% endif %} aria-label="Check-in on {{ row.kr.title }}" novalidate>
    {% csrf_token %}
    <div class="row g-2 align-items-start">
      <div class="col-lg-4">
        <div class="fw-bold">{{ row.kr.title }}</div>
        <div class="small text-secondary"><a href="{% url 'goal_detail' row.kr.goal_id %}">{{ row.kr.goal.title }}</a> · {{ row.kr.goal.cycle.name }}</div>
        <div class="small">
          Now {{ row.now }}
          {% if row.kr.last_check_in_at %}<span class="text-secondary"> · last check-in {{ row.kr.last_check_in_at|timesince }} ago</span>{% else %}<span class="text-warning"> · never checked in</span>{% endif %}
        </div>
        {{ row.bar }}
      </div>
      {% with form=row.form %}
      <div class="col-4 col-lg-2">
        <label class="form-label small mb-1" for="kr{{ row.kr.pk }}_value">Value{% if row.kr.unit %} ({{ row.kr.unit }}){% endif %}</label>
        {% if row.kr.kind == "milestone" %}
        <select name="value" id="kr{{ row.kr.pk }}_value" class="form-select{% if form.value.errors %} is-invalid{% endif %}">
          <option value="0">Not done</option>
          <option value="1" {% if row.kr.progress >= 1 %}selected{% endif %}>Done</option>
        </select>
        {% elif form %}{{ form.value }}{% else %}<input type="number" name="value" value="{{ row.initial.value }}" step="any" class="form-control" required id="kr{{ row.kr.pk }}_value">{% endif %}
        {% if form.value.errors %}<div class="invalid-feedback d-block" id="{{ form.value.auto_id }}_error" role="alert">{{ form.value.errors|join:" " }}</div>{% endif %}
      </div>
      <div class="col-3 col-lg-2">
        <label class="form-label small mb-1" for="kr{{ row.kr.pk }}_confidence" title="{{ confidence_help }}">Confidence</label>
        {% if form %}{{ form.confidence }}{% else %}<input type="number" name="confidence" value="{{ row.initial.confidence }}" min="0" max="10" class="form-control" required aria-describedby="kr{{ row.kr.pk }}_confidence_helptext" id="kr{{ row.kr.pk }}_confidence">{% endif %}
        {% if form.confidence.errors %}<div class="invalid-feedback d-block" id="{{ form.confidence.auto_id }}_error" role="alert">{{ form.confidence.errors|join:" " }}</div>{% endif %}
        <div class="form-hint small mt-1" id="kr{{ row.kr.pk }}_confidence_helptext">{{ confidence_rule }}</div>
      </div>
      <div class="col-5 col-lg-3">
        <label class="form-label small mb-1" for="kr{{ row.kr.pk }}_note">Note</label>
        {% if form %}{{ form.note }}{% else %}<input type="text" name="note" maxlength="2000" class="form-control" id="kr{{ row.kr.pk }}_note">{% endif %}
        {% if form.note.errors %}<div class="invalid-feedback d-block" role="alert">{{ form.note.errors|join:" " }}</div>{% endif %}
      </div>
      <div class="col-lg-1 d-flex flex-column align-items-start">
        <span class="form-label small mb-1 d-none d-lg-block" aria-hidden="true">&nbsp;</span>
        <button class="btn btn-primary w-100" type="submit">Save<span class="visually-hidden"> check-in on {{ row.kr.title }}</span></button>
        {% if row.saved %}<span class="small text-success mt-1" role="status">✓ Saved</span>{% endif %}
        {% if form.non_field_errors %}<div class="small text-danger mt-1" role="alert">{{ form.non_field_errors|join:" " }}</div>{% endif %}
      </div>
      {% endwith %}
    </div>
  </form>
{% endwith %}"""
)


def _key_result(pk, **fields):
    kr = KeyResult(pk=pk, goal_id=pk * 10, title='Days <to> "onboard" & Co\'s', start=0, target=10, **fields)
    kr.goal = Goal(pk=pk * 10, title="Onboard <fast>")
    kr.goal.cycle = Cycle(name="2026 Q1 & <Q2>")
    return kr


def _squeeze(html: str) -> str:
    """Whitespace aside (the template's indentation), the markup."""
    return re.sub(r"\s+", " ", re.sub(r">\s+|\s+<|\s+>", lambda m: m[0].strip(), html)).strip()


def _same(a: str, b: str) -> bool:
    return _squeeze(a) == _squeeze(b)


def _first_difference(a: str, b: str) -> str:
    a, b = _squeeze(a), _squeeze(b)
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"drawn:    …{a[i - 80 : i + 80]}\ntemplate: …{b[i - 80 : i + 80]}"


def test_the_rows_are_the_templates():
    request = RequestFactory().get("/check-in/")
    week_ago = timezone.now() - timedelta(days=8)
    refused = CheckInForm({"value": "abc", "confidence": "11", "note": "<b>x</b>"}, auto_id="kr3_%s")
    assert not refused.is_valid()
    failed = CheckInForm({"value": "3", "confidence": "5", "note": ""}, auto_id="kr5_%s")
    assert failed.is_valid()
    failed.add_error(None, "You may not check in on <this>.")
    rows = [
        _check_in_row(
            _key_result(1, current=4, progress=0.4, confidence=6, unit="€ <k>", last_check_in_at=week_ago)
        ),
        _check_in_row(_key_result(2, kind="milestone", progress=1.0)),
        _check_in_row(_key_result(3, current=2, progress=0.2), form=refused),
        _check_in_row(_key_result(4, current=7, progress=0.7, last_check_in_at=week_ago), saved=True),
        _check_in_row(_key_result(5, kind="milestone", progress=0.0), form=failed),
    ]
    for row in rows:
        request.META.pop("CSRF_COOKIE", None)
        expected = ROW.render(
            Context(
                {
                    "row": row,
                    "confidence_help": CONFIDENCE_HELP,
                    "confidence_rule": CONFIDENCE_RULE,
                    "csrf_token": "TOKEN",
                }
            )
        )
        drawn = check_in_rows(request, [row])
        drawn = re.sub(
            r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="TOKEN"', drawn
        )
        drawn = drawn.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
        expected = expected.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
        assert _same(drawn, expected), _first_difference(drawn, expected)
