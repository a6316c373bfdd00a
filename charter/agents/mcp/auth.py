"""Who calls an MCP tool: the Charter API token (personal or agent), checked again on every call.

A token that does not authenticate is a protocol error with its own code (`NOT_AUTHENTICATED`) and the
REST API's error body as its data, on every transport; over HTTP it is also a 401 (see `streamable_http.py`).
"""

from contextvars import ContextVar

from mcp.shared.exceptions import MCPError

from charter.core.errors import DomainError
from charter.organizations.services import token_actor

# The Bearer token of the HTTP request being served (set by the HTTP app; stateless, so it reaches tools).
REQUEST_TOKEN: ContextVar[str] = ContextVar("charter_mcp_token", default="")
REFUSED = "The token is unknown, revoked or expired, or its owner left."
# JSON-RPC leaves -32000..-32099 to servers (the SDK takes -32000, -32001, -32020s); ours: see ADR 18.
NOT_AUTHENTICATED = -32030
PERMISSION_DENIED = -32031
RESOURCE_NOT_FOUND = -32002  # the MCP specification's code for a resource that is not there
INVALID_PARAMS = -32602


class NotAuthenticated(DomainError):
    """No token, or one that is unknown, revoked or expired: the REST API's 401."""

    status = 401
    code = "not_authenticated"


def bearer(headers) -> str:
    """The raw token of an `Authorization: Bearer ...` header, or ''."""
    value = (headers or {}).get("authorization", "")
    scheme, _, raw = value.partition(" ")
    return raw.strip() if scheme.lower() == "bearer" else ""


def actor_for_token(raw: str, request_id: str = ""):
    """The actor a token acts as over MCP (within the token's scopes); a bad token is refused outright."""
    actor = token_actor(raw, request_id=request_id, via="mcp")  # the REST API's own: scopes and audit
    if actor is None:
        raise NotAuthenticated(REFUSED)
    return actor


def protocol_error(error: DomainError) -> MCPError:
    """A domain error as a JSON-RPC error (resources, prompts, authentication), the REST body as data."""
    code = {
        NotAuthenticated.code: NOT_AUTHENTICATED,
        "permission_denied": PERMISSION_DENIED,
        "not_found": RESOURCE_NOT_FOUND,
    }.get(error.code, INVALID_PARAMS)
    return MCPError(code=code, message=error.message, data=error.as_dict())
