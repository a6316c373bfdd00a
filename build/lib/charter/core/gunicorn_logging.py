"""Gunicorn's logger with secrets blanked from access log lines (`charter serve` uses it).

A data source's push URL carries its token (`/inbound/<token>/`); the request line, path, query,
referer and headers of every access line go through `log_filters.redact` before they are written, and
credential headers (Authorization, Cookie) are blanked whole, should a log format name them.
"""

from gunicorn.glogging import Logger

from .log_filters import redact

SECRET_HEADERS = {"{authorization}i", "{proxy-authorization}i", "{cookie}i", "{x-csrftoken}i"}


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: "[redacted]" if key in SECRET_HEADERS else redact(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
