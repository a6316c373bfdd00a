"""Pure helpers of invitations: the link's token, its hash, the link, and the parsing of addresses.

The raw token is never stored: it is derived from `SECRET_KEY` and the invitation's random salt, so the
task that sends the email can rebuild it from the invitation's id (no secret in the task queue); only
its SHA-256 hash is stored, to find the invitation from a link.
"""

import re

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from charter.core.errors import DomainError

MAX_ADDRESSES = 100  # per request: a team, not a mailing list
_SEPARATORS = re.compile(r"[\s,;]+")
DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+")
TOKEN_PATTERN = r"[A-Za-z0-9_-]{20,100}"  # what the accept route takes; a wrong one is 404


class InvitationUnusable(DomainError):
    """An invitation that can no longer be accepted: `state` says why (expired, accepted, revoked)."""

    status = 410
    code = "invitation_unusable"

    def __init__(self, message: str, *, state: str, **kwargs):
        super().__init__(message, **kwargs)
        self.state = state


def raw_token(salt: str) -> str:
    """The link's token of the invitation with this salt (64 hexadecimal characters)."""
    return salted_hmac("charter.invitation", salt, algorithm="sha256").hexdigest()


def link(raw: str) -> str:
    """The absolute link of an invitation, for emails and for the page that shows it once."""
    return f"{settings.CHARTER_BASE_URL}{reverse('invitation_accept', args=[raw])}"


def parse_addresses(text: str | list[str]) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or new lines; lower-cased, each once, in order."""
    if isinstance(text, list | tuple):
        text = "\n".join(text)
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(text or ""):
        part = part.strip().strip("<>\"'").lower()
        if part:
            seen.setdefault(part, None)
    return list(seen)
