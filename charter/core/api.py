"""Plumbing shared by every domain's API router: the declared permission action and pagination."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

ACTION_KEY = "x-charter-action"
MAX_LIMIT = 500


def action(name: str) -> dict[str, str]:
    """`openapi_extra` of an operation: the row of the permission matrix it needs (enforced centrally)."""
    return {ACTION_KEY: name}


class Paginated(LimitOffsetPagination):
    """`limit`/`offset` in, `items` with the total `count` (and the window) out."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"Items per page (1 to {MAX_LIMIT}).")
        offset: int = Field(0, ge=0, description="Items to skip.")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Total number of items matching the filters.")
        limit: int
        offset: int

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        return {**page, "limit": pagination.limit, "offset": pagination.offset}


def declared_action(router, operation_id: str) -> str:
    """The permission action an operation of `router` declares: what another interface (MCP) checks too."""
    for view in router.path_operations.values():
        for operation in view.operations:
            if operation.operation_id == operation_id:
                return (operation.openapi_extra or {})[ACTION_KEY]
    raise LookupError(f"No operation {operation_id!r} in the router.")
