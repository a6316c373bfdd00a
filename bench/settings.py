"""Web benchmark settings: production-like (DEBUG off), and a header with the SQL queries of each request.

Used by `bench/run.py` for gunicorn and the generator; `DATABASE_URL` names the benchmark's database.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# First, so that it counts every query the request makes, the sessions' and the actor's included.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# wrk sends thousands of requests a minute with one token: the API's rate limit would answer 429.
CHARTER_API_RATE_LIMIT = 0
