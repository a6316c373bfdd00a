"""Production settings: everything secure by default; configure with environment variables.

`manage.py check --deploy` reports nothing with these (tests/test_security.py proves it).
"""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
if SECRET_KEY.startswith("insecure-"):  # noqa: F405
    raise RuntimeError("Set SECRET_KEY to a long random value before running in production.")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Only upgrade requests in production: development runs over plain HTTP.
SECURE_CSP = {**SECURE_CSP, "upgrade-insecure-requests": True}  # noqa: F405

# Email goes out over SMTP unless EMAIL_BACKEND names another backend.
_smtp_options = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("EMAIL_PORT", 587)),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", True),
}
_email_backend = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": _smtp_options if _email_backend.endswith(".smtp.EmailBackend") else {},
    }
}
