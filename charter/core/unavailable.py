"""The database out of reach for a moment (a restart, a failover): 503 with `Retry-After`, not a 500.

A client, an agent above all, must tell "try again shortly" from a bug. Only errors that mean the
connection is gone or the server is not accepting work count; an OperationalError for a bad query (SQLite
reports "no such table" that way) stays a 500. Each interface answers in its own form from here: the web
and REST through `error_pages.server_error` and the API's handler, MCP as an `isError` tool result with the
REST body and `retry_after`.
"""

import re
import sqlite3

from django.db import InterfaceError, OperationalError

try:
    import psycopg
except ImportError:  # SQLite only
    psycopg = None

RETRY_AFTER_SECONDS = 3
CODE = "unavailable"
DETAIL = (
    "Charter cannot reach its database for a moment (it may be restarting). Nothing is wrong with the "
    f"request: retry in {RETRY_AFTER_SECONDS} seconds."
)

_DRIVER_ERRORS = (OperationalError, InterfaceError, sqlite3.OperationalError, sqlite3.InterfaceError)
if psycopg is not None:
    _DRIVER_ERRORS += (psycopg.OperationalError, psycopg.InterfaceError)

# SQLSTATEs of a server that is going, gone or not yet back: connection exceptions (08…), shutdown by an
# administrator or a crash, "the database system is starting up / shutting down", too many connections.
_SQLSTATE = re.compile(r"^(08...|57P0[1-4]|53300)$")
# The same, as client libraries word it when no server answered with a SQLSTATE.
_LOST = re.compile(
    r"server closed the connection|connection (?:is |already )?closed|connection refused|could not connect"
    r"|connection failed|connection timed out|connection to server|no connection to the server"
    r"|terminating connection|the database system is (?:starting up|shutting down|in recovery)"
    r"|consuming input failed|ssl syscall error|lost synchronization with server|server conn crashed"
    r"|database is locked",  # SQLite: another process holds the write lock past the busy timeout
    re.IGNORECASE,
)


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` (or the driver error it wraps) says the database is out of reach, not that the
    query was wrong."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, _DRIVER_ERRORS):
            sqlstate = getattr(exc, "sqlstate", None)
            if sqlstate and _SQLSTATE.match(sqlstate):
                return True
            if _LOST.search(str(exc)):
                return True
        exc, seen = exc.__cause__, seen + 1  # Django's errors wrap the driver's
    return False


def error_body() -> dict:
    """The REST error shape (`{code, detail, errors}`) of a 503."""
    return {"code": CODE, "detail": DETAIL, "errors": {}}
