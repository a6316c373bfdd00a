"""Who calls an MCP tool: the Charter API token (personal or agent), checked again on every call."""

from contextvars import ContextVar

from charter.core.errors import PermissionDenied
from charter.organizations.services import token_actor

# The Bearer token of the HTTP request being served (set by the HTTP app; stateless, so it reaches tools).
REQUEST_TOKEN: ContextVar[str] = ContextVar("charter_mcp_token", default="")
REFUSED = "The token is unknown, revoked or expired, or its owner left."


def bearer(headers) -> str:
    """The raw token of an `Authorization: Bearer ...` header, or ''."""
    value = (headers or {}).get("authorization", "")
    scheme, _, raw = value.partition(" ")
    return raw.strip() if scheme.lower() == "bearer" else ""


def actor_for_token(raw: str, request_id: str = ""):
    """The actor a token acts as over MCP (within the token's scopes); a bad token is refused outright."""
    actor = token_actor(raw, request_id=request_id, via="mcp")  # the REST API's own: scopes and audit
    if actor is None:
        raise PermissionDenied(REFUSED)
    return actor
