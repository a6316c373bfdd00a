"""Logging filters that keep secrets out of every log (configured on loggers in settings.LOGGING).

Filters on a logger run before any handler, so what they blank is blanked everywhere.
"""

import logging
import re

_REDACTIONS = [
    # A data source's push URL carries its token: /inbound/<token>/ (Django's request log, access logs).
    (re.compile(r"(/inbound/)[A-Za-z0-9_-]{8,64}"), r"\1[redacted]"),
    # An invitation's link carries its single-use token: /invitations/<token>/.
    (re.compile(r"(/invitations/)[A-Za-z0-9_-]{20,100}"), r"\1[redacted]"),
    # An API token's plaintext, wherever it appears.
    (re.compile(r"chr_[0-9a-f]{8}_[A-Za-z0-9_-]+"), "chr_[redacted]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites a record whose message holds a token; the record is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class WithoutTraceback(logging.Filter):
    """Drops the traceback of a record: Django's template engine logs a failed variable lookup with an
    exception whose text is the whole template context, secrets shown once included."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = record.exc_text = None
        return True
