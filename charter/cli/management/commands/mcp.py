"""`charter mcp`: the MCP server over stdio (with a token) or streamable HTTP (a Bearer token per request)."""

import os

from django.core.management.base import CommandError

from charter.agents.mcp.auth import actor_for_token
from charter.cli.base import CharterCommand


class Command(CharterCommand):
    help = "Serve Charter's MCP tools: over stdio with --token (or CHARTER_TOKEN), or over HTTP with --http."

    def add_arguments(self, parser):
        parser.add_argument("--token", help="A Charter API token (stdio); default: env CHARTER_TOKEN.")
        parser.add_argument("--http", action="store_true", help="Serve streamable HTTP at /mcp instead.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument(
            "--allowed-host",
            action="append",
            default=[h for h in os.environ.get("CHARTER_MCP_ALLOWED_HOSTS", "").split(",") if h],
            help="A Host the HTTP server accepts besides localhost (repeat; env CHARTER_MCP_ALLOWED_HOSTS).",
        )

    def handle(self, *args, token, http, host, port, allowed_host, **options):
        if http:
            return self._serve_http(host, port, allowed_host)
        raw = token or os.environ.get("CHARTER_TOKEN", "")
        if not raw:
            raise CommandError("Give a token: --token chr_... or the environment variable CHARTER_TOKEN.")
        actor_for_token(raw)  # refuse a bad token before speaking the protocol
        from charter.agents.mcp.server import build_server

        build_server(raw).run("stdio")

    def _serve_http(self, host, port, allowed_hosts):
        import uvicorn

        from charter.agents.mcp.streamable_http import http_app

        self.stderr.write(f"MCP over streamable HTTP at http://{host}:{port}/mcp (Bearer token per request).")
        uvicorn.run(http_app(host=host, port=port, allowed_hosts=allowed_hosts), host=host, port=port)
