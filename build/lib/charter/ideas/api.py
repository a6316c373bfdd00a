"""API of ideas: parse, one call, schema out."""

from ninja import Query, Router
from ninja.pagination import paginate

from charter.core.api import Paginated, action

from . import selectors, services
from .schemas import IdeaDetailOut, IdeaFilters, IdeaIn, IdeaMoveIn, IdeaOut, IdeaPatch, VoteOut

router = Router(tags=["ideas"])
READ = action("organization.view")


@router.get("/ideas", response=list[IdeaOut], operation_id="idea_list", openapi_extra=READ)
@paginate(Paginated)
def idea_list(request, filters: Query[IdeaFilters]):
    """Ideas by votes (or newest first), filtered by status and linked goal."""
    return selectors.idea_list(actor=request.auth, **filters.model_dump())


@router.post(
    "/ideas", response={201: IdeaDetailOut}, operation_id="idea_create", openapi_extra=action("idea.create")
)
def idea_create(request, payload: IdeaIn):
    idea = services.idea_create(actor=request.auth, **payload.model_dump())
    return 201, selectors.idea_get(actor=request.auth, idea_id=idea.pk)


@router.get("/ideas/{idea_id}", response=IdeaDetailOut, operation_id="idea_get", openapi_extra=READ)
def idea_get(request, idea_id: int):
    """An idea with its votes, comment count and history of moves."""
    return selectors.idea_get(actor=request.auth, idea_id=idea_id)


@router.put(
    "/ideas/{idea_id}",
    response=IdeaDetailOut,
    operation_id="idea_update",
    openapi_extra=action("idea.create"),
)
def idea_update(request, idea_id: int, payload: IdeaPatch):
    """Change an idea's title, description and linked goals: its author, a leader or admin, until adopted."""
    services.idea_update(actor=request.auth, idea_id=idea_id, **payload.model_dump())
    return selectors.idea_get(actor=request.auth, idea_id=idea_id)


def _vote(request, idea_id: int, vote: bool) -> VoteOut:
    voted = services.idea_vote(actor=request.auth, idea_id=idea_id, vote=vote)
    return VoteOut(voted=voted, vote_count=selectors.idea_get(actor=request.auth, idea_id=idea_id).vote_count)


@router.post(
    "/ideas/{idea_id}/vote", response=VoteOut, operation_id="idea_vote", openapi_extra=action("idea.vote")
)
def idea_vote(request, idea_id: int):
    """Vote for an idea; voting again keeps the one vote."""
    return _vote(request, idea_id, True)


@router.delete(
    "/ideas/{idea_id}/vote", response=VoteOut, operation_id="idea_unvote", openapi_extra=action("idea.vote")
)
def idea_unvote(request, idea_id: int):
    return _vote(request, idea_id, False)


@router.post(
    "/ideas/{idea_id}/move",
    response=IdeaDetailOut,
    operation_id="idea_move",
    openapi_extra=action("idea.move"),
)
def idea_move(request, idea_id: int, payload: IdeaMoveIn):
    """Move through the pipeline with a reason; adopting needs the goal or key result it became."""
    services.idea_move(actor=request.auth, idea_id=idea_id, **payload.model_dump())
    return selectors.idea_get(actor=request.auth, idea_id=idea_id)
