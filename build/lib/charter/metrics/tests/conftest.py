"""A local HTTP server for data source tests: each path answers what the test put in `routes`."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from charter.goals.tests.factories import make_goal, make_key_result
from charter.metrics.services import metric_create


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):
        status, body = self.routes.get(self.path, (404, b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def server():
    """`(base_url, routes)`: put `routes["/x"] = (status, bytes)` before fetching base_url + "/x"."""
    routes: dict = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", routes
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def metric(owner):
    return metric_create(actor=owner, name="Uptime", unit="%", healthy=99.9, warning=99.5, critical=99)


@pytest.fixture
def key_result(owner, cycle):
    return make_key_result(owner, make_goal(owner, cycle, "Faster onboarding"), "Activated teams")
