"""API of metrics, their values and data sources: parse, one call, schema out."""

from django.urls import reverse
from ninja import Router
from ninja.pagination import paginate

from charter.core.api import Paginated, action

from . import pulling, selectors, services
from .schemas import (
    MetricDetailOut,
    MetricIn,
    MetricOut,
    MetricPatch,
    RunOut,
    SourceCreatedOut,
    SourceIn,
    SourceOut,
    ValueIn,
    ValueOut,
)

router = Router(tags=["metrics"])
READ = action("organization.view")
MANAGE = action("metric.manage")


@router.get("/metrics", response=list[MetricOut], operation_id="metric_list", openapi_extra=READ)
@paginate(Paginated)
def metric_list(request, team_id: int | None = None):
    return selectors.metric_list(actor=request.auth, team_id=team_id)


@router.post("/metrics", response={201: MetricDetailOut}, operation_id="metric_create", openapi_extra=MANAGE)
def metric_create(request, payload: MetricIn):
    metric = services.metric_create(actor=request.auth, **payload.model_dump())
    return 201, selectors.metric_get(actor=request.auth, metric_id=metric.pk)


@router.get("/metrics/{metric_id}", response=MetricDetailOut, operation_id="metric_get", openapi_extra=READ)
def metric_get(request, metric_id: int):
    return selectors.metric_get(actor=request.auth, metric_id=metric_id)


@router.patch(
    "/metrics/{metric_id}", response=MetricDetailOut, operation_id="metric_update", openapi_extra=MANAGE
)
def metric_update(request, metric_id: int, payload: MetricPatch):
    services.metric_update(actor=request.auth, metric_id=metric_id, **payload.model_dump(exclude_unset=True))
    return selectors.metric_get(actor=request.auth, metric_id=metric_id)


@router.post(
    "/metrics/{metric_id}/values",
    response={201: ValueOut},
    operation_id="metric_value_create",
    openapi_extra=MANAGE,
)
def metric_value_create(request, metric_id: int, payload: ValueIn):
    return 201, services.metric_value_record(actor=request.auth, metric_id=metric_id, **payload.model_dump())


@router.get(
    "/metrics/{metric_id}/values",
    response=list[ValueOut],
    operation_id="metric_value_list",
    openapi_extra=READ,
)
@paginate(Paginated)
def metric_value_list(request, metric_id: int):
    """The metric's values, newest first."""
    metric = selectors.metric_get(actor=request.auth, metric_id=metric_id)
    return selectors.metric_values(actor=request.auth, metric_id=metric.pk)


@router.get("/sources", response=list[SourceOut], operation_id="source_list", openapi_extra=READ)
@paginate(Paginated)
def source_list(request, metric_id: int | None = None, key_result_id: int | None = None):
    return selectors.source_list(actor=request.auth, metric_id=metric_id, key_result_id=key_result_id)


@router.post("/sources", response={201: SourceCreatedOut}, operation_id="source_create", openapi_extra=MANAGE)
def source_create(request, payload: SourceIn):
    """An inbound source's push URL is in this answer only."""
    source = services.source_create(actor=request.auth, **payload.model_dump())
    inbound = not source.is_pull
    push = inbound and request.build_absolute_uri(reverse("metric_inbound_token", args=[source.token]))
    source.push_url = push or None
    return 201, source


@router.get("/sources/{source_id}", response=SourceOut, operation_id="source_get", openapi_extra=READ)
def source_get(request, source_id: int):
    return selectors.source_get(actor=request.auth, source_id=source_id)


@router.post("/sources/{source_id}/run", response=RunOut, operation_id="source_run", openapi_extra=MANAGE)
def source_run(request, source_id: int):
    """Pull the source now (pulled sources only); the run is returned, failed or not."""
    return pulling.source_run_now(actor=request.auth, source_id=source_id)


@router.get(
    "/sources/{source_id}/runs", response=list[RunOut], operation_id="source_run_list", openapi_extra=READ
)
@paginate(Paginated)
def source_run_list(request, source_id: int):
    source = selectors.source_get(actor=request.auth, source_id=source_id)
    return selectors.source_runs(actor=request.auth, source_id=source.pk)
