"""API of cycles, goals, key results and check-ins: parse, one call, schema out."""

import re
from datetime import date, datetime

import orjson
from django.http import HttpResponse
from ninja import Query, Router
from ninja.pagination import paginate

from charter.core.api import Paginated, action
from charter.core.errors import Conflict, ValidationError

from . import selectors, services
from .schemas import (
    AlignmentOut,
    CheckInFilters,
    CheckInIn,
    CheckInOut,
    CycleIn,
    CycleOut,
    GoalConflictOut,
    GoalDetailOut,
    GoalFilters,
    GoalIn,
    GoalOut,
    GoalPatch,
    KeyResultConflictOut,
    KeyResultIn,
    KeyResultOut,
    KeyResultPatch,
)

router = Router(tags=["goals"])
READ = action("organization.view")

# ---- optimistic versions: ETag on reads, If-Match or `version` on edits, 409 with the current state -------

_ETAG = re.compile(r'^"(\d+)"$')
IF_MATCH = {
    "parameters": [
        {
            "name": "If-Match",
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": 'The ETag of the GET you edit from, such as "3" (or send `version` in the body).',
        }
    ]
}


def _etag(version: int) -> str:
    return f'"{version}"'


def _edit_version(request, body_version: int | None) -> int | None:
    """The version the caller read: the body's `version` or the If-Match ETag (they must agree)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return body_version
    match = _ETAG.match(header)
    if match is None:
        raise ValidationError(
            f'If-Match must be one ETag from a GET of this object, such as "3"; got {header[:40]!r}.',
            field="If-Match",
        )
    version = int(match.group(1))
    if body_version is not None and body_version != version:
        raise ValidationError(
            f"The body's version {body_version} and If-Match {header} disagree; send one of them.",
            field="version",
        )
    return version


def _versioned_edit(response: HttpResponse, edit, current):
    """Run `edit()`; on a stale version attach `current()` (the GET's body) to the 409."""
    try:
        obj = edit()
    except Conflict as exc:
        if exc.current is None:
            exc.current = current()
        raise
    response["ETag"] = _etag(obj.version)
    return obj


# ---- rows answered as JSON without re-validation ----------------------------------------------------


def _encode(value):
    """Dates and datetimes as Django's JSON encoder (ninja's renderer) writes them."""
    if isinstance(value, datetime):
        text = value.isoformat()
        if value.microsecond:
            text = text[:23] + text[26:]
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"Cannot encode {type(value).__name__}")


def _json(body) -> HttpResponse:
    """`body`, already in the response schema's shape (plain rows from the selectors), answered as ninja
    would answer it: the same JSON, without validating every row again through Pydantic."""
    data = orjson.dumps(body, default=_encode, option=orjson.OPT_PASSTHROUGH_DATETIME)
    return HttpResponse(data, content_type="application/json; charset=utf-8")


# The page `@paginate(Paginated)` documents for a list of goals, with the same name and fields (a comment,
# not a docstring: that would become its description). The goal list declares its page and its `limit` and
# `offset` itself because it answers the page already encoded (`_json`): through the paginator, ninja would
# validate and encode every row again, which takes twice as long for a page of 50.
class PagedGoalOut(Paginated.Output):
    items: list[GoalOut]


# ---- cycles ---------------------------------------------------------------------------------------


@router.get("/cycles", response=list[CycleOut], operation_id="cycle_list", openapi_extra=READ)
@paginate(Paginated)
def cycle_list(request):
    return selectors.cycle_list(actor=request.auth)


@router.post(
    "/cycles", response={201: CycleOut}, operation_id="cycle_create", openapi_extra=action("cycle.manage")
)
def cycle_create(request, payload: CycleIn):
    return 201, services.cycle_create(actor=request.auth, **payload.model_dump())


@router.get("/cycles/{cycle_id}", response=CycleOut, operation_id="cycle_get", openapi_extra=READ)
def cycle_get(request, cycle_id: int):
    return selectors.cycle_get(actor=request.auth, cycle_id=cycle_id)


@router.get(
    "/cycles/{cycle_id}/alignment-tree",
    response=AlignmentOut,
    operation_id="alignment_tree",
    openapi_extra=READ,
)
def alignment_tree(request, cycle_id: int, team_id: int | None = None):
    """The cycle's goals as a tree of contributions; with `team_id`, that team's subtree only."""
    return _json(selectors.cycle_alignment(actor=request.auth, cycle_id=cycle_id, team_id=team_id))


# ---- goals ----------------------------------------------------------------------------------------


@router.get("/goals", response=PagedGoalOut, operation_id="goal_list", openapi_extra=READ)
def goal_list(request, filters: Query[GoalFilters], page: Query[Paginated.Input]):
    offset, limit = page.offset, page.limit
    rows, count = selectors.goal_page(actor=request.auth, offset=offset, limit=limit, **filters.model_dump())
    return _json({"items": rows, "count": count, "limit": limit, "offset": offset})


@router.post(
    "/goals", response={201: GoalDetailOut}, operation_id="goal_create", openapi_extra=action("goal.create")
)
def goal_create(request, payload: GoalIn):
    return 201, services.goal_create(actor=request.auth, **payload.model_dump())


@router.get("/goals/{goal_id}", response=GoalDetailOut, operation_id="goal_get", openapi_extra=READ)
def goal_get(request, goal_id: int, response: HttpResponse):
    """A goal with its intent, key results and alignment; its ETag is its version."""
    goal = selectors.goal_get(actor=request.auth, goal_id=goal_id)
    response["ETag"] = _etag(goal.version)
    return goal


@router.patch(
    "/goals/{goal_id}",
    response={200: GoalDetailOut, 409: GoalConflictOut},
    operation_id="goal_update",
    openapi_extra={**action("goal.edit"), **IF_MATCH},
)
def goal_update(request, goal_id: int, payload: GoalPatch, response: HttpResponse):
    """Change the fields given. With `version` (or If-Match), a goal changed meanwhile answers 409
    with the goal as it stands now in `current`."""
    values = payload.model_dump(exclude_unset=True)
    values["version"] = _edit_version(request, values.get("version"))
    actor = request.auth
    return _versioned_edit(
        response,
        lambda: services.goal_update(actor=actor, goal_id=goal_id, **values),
        lambda: GoalDetailOut.from_orm(selectors.goal_get(actor=actor, goal_id=goal_id)).model_dump(),
    )


@router.delete(
    "/goals/{goal_id}", response={204: None}, operation_id="goal_delete", openapi_extra=action("goal.delete")
)
def goal_delete(request, goal_id: int):
    """Delete a goal with its key results; goals contributing to it stay, no longer aligned."""
    services.goal_delete(actor=request.auth, goal_id=goal_id)
    return 204, None


# ---- key results ----------------------------------------------------------------------------------


@router.get(
    "/goals/{goal_id}/key-results",
    response=list[KeyResultOut],
    operation_id="key_result_list",
    openapi_extra=READ,
)
@paginate(Paginated)
def key_result_list(request, goal_id: int):
    return list(selectors.goal_get(actor=request.auth, goal_id=goal_id).key_results.all())


@router.post(
    "/goals/{goal_id}/key-results",
    response={201: KeyResultOut},
    operation_id="key_result_create",
    openapi_extra=action("key_result.edit"),
)
def key_result_create(request, goal_id: int, payload: KeyResultIn):
    return 201, services.key_result_create(actor=request.auth, goal_id=goal_id, **payload.model_dump())


@router.get(
    "/key-results/{key_result_id}", response=KeyResultOut, operation_id="key_result_get", openapi_extra=READ
)
def key_result_get(request, key_result_id: int, response: HttpResponse):
    """A key result; its ETag is its version."""
    kr = selectors.key_result_get(actor=request.auth, key_result_id=key_result_id)
    response["ETag"] = _etag(kr.version)
    return kr


@router.patch(
    "/key-results/{key_result_id}",
    response={200: KeyResultOut, 409: KeyResultConflictOut},
    operation_id="key_result_update",
    openapi_extra={**action("key_result.edit"), **IF_MATCH},
)
def key_result_update(request, key_result_id: int, payload: KeyResultPatch, response: HttpResponse):
    """Change the fields given. With `version` (or If-Match), a key result changed meanwhile answers 409
    with the key result as it stands now in `current`."""
    values = payload.model_dump(exclude_unset=True)
    values["version"] = _edit_version(request, values.get("version"))
    actor = request.auth

    def current():
        kr = selectors.key_result_get(actor=actor, key_result_id=key_result_id)
        return KeyResultOut.from_orm(kr).model_dump()

    return _versioned_edit(
        response,
        lambda: services.key_result_update(actor=actor, key_result_id=key_result_id, **values),
        current,
    )


@router.delete(
    "/key-results/{key_result_id}",
    response={204: None},
    operation_id="key_result_delete",
    openapi_extra=action("key_result.edit"),
)
def key_result_delete(request, key_result_id: int):
    services.key_result_delete(actor=request.auth, key_result_id=key_result_id)
    return 204, None


# ---- check-ins ------------------------------------------------------------------------------------


@router.get(
    "/key-results/{key_result_id}/check-ins",
    response=list[CheckInOut],
    operation_id="key_result_check_in_list",
    openapi_extra=READ,
)
@paginate(Paginated)
def key_result_check_in_list(request, key_result_id: int):
    return selectors.key_result_check_ins(actor=request.auth, key_result_id=key_result_id)


@router.post(
    "/key-results/{key_result_id}/check-ins",
    response={201: CheckInOut},
    operation_id="check_in_create",
    openapi_extra=action("check_in.create"),
)
def check_in_create(request, key_result_id: int, payload: CheckInIn):
    """Record a check-in; the key result's current value follows its latest check-in."""
    return 201, services.check_in_record(
        actor=request.auth, key_result_id=key_result_id, **payload.model_dump()
    )


@router.get("/check-ins", response=list[CheckInOut], operation_id="check_in_list", openapi_extra=READ)
@paginate(Paginated)
def check_in_list(request, filters: Query[CheckInFilters]):
    # No cap here: the page (limit/offset) bounds the answer.
    return selectors.check_in_list(actor=request.auth, limit=None, **filters.model_dump())
