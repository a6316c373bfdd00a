"""A real local HTTP endpoint for webhook tests: records each request, answers with queued codes."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Endpoint:
    """What the test server received, and the status codes it will answer with (then 200)."""

    def __init__(self, server):
        self.server = server
        self.requests: list[dict] = []
        self.codes: list[int] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def endpoint():
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            ep.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            code = ep.codes.pop(0) if ep.codes else 200
            self.send_response(code)
            if 300 <= code < 400:
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ep = Endpoint(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield ep
    server.shutdown()
    server.server_close()
