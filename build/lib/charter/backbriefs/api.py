"""API of back-briefs: parse, one call, schema out."""

from ninja import Query, Router
from ninja.pagination import paginate

from charter.core.api import Paginated, action

from . import selectors, services
from .schemas import BackBriefDetailOut, BackBriefFilters, BackBriefOut, BackBriefSubmitIn, ClarificationIn

router = Router(tags=["back-briefs"])
READ = action("organization.view")
REVIEW = action("back_brief.review")


@router.get("/back-briefs", response=list[BackBriefOut], operation_id="back_brief_list", openapi_extra=READ)
@paginate(Paginated)
def back_brief_list(request, filters: Query[BackBriefFilters]):
    """Back-briefs, oldest request first; `state=pending` lists every one not yet confirmed."""
    return selectors.back_brief_list(actor=request.auth, **filters.model_dump())


@router.get(
    "/back-briefs/{back_brief_id}",
    response=BackBriefDetailOut,
    operation_id="back_brief_get",
    openapi_extra=READ,
)
def back_brief_get(request, back_brief_id: int):
    return selectors.back_brief_get(actor=request.auth, back_brief_id=back_brief_id)


def _detail(request, back_brief):
    return selectors.back_brief_get(actor=request.auth, back_brief_id=back_brief.pk)


@router.post(
    "/back-briefs/{back_brief_id}/submit",
    response=BackBriefDetailOut,
    operation_id="back_brief_submit",
    openapi_extra=action("back_brief.submit"),
)
def back_brief_submit(request, back_brief_id: int, payload: BackBriefSubmitIn):
    """The team restates the intent, with its plan, concerns and needs (all four required)."""
    back_brief = services.back_brief_submit(
        actor=request.auth, back_brief_id=back_brief_id, **payload.model_dump()
    )
    return _detail(request, back_brief)


@router.post(
    "/back-briefs/{back_brief_id}/confirm",
    response=BackBriefDetailOut,
    operation_id="back_brief_confirm",
    openapi_extra=REVIEW,
)
def back_brief_confirm(request, back_brief_id: int):
    """The goal's accountable person (or a leader above the team) confirms a submitted back-brief."""
    return _detail(request, services.back_brief_confirm(actor=request.auth, back_brief_id=back_brief_id))


@router.post(
    "/back-briefs/{back_brief_id}/clarification",
    response=BackBriefDetailOut,
    operation_id="back_brief_request_clarification",
    openapi_extra=REVIEW,
)
def back_brief_request_clarification(request, back_brief_id: int, payload: ClarificationIn):
    """Send a submitted back-brief back to the team with a question; the team submits again."""
    back_brief = services.back_brief_request_clarification(
        actor=request.auth, back_brief_id=back_brief_id, message=payload.message
    )
    return _detail(request, back_brief)
