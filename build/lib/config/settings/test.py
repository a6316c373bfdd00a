"""Fast, isolated settings for the test suite; DATABASE_URL selects PostgreSQL."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not pytest-django's shared-cache memory database: threads of the concurrency tests then
    # queue on SQLite's write lock (busy timeout) instead of failing with "database table is locked".
    # One file per process (xdist workers add their own suffix); Django deletes it after the run.
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"charter-test-{os.getpid()}.sqlite3")
    }
    # A throwaway database needs no durability: skip the fsyncs.
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;"
    )

# The API fuzzer sends ~1,800 requests with one token in about two minutes; the rate limit is counted
# as in production but set out of its reach (tests/test_security.py tests the limit with small values).
CHARTER_API_RATE_LIMIT = 100_000

# Each test process keeps its own matrix (the shared files have their own test, in a temporary folder).
CHARTER_VECTOR_DIR = ""
