"""Outgoing HTTP for webhooks: the address guard (SSRF), signing, and one POST without redirects."""

import hashlib
import hmac
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Charter-Signature"
TIMESTAMP_HEADER = "X-Charter-Timestamp"
DELIVERY_HEADER = (
    "X-Charter-Delivery"  # the same on every attempt of one delivery: receivers may de-duplicate
)


class ForbiddenTarget(Exception):
    """The URL's scheme or resolved address is not one a webhook may reach."""


def _forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_url(url: str, *, allow_private: bool, resolve: bool = True) -> None:
    """Refuse a URL that is not http(s) or whose host resolves to a non-public address.

    With `resolve=False` a host name that does not resolve passes (the check is repeated at delivery,
    after resolution); a literal address is always checked.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ForbiddenTarget("Only http and https URLs with a host are allowed.")
    if allow_private:
        return
    for ip in _addresses(parts.hostname, required=resolve):
        if _forbidden(ip):
            raise ForbiddenTarget(
                f"{parts.hostname} resolves to {ip}, a private or reserved address; "
                "an admin must allow private targets for this webhook."
            )


def _addresses(host: str, *, required: bool) -> list:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        if required:
            raise ForbiddenTarget(f"{host} does not resolve: {exc}") from exc
        return []
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256 over `timestamp.` + body: the timestamp is signed to stop replays."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


@dataclass(frozen=True)
class Outcome:
    """What one POST gave: a status code (None when no answer came), an error, the time taken."""

    status: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could point at a forbidden host after the check; never follow one.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(
    url: str, body: bytes, *, secret: str, allow_private: bool, delivery_id: int | None = None
) -> Outcome:
    """POST a signed JSON body, after checking the resolved address; never raises for network errors."""
    started = time.monotonic()
    try:
        check_url(url, allow_private=allow_private)
        timestamp = str(int(time.time()))
        request = urllib.request.Request(url, data=body, method="POST")
        request.add_header("Content-Type", "application/json")
        request.add_header("User-Agent", "Charter-Webhooks/1")
        request.add_header(TIMESTAMP_HEADER, timestamp)
        request.add_header(SIGNATURE_HEADER, sign(secret, timestamp, body))
        if delivery_id is not None:
            request.add_header(DELIVERY_HEADER, str(delivery_id))
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status, error = response.status, ""
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code} {exc.reason}"
    except ForbiddenTarget as exc:
        status, error = None, str(exc)
    except (OSError, ValueError) as exc:
        status, error = None, f"{type(exc).__name__}: {exc}"
    return Outcome(status=status, error=error[:300], duration_ms=int((time.monotonic() - started) * 1000))
