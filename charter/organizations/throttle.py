"""Counting hits per key in fixed time windows, shared by every worker process through the database,
and the sign-in throttle built on it: failed sign-ins counted per account *and* network address, and per
network address across accounts (ADR 21).

A window holds at most its limit of failures; once full, further sign-ins for that account from that
address (or anything from that address) are refused, even with the right password, until the window
ends. An account is never locked as such: a flood of wrong passwords from one address does not keep its
owner out from another. A successful sign-in clears its account-and-address count (not the address's).
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from . import queries
from .models import RateCounter

KEEP_SECONDS = 24 * 60 * 60  # keys idle this long are dropped


def window_start(now: float, seconds: int) -> int:
    return int(now // seconds) * seconds


def hit(key: str, *, seconds: int, now: float | None = None) -> int:
    """Count one hit of `key` in the current window of `seconds`; return the window's count so far.

    One atomic upsert (SQLite 3.35+ and PostgreSQL), so concurrent processes never lose a hit; a row
    left from an earlier window starts again at 1.
    """
    now = time.time() if now is None else now
    return queries.rate_hit(key=key, window=window_start(now, seconds))


def hits(key: str, *, seconds: int, now: float | None = None) -> int:
    """The count of `key` in the current window, without counting."""
    now = time.time() if now is None else now
    row = RateCounter.objects.filter(key=key, window=window_start(now, seconds)).values("hits").first()
    return row["hits"] if row else 0


def purge(*, older_than: float) -> None:
    """Drop keys whose last window started before `older_than` (seconds since the epoch)."""
    RateCounter.objects.filter(window__lt=older_than).delete()


def clear(key: str) -> None:
    RateCounter.objects.filter(key=key).delete()


# ---- sign-in ---------------------------------------------------------------------------------------


def client_address(request) -> str:
    """The caller's address: the connection's, or with `CHARTER_TRUSTED_PROXIES` proxies in front, the
    address the outermost trusted proxy saw (counted from the right of X-Forwarded-For)."""
    if request is None:
        return "unknown"
    proxies = settings.CHARTER_TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies > 0 and forwarded:
        return forwarded[-min(proxies, len(forwarded))][:64]
    return request.META.get("REMOTE_ADDR", "")[:64] or "unknown"


def email_key(email: str) -> str:
    """An email address as a counter's key: hashed, so the table holds no list of addresses people tried."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]


def address_bucket(address: str) -> str:
    """The unit an address is counted in: itself for IPv4, its /64 for IPv6 (one subscriber's network,
    whose 2^64 addresses would otherwise each get a fresh count)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def _pair_key(email: str, address: str) -> str:
    return f"login:pair:{email_key(email)}:{address_bucket(address)}"


def _address_key(address: str) -> str:
    return f"login:address:{address_bucket(address)}"


@dataclass(frozen=True)
class Block:
    """Until when a throttled step is refused."""

    until: float  # seconds since the epoch

    @property
    def retry_after(self) -> int:
        return max(1, int(self.until - time.time() + 0.999))

    @property
    def minutes(self) -> str:
        """How long to wait, in words: "1 minute", "12 minutes"."""
        n = max(1, round(self.retry_after / 60))
        return f"{n} minute{'s' if n != 1 else ''}"


@dataclass(frozen=True)
class LoginBlock(Block):
    """Why and until when sign-in is refused."""

    scope: str = "account"  # this account from this address; or "address", any account from it

    def message(self) -> str:
        at = timezone.localtime(datetime.fromtimestamp(self.until, tz=UTC))
        who = (
            "for this account from your network address"
            if self.scope == "account"
            else "from your network address"
        )
        return f"Too many failed sign-ins {who}. Try again in {self.minutes}, after {at:%H:%M} ({at:%Z})."


def _limits() -> tuple[int, tuple[tuple[str, int], ...]]:
    seconds = settings.CHARTER_LOGIN_WINDOW_MINUTES * 60
    return seconds, (
        ("account", settings.CHARTER_LOGIN_FAILURES_PER_ACCOUNT),
        ("address", settings.CHARTER_LOGIN_FAILURES_PER_ADDRESS),
    )


def _keys(request, email: str) -> dict[str, str]:
    address = client_address(request)
    return {"account": _pair_key(email, address), "address": _address_key(address)}


def login_blocked(request, email: str) -> LoginBlock | None:
    """The block on signing in as `email` from this request's address, if a window is full."""
    seconds, limits = _limits()
    keys, now = _keys(request, email), time.time()
    for scope, limit in limits:
        if limit > 0 and hits(keys[scope], seconds=seconds, now=now) >= limit:
            return LoginBlock(scope=scope, until=window_start(now, seconds) + seconds)
    return None


def login_failed(request, email: str) -> None:
    seconds, _ = _limits()
    for key in _keys(request, email).values():
        hit(key, seconds=seconds)
    purge(older_than=time.time() - KEEP_SECONDS)  # failures are rare: the place to drop stale keys


def login_succeeded(request, email: str) -> None:
    clear(_pair_key(email, client_address(request)))
