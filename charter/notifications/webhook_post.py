"""Outgoing HTTP for webhooks: signing, and one POST through the outbound client (`core.outbound`)."""

import hashlib
import hmac
import time
from dataclasses import dataclass

from charter.core import outbound

SIGNATURE_HEADER = "X-Charter-Signature"
TIMESTAMP_HEADER = "X-Charter-Timestamp"
DELIVERY_HEADER = (
    "X-Charter-Delivery"  # the same on every attempt of one delivery: receivers may de-duplicate
)


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


def post(
    url: str, body: bytes, *, secret: str, allow_private: bool, delivery_id: int | None = None
) -> Outcome:
    """POST a signed JSON body to the checked address; never raises for the target's or network's faults."""
    started = time.monotonic()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Charter-Webhooks/1",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }
    if delivery_id is not None:
        headers[DELIVERY_HEADER] = str(delivery_id)
    try:
        answer = outbound.request("POST", url, body=body, headers=headers, allow_private=allow_private)
        status, error = answer.status, "" if answer.ok else answer.describe()
    except outbound.OutboundError as exc:
        status, error = None, str(exc)
    return Outcome(status=status, error=error[:300], duration_ms=int((time.monotonic() - started) * 1000))
