"""The weekly check-in page's rows, drawn in Python: a person checks in on dozens of key results, and the
template's row (three links, a form of three fields, their errors) was most of the page's time. The
markup is the one the template drew (`test_check_in_html.py` compares them): a fresh row draws its
inputs from the row's starting values, a refused one shows Django's bound fields with their errors."""

from html import escape

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.timesince import timesince

from . import rules
from .forms import CONFIDENCE_HELP, CONFIDENCE_RULE

_RULE = escape(CONFIDENCE_RULE)


def _errors(field, with_id: bool) -> str:
    if not field.errors:
        return ""
    id_attr = f' id="{field.auto_id}_error"' if with_id else ""
    return (
        f'<div class="invalid-feedback d-block"{id_attr} role="alert">{escape(" ".join(field.errors))}</div>'
    )


def check_in_row(request, row: dict) -> str:
    """One row: `row` as `views_check_in._check_in_row` makes it (the key result, a bound form or None,
    the starting values, saved or not, the current value and progress bar already drawn)."""
    kr, form, initial, pk = row["kr"], row["form"], row["initial"], row["kr"].pk
    title = escape(kr.title)
    url = reverse("check_in_create", args=[pk])
    state = (
        " data-just-saved"
        if row["saved"]
        else " data-just-failed"
        if form is not None and form.errors
        else ""
    )
    if kr.last_check_in_at:
        last = f'<span class="text-secondary"> · last check-in {timesince(kr.last_check_in_at)} ago</span>'
    else:
        last = '<span class="text-warning"> · never checked in</span>'
    invalid = " is-invalid" if form is not None and form["value"].errors else ""
    unit = f" ({escape(kr.unit)})" if kr.unit else ""
    if kr.kind == rules.MILESTONE:
        done = " selected" if kr.progress >= 1 else ""
        value = (
            f'<select name="value" id="kr{pk}_value" class="form-select{invalid}">'
            f'<option value="0">Not done</option><option value="1"{done}>Done</option></select>'
        )
    elif form is not None:
        value = str(form["value"])
    else:
        value = (
            f'<input type="number" name="value" value="{escape(initial["value"])}" step="any"'
            f' class="form-control" required id="kr{pk}_value">'
        )
    if form is not None:
        confidence, note = str(form["confidence"]), str(form["note"])
    else:
        confidence = (
            f'<input type="number" name="confidence" value="{initial["confidence"]}" min="0" max="10"'
            f' class="form-control" required aria-describedby="kr{pk}_confidence_helptext"'
            f' id="kr{pk}_confidence">'
        )
        note = f'<input type="text" name="note" maxlength="2000" class="form-control" id="kr{pk}_note">'
    field_errors = {
        name: _errors(form[name], name != "note") if form is not None else ""
        for name in ("value", "confidence", "note")
    }
    saved = '<span class="small text-success mt-1" role="status">✓ Saved</span>' if row["saved"] else ""
    general = form.non_field_errors() if form is not None else ""
    general = (
        f'<div class="small text-danger mt-1" role="alert">{escape(" ".join(general))}</div>'
        if general
        else ""
    )
    return (
        f'<form id="check-in-{pk}" class="check-in-row card-body border-bottom'
        f'{" check-in-saved" if row["saved"] else ""}" role="listitem" method="post" action="{url}"'
        f' hx-post="{url}" hx-target="this" hx-swap="outerHTML"{state}'
        f' aria-label="Check-in on {title}" novalidate>'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
        '<div class="row g-2 align-items-start"><div class="col-lg-4">'
        f'<div class="fw-bold">{title}</div>'
        f'<div class="small text-secondary"><a href="{reverse("goal_detail", args=[kr.goal_id])}">'
        f"{escape(kr.goal.title)}</a> · {escape(kr.goal.cycle.name)}</div>"
        f'<div class="small">Now {row["now"]} {last}</div>{row["bar"]}</div>'
        '<div class="col-4 col-lg-2">'
        f'<label class="form-label small mb-1" for="kr{pk}_value">Value{unit}</label>'
        f"{value}{field_errors['value']}</div>"
        '<div class="col-3 col-lg-2">'
        f'<label class="form-label small mb-1" for="kr{pk}_confidence" title="{escape(CONFIDENCE_HELP)}">'
        f"Confidence</label>{confidence}{field_errors['confidence']}"
        f'<div class="form-hint small mt-1" id="kr{pk}_confidence_helptext">{_RULE}</div></div>'
        '<div class="col-5 col-lg-3">'
        f'<label class="form-label small mb-1" for="kr{pk}_note">Note</label>'
        f"{note}{field_errors['note']}</div>"
        '<div class="col-lg-1 d-flex flex-column align-items-start">'
        '<span class="form-label small mb-1 d-none d-lg-block" aria-hidden="true">&nbsp;</span>'
        '<button class="btn btn-primary w-100" type="submit">Save<span class="visually-hidden">'
        f" check-in on {title}</span></button>{saved}{general}</div>"
        "</div></form>"
    )


def check_in_rows(request, rows: list[dict]) -> SafeString:
    return SafeString("".join(check_in_row(request, row) for row in rows))
