"""The MCP server over streamable HTTP at `/mcp`: a Starlette app whose every request carries a Bearer token.

Stateless: each request runs its own server round in the request's task, so the token checked here
reaches the tools (`REQUEST_TOKEN`), and a token revoked meanwhile is refused on the next request.
"""

from asgiref.sync import sync_to_async
from mcp.server.transport_security import TransportSecuritySettings
from starlette.responses import JSONResponse

from charter.core.errors import PermissionDenied

from .auth import REFUSED, REQUEST_TOKEN, actor_for_token, bearer
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
        except PermissionDenied:
            response = JSONResponse(
                {"error": REFUSED}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
            return await response(scope, receive, send)
        token = REQUEST_TOKEN.set(raw)
        try:
            await self.app(scope, receive, send)
        finally:
            REQUEST_TOKEN.reset(token)


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
