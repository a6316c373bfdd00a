"""The MCP server over streamable HTTP at `/mcp`: a Starlette app whose every request carries a Bearer token.

Stateless: each request runs its own server round in the request's task, so the token checked here
reaches the tools (`REQUEST_TOKEN`), and a token revoked meanwhile is refused on the next request.

A request without a valid token answers 401 with `WWW-Authenticate: Bearer` (RFC 6750, as the MCP
authorization specification asks) and a JSON-RPC error body: the client SDK surfaces that error
(code `NOT_AUTHENTICATED`, the REST error body as data) instead of a generic "server error".
"""

from asgiref.sync import sync_to_async
from mcp.server.transport_security import TransportSecuritySettings
from starlette.responses import JSONResponse

from .auth import REQUEST_TOKEN, NotAuthenticated, actor_for_token, bearer, protocol_error
from .server import build_server


class BearerAuth:
    """ASGI middleware: 401 without a valid Charter token; else the token is served to the tools."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        raw = bearer(headers)
        try:
            await sync_to_async(actor_for_token, thread_sensitive=True)(raw)
        except NotAuthenticated as exc:
            return await unauthenticated(exc, bool(raw))(scope, receive, send)
        token = REQUEST_TOKEN.set(raw)
        try:
            await self.app(scope, receive, send)
        finally:
            REQUEST_TOKEN.reset(token)


def unauthenticated(error: NotAuthenticated, token_sent: bool) -> JSONResponse:
    """401: a JSON-RPC error (its id unknown here: null, which the client pairs with its request)."""
    # RFC 6750: no error code when no credentials came; "invalid_token" for a bad one.
    challenge = 'Bearer realm="charter"' + (', error="invalid_token"' if token_sent else "")
    failure = protocol_error(error).error.model_dump(mode="json", exclude_none=True)
    body = {"jsonrpc": "2.0", "id": None, "error": failure}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": challenge})


def security(host: str, port: int, allowed_hosts: list[str]) -> TransportSecuritySettings:
    """DNS-rebinding protection: localhost names, the bound host, and the hosts configured."""
    hosts = ["127.0.0.1:*", "localhost:*", "[::1]:*", f"{host}:*", *allowed_hosts]
    origins = [f"http://{h}" for h in hosts] + [f"https://{h}" for h in hosts]
    return TransportSecuritySettings(allowed_hosts=hosts, allowed_origins=origins)


def http_app(*, host: str = "127.0.0.1", port: int = 8001, allowed_hosts: list[str] | None = None):
    """The Starlette app serving `/mcp` (its lifespan runs the session manager), behind `BearerAuth`."""
    app = build_server().streamable_http_app(
        streamable_http_path="/mcp",
        stateless_http=True,
        json_response=True,
        transport_security=security(host, port, allowed_hosts or []),
        host=host,
    )
    app.add_middleware(BearerAuth)
    return app
