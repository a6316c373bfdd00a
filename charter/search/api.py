"""API of search: keyword and meaning results fused, scoped to the caller's organization."""

import orjson
from django.http import HttpResponse
from ninja import Query, Router

from charter.core.api import action

from . import selectors
from .schemas import (
    LikelyParentsOut,
    LikelyParentsQuery,
    SearchOut,
    SearchQuery,
    SimilarGoalsOut,
    SimilarGoalsQuery,
    parents_out,
    results_out,
    similar_out,
)

router = Router(tags=["search"])


@router.get(
    "/search", response=SearchOut, operation_id="search_query", openapi_extra=action("organization.view")
)
def search(request, params: Query[SearchQuery]):
    """Find mission, goals, key results, decisions, ideas, retrospectives and comments."""
    # The hits are plain values already in `SearchOut`'s shape: answered as ninja would answer them,
    # without validating each hit again through Pydantic.
    results = selectors.search(
        actor=request.auth,
        q=params.q,
        types=params.type_list(),
        team_id=params.team_id,
        cycle_id=params.cycle_id,
        limit=params.limit,
    )
    return HttpResponse(orjson.dumps(results_out(results)), content_type="application/json; charset=utf-8")


@router.get(
    "/goals/{goal_id}/similar",
    response=SimilarGoalsOut,
    operation_id="goal_similar",
    openapi_extra=action("organization.view"),
)
def goal_similar(request, goal_id: int, params: Query[SimilarGoalsQuery]):
    """Goals that say much the same as this one (the goal page's "Similar goals"): maybe one goal, or
    teams to connect. 404 for a goal that is not the organization's."""
    hits, threshold, meaning = selectors.goal_similar(actor=request.auth, goal_id=goal_id, limit=params.limit)
    return similar_out(goal_id, hits, threshold, meaning)


@router.get(
    "/search/likely-parents",
    response=LikelyParentsOut,
    operation_id="likely_parents",
    openapi_extra=action("organization.view"),
)
def likely_parents(request, params: Query[LikelyParentsQuery]):
    """Goals a draft goal (its title and purpose) most likely contributes to, best first (the goal
    form's "Likely parents"): to align a goal before creating it."""
    hits = selectors.likely_parents(
        actor=request.auth,
        title=params.title,
        purpose=params.purpose,
        cycle_id=params.cycle_id,
        exclude_id=params.goal_id,
        limit=params.limit,
    )
    return parents_out(hits, selectors.parent_threshold(), selectors.meaning_status())
