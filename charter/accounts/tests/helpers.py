"""Codes computed the way an authenticator app computes them, from the secret the enrol page shows."""

import re
import time
from base64 import b32decode

from django_otp.oath import TOTP


def secret_from(page_html: str) -> bytes:
    """The key written out on the enrol page (base32 in groups of four), as bytes."""
    text = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page_html).group(1)
    raw = text.replace(" ", "")
    return b32decode(raw + "=" * (-len(raw) % 8))


def code_for(key: bytes, *, steps_ahead: int = 0) -> str:
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"
