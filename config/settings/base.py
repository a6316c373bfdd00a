"""Settings from the environment; defaults run Charter locally on SQLite with no set-up."""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-change-me-in-production-0123456789")
# Former keys, comma-separated: they still check signatures and decrypt the secrets kept at rest (ADR 6),
# so a rotation that lists the old key here loses no webhook or data source secret.
SECRET_KEY_FALLBACKS = [k for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# All state that is not in PostgreSQL lives in one folder: the SQLite file, uploads, backups.
DATA_DIR = Path(os.environ.get("CHARTER_DATA_DIR", BASE_DIR / "data")).resolve()

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs page's assets locally (no CDN)
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",  # authenticator-app devices (two-factor sign-in)
    "django_otp.plugins.otp_static",  # recovery codes
    "charter.core",
    "charter.organizations",
    "charter.accounts",
    "charter.notifications",
    "charter.mission",
    "charter.goals",
    "charter.discussion",
    "charter.delegation",
    "charter.backbriefs",
    "charter.ideas",
    "charter.metrics",
    "charter.reviews",
    "charter.pulse",
    "charter.lint",
    "charter.insights",
    "charter.search",
    "charter.agents",
    "charter.lessons",
    "charter.web",
    "charter.slack",
    "charter.scim",
    "charter.calendars",
    "charter.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "charter.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "charter.organizations.auth.AuthenticationMiddleware",
    "charter.organizations.sessions.IdleTimeoutMiddleware",
    "charter.organizations.first_run.FirstRunMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "charter.organizations.middleware.ActorMiddleware",
    "charter.accounts.middleware.TimeZoneMiddleware",
    "charter.accounts.middleware.TwoFactorRequiredMiddleware",
    "charter.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "charter" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "charter.organizations.context_processors.current_organization",
            ],
        },
    },
    {
        # The widget partials (status badge, progress bar, the rows of the map, lists and logs): compiled
        # Jinja2 templates, `<app>/jinja2/<app>/*.jinja`, which the Django engine above never looks in.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "charter.core.jinja.environment"},
    },
]


def database_config() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"].endswith("postgresql"):
            options = config.setdefault("OPTIONS", {})
            # Plan for rows in memory or on SSD (PostgreSQL's default of 4 assumes spinning disks): at size L
            # the map's 200 goals then join their owners by index instead of hashing 20,000 people (2.7 ms,
            # not 8). `options` in DATABASE_URL come after, so they win.
            settings = ["-c random_page_cost=1.1"]
            if os.environ.get("CHARTER_PREPARED_STATEMENTS") != "0":
                # Parameters bound on the server (Django's own `server_side_binding`), so that psycopg
                # prepares a statement the second time a connection runs it (`prepare_threshold` 1; it keeps
                # the last 100) and PostgreSQL plans it once, for any ids: planning the goal page's query
                # costs more than running it. Not on its first run: a migration's statement of several
                # commands (Django's schema editor joins some) cannot be prepared, and runs once.
                # CHARTER_PREPARED_STATEMENTS=0 turns it off, for a pooler in transaction mode that cannot
                # keep prepared statements: parameters are then bound on the client, as Django's default.
                options["server_side_binding"] = True
                options["prepare_threshold"] = 1
                settings.append("-c plan_cache_mode=force_generic_plan")
            options["options"] = " ".join([*settings, options.get("options", "")]).strip()
        return config
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "charter.sqlite3",
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait (busy timeout)
            # instead of failing with "database is locked" when a read lock is upgraded.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organizations.User"
# Django's model backend, reading the session's user with its actor in one query.
AUTHENTICATION_BACKENDS = ["charter.organizations.auth.SessionActorBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request without it
# charter/ is a package, not an app: its shared static folder (vendor assets, app scripts) is named here.
STATICFILES_DIRS = [BASE_DIR / "charter" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Similar goals: the vector matrix is written here once per index version and mapped read-only by every
# worker (one copy per machine, loaded in milliseconds); empty keeps a private copy in each process.
CHARTER_VECTOR_DIR = os.environ.get("CHARTER_VECTOR_DIR", str(DATA_DIR / "vectors"))

# Security (ADR 8). A session ends after this many idle minutes; IdleTimeoutMiddleware slides the
# expiry (at most one session write a minute), so the database row expires with the idleness.
CHARTER_SESSION_IDLE_MINUTES = int(os.environ.get("CHARTER_SESSION_IDLE_MINUTES", 8 * 60))
SESSION_COOKIE_AGE = CHARTER_SESSION_IDLE_MINUTES * 60
SESSION_ENGINE = "charter.organizations.sessions"  # Django's database sessions, read in plain SQL
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The Content Security Policy, in every environment (so the browser tests run under it): scripts and
# style sheets from this origin or carrying the request's nonce; style attributes are allowed (templates
# and ECharts' tooltips set widths and colours inline; they cannot run code).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Sign-in throttling: failed sign-ins counted per account from one address (…_PER_ACCOUNT) and per address
# across accounts (…_PER_ADDRESS) in fixed windows, in the database (shared by every worker process); a
# full window refuses further tries from that address until it ends (ADR 21: never the account as such).
CHARTER_LOGIN_WINDOW_MINUTES = int(os.environ.get("CHARTER_LOGIN_WINDOW_MINUTES", 15))
CHARTER_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("CHARTER_LOGIN_FAILURES_PER_ACCOUNT", 5))
CHARTER_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("CHARTER_LOGIN_FAILURES_PER_ADDRESS", 30))
# Two-factor codes: wrong codes counted per person and per address in the same windows as sign-ins.
CHARTER_TWO_FACTOR_FAILURES_PER_ACCOUNT = int(os.environ.get("CHARTER_TWO_FACTOR_FAILURES_PER_ACCOUNT", 5))
# Password reset emails asked for, per address and per network address, in windows of an hour.
CHARTER_PASSWORD_RESET_PER_EMAIL = int(os.environ.get("CHARTER_PASSWORD_RESET_PER_EMAIL", 3))
CHARTER_PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("CHARTER_PASSWORD_RESET_PER_ADDRESS", 20))
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works once, for an hour
OTP_TOTP_ISSUER = "Charter"  # the name authenticator apps show beside the code
# Proxies in front of Charter that append to X-Forwarded-For (0: use the connection's address).
CHARTER_TRUSTED_PROXIES = int(os.environ.get("CHARTER_TRUSTED_PROXIES", 0))
# API rate limit per token (or per signed-in person): requests per minute; 0 turns it off.
CHARTER_API_RATE_LIMIT = int(os.environ.get("CHARTER_API_RATE_LIMIT", 600))

MAILERS = {
    "default": {"BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "charter@localhost")

# Background work: tasks are rows in the database, run by `charter worker` (ADR 5).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Links in emails and webhooks point here.
CHARTER_BASE_URL = os.environ.get("CHARTER_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Slack's Web API, and where the response URLs of its commands and buttons may point (tests: a local server).
CHARTER_SLACK_API_URL = os.environ.get("CHARTER_SLACK_API_URL", "https://slack.com/api/")
CHARTER_SLACK_RESPONSE_URL_PREFIX = os.environ.get(
    "CHARTER_SLACK_RESPONSE_URL_PREFIX", "https://hooks.slack.com/"
)

# Single sign-on with OpenID Connect (ADR 25, docs/integrations/sso.md): the installation's provider, for
# every organization that has none of its own. The redirect URI to register is
# CHARTER_BASE_URL + /login/sso/callback/.
CHARTER_OIDC_ISSUER = os.environ.get("CHARTER_OIDC_ISSUER", "").strip()
CHARTER_OIDC_CLIENT_ID = os.environ.get("CHARTER_OIDC_CLIENT_ID", "").strip()
CHARTER_OIDC_CLIENT_SECRET = os.environ.get("CHARTER_OIDC_CLIENT_SECRET", "")
CHARTER_OIDC_NAME = os.environ.get("CHARTER_OIDC_NAME", "single sign-on").strip()
CHARTER_OIDC_ALLOW_PRIVATE = env_bool("CHARTER_OIDC_ALLOW_PRIVATE", False)  # a provider on a private network

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No secret in any log (ADR 8): request logs lose tokens in URLs (gunicorn's access lines too, through
    # charter serve's logger class); the template engine's lookup failures lose their traceback (its text
    # is the whole context). Gunicorn's own loggers are not listed: configuring them here would remove
    # the handlers gunicorn gave them.
    "filters": {
        "redact": {"()": "charter.core.log_filters.RedactSecrets"},
        "without_traceback": {"()": "charter.core.log_filters.WithoutTraceback"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["redact"]},
        "django.server": {"filters": ["redact"]},
        "django.template": {"filters": ["without_traceback"]},
    },
}

# Product defaults, overridable per organization where the model has a field for them.
CHARTER_STALE_DAYS = 14
CHARTER_API_TOKEN_DAYS = 90

# Onboarding (ADR 13). Signed-in people may create organizations (off: only the first-run setup page and
# the command line make them); invitation links expire after this many days.
CHARTER_ALLOW_ORGANIZATION_CREATE = env_bool("CHARTER_ALLOW_ORGANIZATION_CREATE", True)
CHARTER_INVITATION_DAYS = int(os.environ.get("CHARTER_INVITATION_DAYS", 7))
