"""The weekly check-in page: one row per key result of the person, each saved on its own (htmx)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.views.decorators.http import require_POST

from charter.core.http import call_with_form, requires
from charter.core.templatetags.charter import progress_bar

from . import partials, selectors, services
from .forms import CONFIDENCE_HELP, CheckInForm


def _check_in_initial(kr) -> dict:
    """A row's starting values, so that an unchanged week is one Enter away: the current value and the
    last confidence given. A first check-in's confidence starts empty: saving it without one is refused
    beside the field, never a made-up middle value (one that could mark the goal at risk unasked)."""
    current = kr.current if kr.current is not None else kr.start
    value = f"{current:g}" if current is not None else ""
    return {"value": value, "confidence": "" if kr.confidence is None else str(kr.confidence)}


def _check_in_row(kr, form=None, saved=False) -> dict:
    """One row of the weekly page. A fresh row draws its inputs in the template from `initial` (Django's
    widget templates cost milliseconds a row); a refused one shows its bound `form` with the errors."""
    facts = {k: getattr(kr, k) for k in ("kind", "progress", "current", "target", "target_max", "unit")}
    return {
        "kr": kr,
        "form": form,
        "initial": _check_in_initial(kr),
        "saved": saved,
        "now": escape(partials.kr_value(facts)),
        "bar": progress_bar(kr.progress, f"Progress of {kr.title}"),
    }


@requires("check_in.create")
def check_in_week(request):
    rows = [_check_in_row(kr) for kr in selectors.my_key_results(actor=request.actor)]
    context = {
        "rows": rows,
        "rows_html": partials.check_in_rows(request, rows),
        "confidence_help": CONFIDENCE_HELP,
    }
    return render(request, "goals/check_in_week.html", context)


@requires("check_in.create")
@require_POST
def check_in_create(request, key_result_id: int):
    actor = request.actor
    # Look the key result up first, so another organization's id is a 404 whatever the input.
    kr = selectors.key_result_get(actor=actor, key_result_id=key_result_id)
    form = CheckInForm(request.POST, auto_id=f"kr{kr.pk}_%s")
    saved = form.is_valid() and call_with_form(
        form, services.check_in_record, actor=actor, key_result_id=kr.pk, **form.cleaned_data
    )
    if not request.htmx:
        _flash_check_in(request, saved, form)
        return redirect("check_in_week")
    if saved:  # the row shows the new current value, progress and confidence
        kr = selectors.key_result_get(actor=actor, key_result_id=kr.pk)
    return HttpResponse(
        partials.check_in_rows(request, [_check_in_row(kr, form=None if saved else form, saved=bool(saved))])
    )


def _flash_check_in(request, saved, form) -> None:
    if saved:
        messages.success(request, "Check-in saved.")
        return
    problems = " ".join(
        f"{form[name].label if name in form.fields else ''}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    )
    messages.error(request, f"The check-in was not saved. {problems}")
