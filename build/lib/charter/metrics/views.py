"""Web pages of metrics and data sources, and the inbound URL that sources push values to."""

import json

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from charter.core.http import call_with_form, public, requires
from charter.goals.selectors import goal_list, key_result_get
from charter.organizations.selectors import team_list

from . import pulling, selectors, services
from .forms import MetricForm, SourceForm, ValueForm

CHART_POINTS = 500


# ---- metrics ---------------------------------------------------------------------------------------


@requires("organization.view")
def metric_list(request):
    metrics = list(selectors.metric_list(actor=request.actor))
    return render(request, "metrics/metric_list.html", {"metrics": metrics})


def _chart(metric, values) -> dict:
    return {
        "unit": metric.unit,
        "direction": metric.direction,
        "thresholds": {"healthy": metric.healthy, "warning": metric.warning, "critical": metric.critical},
        "points": [[v.recorded_at.isoformat(), v.value] for v in reversed(values)],
    }


@requires("organization.view")
def metric_detail(request, metric_id: int):
    return _detail_page(request, metric_id)


def _detail_page(request, metric_id: int, value_form=None, status=200):
    actor = request.actor
    metric = selectors.metric_get(actor=actor, metric_id=metric_id)
    values = list(selectors.metric_values(actor=actor, metric_id=metric.pk, limit=CHART_POINTS))
    context = {
        "metric": metric,
        "values": values[:50],
        "chart": _chart(metric, values),
        "may_manage": actor.can("metric.manage"),
        "value_form": value_form or ValueForm(),
    }
    return render(request, "metrics/metric_detail.html", context, status=status)


def _metric_form(request, data=None, initial=None):
    actor = request.actor
    return MetricForm(data, initial=initial, teams=team_list(actor=actor), goals=goal_list(actor=actor))


def _render_metric_form(request, form, metric=None, status=200):
    return render(request, "metrics/metric_form.html", {"form": form, "metric": metric}, status=status)


@requires("metric.manage")
def metric_create(request):
    if request.method != "POST":
        return _render_metric_form(request, _metric_form(request, initial={"direction": "higher"}))
    form = _metric_form(request, request.POST)
    if form.is_valid():
        metric = call_with_form(form, services.metric_create, actor=request.actor, **form.cleaned_data)
        if metric is not None:
            messages.success(request, f"Metric “{metric.name}” created.")
            return redirect("metric_detail", metric_id=metric.pk)
    return _render_metric_form(request, form, status=422)


@requires("metric.manage")
def metric_edit(request, metric_id: int):
    metric = selectors.metric_get(actor=request.actor, metric_id=metric_id)
    if request.method != "POST":
        return _render_metric_form(
            request, _metric_form(request, initial=MetricForm.initial_of(metric)), metric
        )
    form = _metric_form(request, request.POST)
    if form.is_valid():
        saved = call_with_form(
            form, services.metric_update, actor=request.actor, metric_id=metric.pk, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, f"Metric “{saved.name}” saved.")
            return redirect("metric_detail", metric_id=metric.pk)
    return _render_metric_form(request, form, metric, status=422)


@requires("metric.manage")
@require_POST
def metric_value_create(request, metric_id: int):
    metric = selectors.metric_get(actor=request.actor, metric_id=metric_id)
    form = ValueForm(request.POST)
    if form.is_valid() and call_with_form(
        form, services.metric_value_record, actor=request.actor, metric_id=metric.pk, **form.cleaned_data
    ):
        messages.success(request, "Value recorded.")
        return redirect("metric_detail", metric_id=metric.pk)
    return _detail_page(request, metric.pk, value_form=form, status=422)


# ---- data sources ----------------------------------------------------------------------------------


@requires("organization.view")
def source_detail(request, source_id: int):
    return _source_page(request, source_id)


def _source_page(request, source_id: int, token: str | None = None, status: int = 200):
    """The source's page; `token` only right after creation (only its hash is stored)."""
    actor = request.actor
    source = selectors.source_get(actor=actor, source_id=source_id)
    inbound_url = token and request.build_absolute_uri(reverse("metric_inbound_token", args=[token]))
    context = {
        "source": source,
        "runs": list(selectors.source_runs(actor=actor, source_id=source.pk, limit=50)),
        "may_manage": actor.can("metric.manage"),
        "inbound_url": inbound_url,
    }
    return render(request, "metrics/source_detail.html", context, status=status)


def _render_source_form(request, form, source=None, target=None, status=200):
    context = {"form": form, "source": source, "target": target or (source and source.target)}
    return render(request, "metrics/source_form.html", context, status=status)


def _source_target(request, params):
    """The metric or key result a new source feeds, from `?metric=` or `?key_result=` (404 if foreign)."""
    actor = request.actor
    metric_id, kr_id = (
        params.get("metric_id") or params.get("metric"),
        params.get("key_result_id") or params.get("key_result"),
    )
    if metric_id and str(metric_id).isdigit():
        return selectors.metric_get(actor=actor, metric_id=int(metric_id)), {"metric_id": int(metric_id)}
    if kr_id and str(kr_id).isdigit():
        return key_result_get(actor=actor, key_result_id=int(kr_id)), {"key_result_id": int(kr_id)}
    return None, {}


@requires("metric.manage")
def source_create(request):
    target, ids = _source_target(request, request.POST if request.method == "POST" else request.GET)
    if request.method != "POST":
        return _render_source_form(request, SourceForm(initial=ids), target=target)
    form = SourceForm(request.POST)
    if form.is_valid():
        source = call_with_form(form, services.source_create, actor=request.actor, **form.cleaned_data)
        if source is not None:
            messages.success(request, f"Data source “{source.name}” created.")
            if not source.is_pull:  # the push URL is shown in this answer only
                return _source_page(request, source.pk, token=source.token, status=201)
            return redirect("source_detail", source_id=source.pk)
    return _render_source_form(request, form, target=target, status=422)


@requires("metric.manage")
def source_edit(request, source_id: int):
    source = selectors.source_get(actor=request.actor, source_id=source_id)
    if request.method != "POST":
        return _render_source_form(request, SourceForm(initial=SourceForm.initial_of(source)), source)
    # The kind is fixed once created (the page shows it as text), so the form takes the stored one.
    form = SourceForm({**request.POST.dict(), "kind": source.kind})
    if form.is_valid():
        values = {
            k: v for k, v in form.cleaned_data.items() if k not in ("kind", "metric_id", "key_result_id")
        }
        saved = call_with_form(
            form, services.source_update, actor=request.actor, source_id=source.pk, **values
        )
        if saved is not None:
            messages.success(request, f"Data source “{saved.name}” saved.")
            return redirect("source_detail", source_id=source.pk)
    return _render_source_form(request, form, source, status=422)


@requires("metric.manage")
@require_POST
def source_pull(request, source_id: int):
    run = pulling.source_run_now(actor=request.actor, source_id=source_id)
    if run.ok:
        messages.success(request, f"Pulled {run.value:g}.")
    else:
        messages.error(request, f"The pull failed: {run.error}")
    return redirect("source_detail", source_id=source_id)


@requires("metric.manage")
def source_delete(request, source_id: int):
    source = selectors.source_get(actor=request.actor, source_id=source_id)
    back = (
        source.metric_id
        and reverse("metric_detail", args=[source.metric_id])
        or reverse("goal_detail", args=[source.key_result.goal_id])
    )
    if request.method == "POST":
        services.source_delete(actor=request.actor, source_id=source.pk)
        messages.success(request, f"Data source “{source.name}” deleted.")
        return redirect(back)
    return render(request, "metrics/source_delete.html", {"source": source, "cancel_url": back})


# ---- inbound ---------------------------------------------------------------------------------------


def _pushed_value(request):
    """The value of a push: JSON `{"value": 12.5}` or a form field `value`."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return None
        return body.get("value") if isinstance(body, dict) else None
    return request.POST.get("value")


@public
@csrf_exempt
@require_POST
def inbound(request, token: str = ""):
    """A source pushes a value here; its token (in the path or a Bearer header) is its only credential."""
    header = request.headers.get("Authorization", "")
    token = token or (header[7:].strip() if header.lower().startswith("bearer ") else "")
    source = pulling.inbound_source(token)
    if source is None:
        return JsonResponse(
            {"code": "unauthorized", "detail": "Unknown or inactive source token."}, status=401
        )
    result = pulling.inbound_receive(source, _pushed_value(request))
    if not result.ok:
        return JsonResponse(
            {"code": "invalid", "detail": result.error, "errors": {"value": [result.error]}}, status=422
        )
    return JsonResponse({"ok": True, "value": result.value, "source": source.name})
