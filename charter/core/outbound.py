"""The one outbound HTTP client (webhooks, data sources): a strict URL, one resolution, the checked address.

A URL is parsed strictly (http or https, a host, no user info, no backslash, no control or non-ASCII
character, at most `MAX_URL_LENGTH`), its host is resolved once, every address it resolves to is checked
against the policy (private, loopback, link-local, multicast, reserved and other non-global addresses are
refused unless the caller allows private targets), and the connection goes to exactly one of those
checked addresses, the name travelling only in the Host header and TLS's SNI. Resolving again when
connecting would let a name answer a public address to the check and a private one to the connection
(DNS rebinding). No redirect is followed (`http.client` follows none); the answer's size and the whole
exchange's time are bounded. Every failure is an `OutboundError` with a message fit to show.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_URL_LENGTH = 500  # also the length of the URL columns that hold these addresses
TIMEOUT_SECONDS = 10
MAX_BYTES = 1_000_000

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Module attributes so that tests can watch or replace them: every resolution and every connection
# goes through these two names.
getaddrinfo = socket.getaddrinfo
create_connection = socket.create_connection


class OutboundError(Exception):
    """The request could not be made or answered; the message says why, without any answer's body."""


class ForbiddenTarget(OutboundError):
    """The URL is malformed, or its host is (or resolves to) an address the policy refuses."""


@dataclass(frozen=True)
class Target:
    """A checked URL: scheme, host name (no brackets), port, and the request path with its query."""

    scheme: str
    host: str
    port: int
    path: str


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def describe(self) -> str:
        """`HTTP 404 Not Found`: the standard phrase, never the server's own words."""
        try:
            return f"HTTP {self.status} {http.HTTPStatus(self.status).phrase}"
        except ValueError:
            return f"HTTP {self.status}"


def parse(url: str) -> Target:
    """The URL's parts, or ForbiddenTarget saying what is wrong with it (nothing is resolved)."""
    if len(url) > MAX_URL_LENGTH:
        raise ForbiddenTarget(f"Keep the URL to {MAX_URL_LENGTH} characters or fewer (it has {len(url)}).")
    if any(ord(c) <= 0x20 or ord(c) >= 0x7F for c in url):
        raise ForbiddenTarget(
            "The URL may not hold spaces, control or non-ASCII characters: percent-encode them "
            "(and write an international host name in its xn-- form)."
        )
    if "\\" in url:
        # Parsers disagree on a backslash (some read it as "/"), so the host checked could differ
        # from the host reached.
        raise ForbiddenTarget("The URL may not hold a backslash.")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.netloc:
        raise ForbiddenTarget("Only http and https URLs with a host are allowed.")
    if "@" in parts.netloc:
        raise ForbiddenTarget("The URL may not hold a user name or password (user@host).")
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        raise ForbiddenTarget("The URL's port is not a number from 1 to 65535.") from None
    if not host:
        raise ForbiddenTarget("Only http and https URLs with a host are allowed.")
    if port == 0:
        raise ForbiddenTarget("The URL's port is not a number from 1 to 65535.")
    if not _literal(host) and not all(
        label and len(label) <= 63 and label.replace("-", "").replace("_", "").isalnum()
        for label in host.removesuffix(".").split(".")
    ):
        raise ForbiddenTarget(f"“{host}” is not a host name or an IP address.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme, host, port or (443 if scheme == "https" else 80), path)


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def refused(ip: Address) -> bool:
    """Whether the policy refuses `ip` when private targets are not allowed (any non-global address).

    An IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4) is judged by the IPv4 one too.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return refused(ip.ipv4_mapped)
        if ip in _NAT64:  # DNS64 gives these for IPv4-only names: the IPv4 address is the target
            return refused(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour and refused(ip.sixtofour):
            return True
    return not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified


def _refusal(host: str, ip: Address) -> ForbiddenTarget:
    what = host if str(ip) == host else f"{host} resolves to {ip}, which"
    return ForbiddenTarget(
        f"{what} is a private or reserved address (a private network, loopback, link-local); "
        "an admin must allow private targets for it."
    )


def resolve(target: Target, *, allow_private: bool) -> list[Address]:
    """The target's addresses, resolved once, every one checked against the policy."""
    literal = _literal(target.host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError) as exc:
            raise OutboundError(f"{target.host} does not resolve: {exc}") from None
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))
        if not addresses:
            raise OutboundError(f"{target.host} does not resolve.")
    if not allow_private:
        for ip in addresses:
            if refused(ip):
                raise _refusal(target.host, ip)
    return addresses


def check_url(url: str, *, allow_private: bool, resolve_host: bool = True) -> Target:
    """Refuse a malformed URL or one whose host is a refused address.

    With `resolve_host=False` (on save) a host name is not looked up: its addresses are checked when a
    request is made, from the very resolution that request connects with. A literal address is
    always checked.
    """
    target = parse(url)
    if resolve_host or _literal(target.host) is not None:
        try:
            resolve(target, allow_private=allow_private)
        except ForbiddenTarget:
            raise
        except OutboundError as exc:  # a name that does not resolve, when the check must resolve it
            raise ForbiddenTarget(str(exc)) from None
    return target


class _Pinned:
    """Connect to the one checked address, whatever the name would resolve to now."""

    def __init__(self, *args, address: Address, **kwargs):
        super().__init__(*args, **kwargs)
        self._address = str(address)
        self._create_connection = self._connect_pinned  # http.client's own hook for making the socket

    def _connect_pinned(self, _address, timeout, source_address=None):
        return create_connection((self._address, self.port), timeout, source_address)


class _PinnedHTTP(_Pinned, http.client.HTTPConnection):
    pass


class _PinnedHTTPS(_Pinned, http.client.HTTPSConnection):
    pass  # TLS is wrapped with server_hostname=self.host: SNI and the certificate check use the name


def request(
    method: str,
    url: str,
    *,
    allow_private: bool,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
) -> Response:
    """One request to a checked address; OutboundError for anything but an answer within the bounds.

    An answer with any status is a `Response` (redirects are answers, never followed); a body larger
    than `max_bytes` or an exchange longer than `timeout` is an OutboundError.
    """
    target = parse(url)
    addresses = resolve(target, allow_private=allow_private)
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    for address in addresses:
        kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
        extra = {"context": ssl.create_default_context()} if target.scheme == "https" else {}
        conn = kind(target.host, target.port, timeout=timeout, address=address, **extra)
        try:
            try:
                conn.connect()
            except OSError as exc:  # the next checked address may answer
                last_error = exc
                continue
            return _exchange(conn, method, target, body, headers or {}, deadline, max_bytes)
        except http.client.HTTPException as exc:  # its text may quote the server's bytes: named only
            raise OutboundError(f"The answer is not valid HTTP ({type(exc).__name__}).") from None
        except (OSError, ValueError) as exc:
            raise OutboundError(f"Connection failed: {type(exc).__name__}: {exc}") from None
        finally:
            conn.close()
    raise OutboundError(f"Connection failed: {type(last_error).__name__}: {last_error}")


def _exchange(conn, method, target, body, headers, deadline, max_bytes) -> Response:
    conn.request(method, target.path, body=body, headers=headers)
    answer = conn.getresponse()
    chunks, size = [], 0
    while chunk := answer.read(min(65536, max_bytes + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise OutboundError(f"The answer is larger than {max_bytes // 1000} kB.")
        if time.monotonic() > deadline:
            raise OutboundError("The answer took too long to arrive.")
    return Response(answer.status, b"".join(chunks), dict(answer.getheaders()))
