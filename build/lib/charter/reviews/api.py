"""API of cycle reviews and of goal revisions: parse, one call, schema out."""

from ninja import Router

from charter.core.api import action
from charter.goals import revisions
from charter.goals.selectors import cycle_get

from . import selectors, services
from .schemas import (
    AdaptIn,
    CycleReviewIn,
    CycleReviewOut,
    GoalGradeOut,
    GradeIn,
    RetrospectiveIn,
    RevisionOut,
)

router = Router(tags=["reviews"])
READ = action("organization.view")
WRITE = action("review.write")


@router.get(
    "/cycles/{cycle_id}/reviews",
    response=list[CycleReviewOut],
    operation_id="cycle_review_list",
    openapi_extra=READ,
)
def cycle_review_list(request, cycle_id: int):
    """Every team's review (retrospective) of a cycle."""
    cycle_get(actor=request.auth, cycle_id=cycle_id)  # NotFound for a foreign cycle
    return selectors.reviews_for_cycle(organization=request.auth.organization, cycle_id=cycle_id)


@router.get(
    "/cycles/{cycle_id}/grades",
    response=list[GoalGradeOut],
    operation_id="goal_grade_list",
    openapi_extra=READ,
)
def goal_grade_list(request, cycle_id: int, team_id: int | None = None):
    cycle_get(actor=request.auth, cycle_id=cycle_id)
    team_ids = [team_id] if team_id else None
    return selectors.grades_for_cycle(
        organization=request.auth.organization, cycle_id=cycle_id, team_ids=team_ids
    )


@router.post(
    "/cycles/{cycle_id}/reviews",
    response=CycleReviewOut,
    operation_id="cycle_review_write",
    openapi_extra=WRITE,
)
def cycle_review_write(request, cycle_id: int, payload: CycleReviewIn):
    """Write a team's retrospective of the cycle (creates the team's review when it has none)."""
    return services.review_write(actor=request.auth, cycle_id=cycle_id, **payload.model_dump())


@router.get(
    "/reviews/{review_id}", response=CycleReviewOut, operation_id="cycle_review_get", openapi_extra=READ
)
def cycle_review_get(request, review_id: int):
    return selectors.review_get(actor=request.auth, review_id=review_id)


@router.patch(
    "/reviews/{review_id}", response=CycleReviewOut, operation_id="cycle_review_update", openapi_extra=WRITE
)
def cycle_review_update(request, review_id: int, payload: RetrospectiveIn):
    return services.review_update(actor=request.auth, review_id=review_id, **payload.model_dump())


@router.post("/goals/{goal_id}/grade", response=GoalGradeOut, operation_id="goal_grade", openapi_extra=WRITE)
def goal_grade(request, goal_id: int, payload: GradeIn):
    """Grade a goal 0.0-1.0 (refused once its cycle is closed)."""
    return services.goal_grade(actor=request.auth, goal_id=goal_id, grade=payload.grade)


@router.post("/goals/{goal_id}/adapt", response=GoalGradeOut, operation_id="goal_adapt", openapi_extra=WRITE)
def goal_adapt(request, goal_id: int, payload: AdaptIn):
    """Keep, carry over (`to_cycle_id`), revise (`goal`, `key_results`, `reason`), drop (`reason`)."""
    return services.goal_adapt(
        actor=request.auth,
        goal_id=goal_id,
        adaptation=payload.adaptation,
        reason=payload.reason,
        to_cycle_id=payload.to_cycle_id,
        goal_changes=payload.goal.model_dump(exclude_none=True) if payload.goal else {},
        key_result_changes=[kr.model_dump(exclude_none=True) for kr in payload.key_results],
    )


@router.get(
    "/goals/{goal_id}/revisions",
    response=list[RevisionOut],
    operation_id="goal_revision_list",
    openapi_extra=READ,
)
def goal_revision_list(request, goal_id: int):
    """Changes of the goal and its key results, newest first: who, when, why, field: [old, new]."""
    return revisions.goal_history(actor=request.auth, goal_id=goal_id)


@router.get(
    "/key-results/{key_result_id}/revisions",
    response=list[RevisionOut],
    operation_id="key_result_revision_list",
    openapi_extra=READ,
)
def key_result_revision_list(request, key_result_id: int):
    return revisions.key_result_history(actor=request.auth, key_result_id=key_result_id)
