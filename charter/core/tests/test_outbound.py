"""The outbound client: strict URLs, one resolution, the connection to the checked address (no DNS rebinding).

Nothing here connects outside the loopback: names are answered by a stand-in resolver, and every
connection passes a spy that lets only 127.0.0.1 through to a real local server.
"""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from charter.core import outbound

PUBLIC = "93.184.215.14"  # a global address: the spy refuses to connect to it


@pytest.fixture
def local():
    """A real HTTP server on 127.0.0.1 that records each request: (port, hits, answers)."""
    hits: list[dict] = []
    answers: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            hits.append({"method": self.command, "path": self.path, "host": self.headers.get("Host")})
            if self.command == "POST":
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = answers.get(self.path, b"ok")
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits, answers
    server.shutdown()
    server.server_close()


@pytest.fixture
def connections(monkeypatch):
    """Every address the client connects to; only the loopback is really connected."""
    made: list[tuple[str, int]] = []
    real = socket.create_connection

    def spy(address, timeout=None, source_address=None):
        made.append(address)
        if not address[0].startswith("127."):
            raise ConnectionRefusedError("the test refuses to leave the loopback")
        return real(address, timeout, source_address)

    monkeypatch.setattr(outbound, "create_connection", spy)
    return made


def rebinding_resolver(monkeypatch, *answers: str):
    """A resolver that gives `answers[0]` on the first call and `answers[1]` on every later one."""
    calls: list[str] = []

    def resolve(host, port, *args, **kwargs):
        calls.append(host)
        ip = answers[0] if len(calls) == 1 else answers[1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(outbound, "getaddrinfo", resolve)
    return calls


@pytest.mark.parametrize(
    "url, says",
    [
        ("http://127.0.0.1:9911\\@host.invalid/", "backslash"),
        ("http://host.invalid\\@127.0.0.1/", "backslash"),
        ("http://user:pw@127.0.0.1/", "user name"),
        ("http://@127.0.0.1/", "user name"),
        ("http://127.0.0.1/a\r\nX-Injected: 1", "control"),
        ("http://127.0.0.1/\x00", "control"),
        ("http://127.0.0.1/ a", "spaces"),
        ("http://exämple.com/", "non-ASCII"),
        ("ftp://127.0.0.1/", "Only http and https"),
        ("file:///etc/passwd", "Only http and https"),
        ("http:///nohost", "Only http and https"),
        ("http://127.0.0.1:99999/", "port"),
        ("http://127.0.0.1:0/", "port"),
        ("http://bad_host!/", "not a host name"),
        ("http://example.com/" + "a" * 500, "500 characters or fewer"),
    ],
)
def test_a_malformed_url_is_refused_before_any_resolution_or_connection(
    monkeypatch, connections, local, url, says
):
    calls = rebinding_resolver(monkeypatch, "127.0.0.1", "127.0.0.1")
    for allow_private in (False, True):
        with pytest.raises(outbound.ForbiddenTarget) as refused:
            outbound.request("GET", url, allow_private=allow_private)
        assert says in str(refused.value)
    assert calls == [] and connections == [] and local[1] == []


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.5",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[::ffff:10.0.0.1]",
        "[64:ff9b::7f00:1]",
        "[2002:7f00:1::]",
        "[fe80::1]",
        "[fd00::1]",
    ],
)
def test_private_and_reserved_literals_are_refused_before_any_connection(connections, local, host):
    port = local[0]
    with pytest.raises(outbound.ForbiddenTarget, match="private or reserved"):
        outbound.request("GET", f"http://{host}:{port}/", allow_private=False)
    assert connections == [] and local[1] == []


def test_a_name_resolving_to_a_private_address_is_refused_before_any_connection(
    monkeypatch, connections, local
):
    calls = rebinding_resolver(monkeypatch, "127.0.0.1", PUBLIC)
    with pytest.raises(outbound.ForbiddenTarget, match="resolves to 127.0.0.1"):
        outbound.request("GET", f"http://hook.test:{local[0]}/", allow_private=False)
    assert calls == ["hook.test"] and connections == [] and local[1] == []


def test_dns_rebinding_the_connection_goes_to_the_checked_address(monkeypatch, connections, local):
    # The name answers a public address to the check, then the loopback: the old client resolved
    # again when connecting and reached the local server. Now one resolution is made and the
    # connection goes to the public address it checked (which the spy refuses: nothing leaves).
    calls = rebinding_resolver(monkeypatch, PUBLIC, "127.0.0.1")
    with pytest.raises(outbound.OutboundError, match="Connection failed"):
        outbound.request("GET", f"http://rebind.test:{local[0]}/", allow_private=False)
    assert calls == ["rebind.test"]
    assert connections == [(PUBLIC, local[0])]
    assert local[1] == []


def test_the_request_reaches_the_checked_address_with_the_name_in_host(monkeypatch, connections, local):
    port, hits, answers = local
    answers["/doc?x=1"] = b'{"v": 1}'
    calls = rebinding_resolver(monkeypatch, "127.0.0.1", "10.9.9.9")
    answer = outbound.request("GET", f"http://hook.test:{port}/doc?x=1", allow_private=True)
    assert answer.ok and answer.body == b'{"v": 1}'
    assert calls == ["hook.test"] and connections == [("127.0.0.1", port)]
    assert hits == [{"method": "GET", "path": "/doc?x=1", "host": f"hook.test:{port}"}]


def test_the_answer_is_capped(connections, local):
    port, hits, answers = local
    answers["/big"] = b"x" * 5000
    with pytest.raises(outbound.OutboundError, match="larger than 4 kB"):
        outbound.request("GET", f"http://127.0.0.1:{port}/big", allow_private=True, max_bytes=4000)
    assert outbound.request("GET", f"http://127.0.0.1:{port}/big", allow_private=True).body == b"x" * 5000


def test_check_on_save_does_not_resolve_names_but_checks_literals(monkeypatch):
    calls = rebinding_resolver(monkeypatch, "127.0.0.1", "127.0.0.1")
    outbound.check_url("https://hooks.example.com/x", allow_private=False, resolve_host=False)
    assert calls == []
    with pytest.raises(outbound.ForbiddenTarget):
        outbound.check_url("http://10.1.2.3/x", allow_private=False, resolve_host=False)
