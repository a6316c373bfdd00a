"""Throttles of the account flows, on the sign-in throttle's counters (`organizations.throttle`):

- wrong two-factor codes, per person and per network address, in the sign-in windows;
- password reset emails asked for, per address typed and per network address, in windows of an hour
  (counted whether or not the address has an account, so the answer tells nothing about accounts).
"""

import time

from django.conf import settings

from charter.organizations.throttle import Block, clear, client_address, email_key, hit, hits, window_start

RESET_WINDOW_SECONDS = 60 * 60


# ---- two-factor codes -----------------------------------------------------------------------------


def _code_keys(request, user_id: int) -> list[tuple[str, int]]:
    return [
        (f"code:account:{user_id}", settings.CHARTER_TWO_FACTOR_FAILURES_PER_ACCOUNT),
        (f"code:address:{client_address(request)}", settings.CHARTER_LOGIN_FAILURES_PER_ADDRESS),
    ]


def code_blocked(request, user_id: int) -> Block | None:
    seconds, now = settings.CHARTER_LOGIN_WINDOW_MINUTES * 60, time.time()
    for key, limit in _code_keys(request, user_id):
        if limit > 0 and hits(key, seconds=seconds, now=now) >= limit:
            return Block(until=window_start(now, seconds) + seconds)
    return None


def code_failed(request, user_id: int) -> None:
    seconds = settings.CHARTER_LOGIN_WINDOW_MINUTES * 60
    for key, _ in _code_keys(request, user_id):
        hit(key, seconds=seconds)


def code_succeeded(user_id: int) -> None:
    clear(f"code:account:{user_id}")


# ---- password reset -------------------------------------------------------------------------------


def reset_blocked(request, email: str) -> Block | None:
    """Count one request for a reset email; the block when this one is over a limit."""
    keys = [
        (f"reset:email:{email_key(email)}", settings.CHARTER_PASSWORD_RESET_PER_EMAIL),
        (f"reset:address:{client_address(request)}", settings.CHARTER_PASSWORD_RESET_PER_ADDRESS),
    ]
    now = time.time()
    for key, limit in keys:
        if limit > 0 and hit(key, seconds=RESET_WINDOW_SECONDS, now=now) > limit:
            return Block(until=window_start(now, RESET_WINDOW_SECONDS) + RESET_WINDOW_SECONDS)
    return None
