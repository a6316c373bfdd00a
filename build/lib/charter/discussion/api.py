"""API of comments: parse, one call, schema out."""

from ninja import Query, Router
from ninja.pagination import paginate

from charter.core.api import Paginated, action

from . import selectors, services
from .schemas import CommentFilters, CommentIn, CommentOut, CommentPatch

router = Router(tags=["comments"])
READ = action("organization.view")
WRITE = action("comment.create")


@router.get("/comments", response=list[CommentOut], operation_id="comment_list", openapi_extra=READ)
@paginate(Paginated)
def comment_list(request, filters: Query[CommentFilters]):
    """Comments oldest first; give `target_type` and `target_id` for one thread."""
    return selectors.comment_list(actor=request.auth, **filters.model_dump())


@router.post("/comments", response={201: CommentOut}, operation_id="comment_create", openapi_extra=WRITE)
def comment_create(request, payload: CommentIn):
    """Comment on a goal, key result, decision or idea of your organization; mentions are notified."""
    comment = services.comment_add(actor=request.auth, **payload.model_dump())
    return 201, selectors.comment_get(actor=request.auth, comment_id=comment.pk)


@router.get("/comments/{comment_id}", response=CommentOut, operation_id="comment_get", openapi_extra=READ)
def comment_get(request, comment_id: int):
    return selectors.comment_get(actor=request.auth, comment_id=comment_id)


@router.patch(
    "/comments/{comment_id}", response=CommentOut, operation_id="comment_update", openapi_extra=WRITE
)
def comment_update(request, comment_id: int, payload: CommentPatch):
    """Change a comment's text: its author, or a leader or admin."""
    services.comment_edit(actor=request.auth, comment_id=comment_id, body=payload.body)
    return selectors.comment_get(actor=request.auth, comment_id=comment_id)


@router.delete(
    "/comments/{comment_id}", response={204: None}, operation_id="comment_delete", openapi_extra=WRITE
)
def comment_delete(request, comment_id: int):
    """Delete a comment (its place in the thread stays, marked deleted): its author, a leader or admin."""
    services.comment_delete(actor=request.auth, comment_id=comment_id)
    return 204, None
