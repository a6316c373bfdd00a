"""API of search: keyword and meaning results fused, scoped to the caller's organization."""

from ninja import Query, Router

from charter.core.api import action

from . import selectors
from .schemas import SearchOut, SearchQuery, results_out

router = Router(tags=["search"])


@router.get(
    "/search", response=SearchOut, operation_id="search_query", openapi_extra=action("organization.view")
)
def search(request, params: Query[SearchQuery]):
    """Find mission, goals, key results, decisions, ideas, retrospectives and comments."""
    results = selectors.search(
        actor=request.auth,
        q=params.q,
        types=params.type_list(),
        team_id=params.team_id,
        cycle_id=params.cycle_id,
        limit=params.limit,
    )
    return results_out(results)
