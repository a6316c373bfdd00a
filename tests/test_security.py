"""The security checklist of issue 6, one test (or a few) per item: production settings, headers and the
Content Security Policy, sessions, passwords, sign-in throttling, the API rate limit, stored tokens and
the server error answers. The sweeps (CSRF, unknown fields, audit) are in test_security_sweeps.py; the
log scan is the plugin in tests/log_scan.py."""

import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

from charter.core.models import AuditEvent
from charter.organizations import throttle
from charter.organizations.models import ApiToken, RateCounter, User
from charter.organizations.services import token_create
from charter.organizations.sessions import LAST_SEEN
from charter.organizations.tests.factories import PASSWORD, make_org

BASE_DIR = Path(__file__).resolve().parent.parent
NEW_PASSWORD = "a-brand-new-passphrase-9"


def _sign_in(client, email, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"email": email, "password": password}, **extra)


# ---- 1. check --deploy ------------------------------------------------------------------------------


def test_check_deploy_reports_nothing_with_the_production_settings(tmp_path):
    # The browser tests' conftest allows sync calls in Playwright's event loop; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "charter.example.org",
        "CHARTER_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_the_development_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.prod", "CHARTER_DATA_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


# ---- 2. cookies and headers -------------------------------------------------------------------------


def _production_headers(settings):
    """The production values of prod.py, applied to this test (prod.py itself refuses the test key)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def test_production_settings_module_holds_the_secure_values():
    source = (BASE_DIR / "config" / "settings" / "prod.py").read_text()
    for line in (
        "SESSION_COOKIE_SECURE = True",
        "CSRF_COOKIE_SECURE = True",
        "SECURE_CONTENT_TYPE_NOSNIFF = True",
        'X_FRAME_OPTIONS = "DENY"',
        "SECURE_HSTS_SECONDS = int(",
    ):
        assert line in source


@pytest.mark.django_db
def test_pages_carry_hsts_nosniff_frame_denial_and_the_csp(client, owner, settings):
    _production_headers(settings)
    response = _sign_in(client, owner.user.email, secure=True, headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"]
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"]
    assert response.cookies["csrftoken"]["secure"]
    page = client.get(reverse("home"), secure=True)
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["X-Frame-Options"] == "DENY"
    csp = page["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("style-src-attr")[0], "only style attributes may be inline"
    assert "unsafe-eval" not in csp
    insecure = client.get(reverse("home"))
    assert insecure.status_code == 301 and insecure["Location"].startswith("https://")


@pytest.mark.django_db
def test_the_csp_nonce_of_a_page_is_the_one_in_its_header(client, owner, login):
    login(owner)
    page = client.get(reverse("home"))
    csp = page["Content-Security-Policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'"inlineStyleNonce": "{nonce}"' in page.content.decode()
    again = client.get(reverse("home"))["Content-Security-Policy"]
    assert again.split("'nonce-")[1].split("'")[0] != nonce, "a nonce is never reused"
    assert "script-src 'self' 'nonce-" in csp


@pytest.mark.django_db
def test_the_api_and_its_docs_carry_the_policy_too(client, owner, login):
    login(owner)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "frame-ancestors 'none'" in docs["Content-Security-Policy"]
    assert client.get("/api/v1/organizations")["X-Frame-Options"] == "DENY"


# ---- 3. sessions ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_signing_in_gives_a_new_session_key(client, owner):
    client.get(reverse("login"))
    session = client.session
    session["before"] = "signed out"
    session.save()
    before = session.session_key
    assert _sign_in(client, owner.user.email).status_code == 302
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists(), "the old key must not live on"


@pytest.mark.django_db
def test_an_idle_session_ends_and_the_next_request_signs_in_again(client, owner, login, settings):
    settings.CHARTER_SESSION_IDLE_MINUTES = 30
    login(owner)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    key = session.session_key
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Session.objects.filter(session_key=key).exists(), "the idle session is flushed server-side"


@pytest.mark.django_db
def test_activity_slides_the_idle_expiry(client, owner, login, settings):
    settings.CHARTER_SESSION_IDLE_MINUTES = 30
    login(owner)
    client.get(reverse("home"))
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60  # active 29 minutes ago: still fine
    session.save()
    assert client.get(reverse("home")).status_code == 200
    row = Session.objects.get(session_key=client.session.session_key)
    assert client.session[LAST_SEEN] >= int(time.time()) - 5
    # The row now expires one idle span from now (the cookie age is the idle span).
    assert row.expire_date > timezone.now() + timedelta(minutes=29)


@pytest.mark.django_db
def test_the_session_engine_reads_what_django_stores_and_refuses_an_expired_session(client, owner, login):
    from charter.organizations.sessions import SessionStore

    login(owner)
    key = client.session.session_key
    loaded = SessionStore(session_key=key).load()
    assert loaded == Session.objects.get(session_key=key).get_decoded() and loaded["_auth_user_id"]
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(session_key=key)
    assert expired.load() == {} and expired.session_key is None
    assert client.get(reverse("home")).status_code == 302  # back to sign-in


def test_the_idle_span_is_the_session_age():
    assert django_settings.SESSION_COOKIE_AGE == django_settings.CHARTER_SESSION_IDLE_MINUTES * 60


@pytest.mark.django_db
def test_logging_out_ends_the_session_server_side(client, owner, login):
    login(owner)
    client.get(reverse("home"))
    key = client.session.session_key
    stolen = Client()
    stolen.cookies[django_settings.SESSION_COOKIE_NAME] = key
    assert stolen.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    response = stolen.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(client, owner, login):
    login(owner)
    other = Client()
    assert other.login(email=owner.user.email, password=PASSWORD)
    assert other.get(reverse("home")).status_code == 200
    other_key = other.session.session_key
    before = client.session.session_key
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.session.session_key != before, "the session that changed it gets a new key"
    assert client.get(reverse("home")).status_code == 200
    ended = other.get(reverse("home"))
    assert ended.status_code == 302 and ended["Location"].startswith(reverse("login"))
    assert not Session.objects.filter(session_key=other_key).exists()
    event = AuditEvent.objects.unscoped().get(action="user.password_change")
    assert event.actor_id == owner.user_id and PASSWORD not in json.dumps(event.changes)


@pytest.mark.django_db
def test_the_password_change_page_is_linked_from_the_web_interface(client):
    owner = make_org("Acme")
    assert client.login(email=owner.user.email, password=PASSWORD)
    page = client.get(reverse("help")).content.decode()
    assert f'href="{reverse("account")}"' in page  # the user menu's "Your account"
    account = client.get(reverse("account")).content.decode()
    assert f'href="{reverse("password_change")}"' in account


# ---- 4. passwords -----------------------------------------------------------------------------------

WEAK = {
    "short": "Tr0ub4dor&3",  # 11 characters
    "common": "password1234",
    "numeric": "730198264501",
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(WEAK))
def test_a_weak_new_password_is_refused_on_the_change_page(client, owner, login, kind):
    login(owner)
    weak = WEAK[kind]
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password": weak, "new_password_again": weak},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password"]
    owner.user.refresh_from_db()
    assert owner.user.check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(WEAK))
def test_a_weak_initial_password_is_refused_when_adding_a_person(client, owner, login, kind):
    login(owner)
    data = {"email": "new@example.org", "full_name": "New Person", "role": "member", "password": WEAK[kind]}
    response = client.post(reverse("person_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(email="new@example.org").exists()


@pytest.mark.django_db
def test_twelve_characters_that_are_not_common_are_accepted(client, owner, login):
    login(owner)
    fine = "quiet-river-7"
    assert len(fine) >= 12
    data = {"old_password": PASSWORD, "new_password": fine, "new_password_again": fine}
    assert client.post(reverse("password_change"), data).status_code == 302


@pytest.mark.django_db
def test_the_set_up_command_refuses_a_weak_password():
    from charter.core.errors import ValidationError
    from charter.organizations.services import user_ensure

    with pytest.raises(ValidationError) as refused:
        user_ensure(email="admin@example.org", full_name="Admin", password="password1234")
    assert "password" in refused.value.errors


# ---- 5. sign-in throttling --------------------------------------------------------------------------


@pytest.fixture
def tight_login(settings):
    settings.CHARTER_LOGIN_FAILURES_PER_ACCOUNT = 3
    settings.CHARTER_LOGIN_FAILURES_PER_ADDRESS = 5
    settings.CHARTER_LOGIN_WINDOW_MINUTES = 15
    return settings


@pytest.mark.django_db
def test_an_account_is_throttled_from_the_failing_address_even_with_the_right_password(
    client, owner, tight_login
):
    for _ in range(3):
        assert _sign_in(client, owner.user.email, "wrong-password-000").status_code == 200
    refused = _sign_in(client, owner.user.email)  # the right password, too late, from the same address
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    message = " ".join(refused.context["form"].non_field_errors())
    assert "Too many failed sign-ins for this account from your network address" in message
    assert "Try again in" in message and "after" in message
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_another(
    owner, tight_login, settings
):
    """Finding 19: five wrong passwords locked the account for everyone; anyone could lock anyone out."""
    settings.CHARTER_LOGIN_FAILURES_PER_ACCOUNT = 5
    settings.CHARTER_LOGIN_FAILURES_PER_ADDRESS = 30
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(8):
        _sign_in(attacker, owner.user.email, "wrong-password-000")
    assert _sign_in(attacker, owner.user.email).status_code == 429
    at_home = Client(REMOTE_ADDR="203.0.113.9")
    assert _sign_in(at_home, owner.user.email).status_code == 302
    assert at_home.session["_auth_user_id"] == str(owner.user.pk)
    # The owner's success clears only their own address's count: the attacker stays refused.
    assert _sign_in(attacker, owner.user.email).status_code == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_address_is_counted_and_a_forged_one_is_not(
    owner, tight_login, settings
):
    settings.CHARTER_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    # The attacker puts the owner's address first in X-Forwarded-For; the proxy appends the real one.
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.66")
    for _ in range(3):
        _sign_in(attacker, owner.user.email, "wrong-password-000")
    assert _sign_in(attacker, owner.user.email).status_code == 429
    owner_via_proxy = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert _sign_in(owner_via_proxy, owner.user.email).status_code == 302


@pytest.mark.django_db
def test_an_ipv6_network_counts_as_one_address(owner, other_owner, tight_login):
    for n in range(5):
        _sign_in(
            Client(REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}"), f"nobody{n}@example.org", "wrong-password-000"
        )
    assert _sign_in(Client(REMOTE_ADDR="2001:db8:1:2::ff"), other_owner.user.email).status_code == 429
    assert _sign_in(Client(REMOTE_ADDR="2001:db8:1:3::1"), other_owner.user.email).status_code == 302


@pytest.mark.django_db
def test_an_address_is_throttled_across_accounts(client, owner, other_owner, tight_login):
    for n in range(5):
        _sign_in(client, f"nobody{n}@example.org", "wrong-password-000")
    refused = _sign_in(client, other_owner.user.email)
    assert refused.status_code == 429
    assert "from your network address" in " ".join(refused.context["form"].non_field_errors())
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.7"), other_owner.user.email).status_code == 302


@pytest.mark.django_db
def test_the_throttle_lifts_when_the_window_ends(client, owner, tight_login, monkeypatch):
    for _ in range(3):
        _sign_in(client, owner.user.email, "wrong-password-000")
    assert _sign_in(client, owner.user.email).status_code == 429
    later = time.time() + 15 * 60
    monkeypatch.setattr(throttle.time, "time", lambda: later)
    assert _sign_in(client, owner.user.email).status_code == 302


@pytest.mark.django_db
def test_a_success_clears_the_accounts_failures(client, owner, tight_login):
    for _ in range(2):
        _sign_in(client, owner.user.email, "wrong-password-000")
    assert _sign_in(client, owner.user.email).status_code == 302
    client.post(reverse("logout"))
    for _ in range(2):
        _sign_in(client, owner.user.email, "wrong-password-000")
    assert _sign_in(client, owner.user.email).status_code == 302


@pytest.mark.django_db
def test_the_counter_is_in_the_database_and_names_no_address_in_clear(client, owner, tight_login):
    _sign_in(client, owner.user.email, "wrong-password-000")
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert "login:address:127.0.0.1" in keys
    assert not any(owner.user.email in key for key in keys)


def test_behind_trusted_proxies_the_forwarded_address_counts(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
    settings.CHARTER_TRUSTED_PROXIES = 0
    assert throttle.client_address(request) == "10.0.0.2"
    settings.CHARTER_TRUSTED_PROXIES = 2
    assert throttle.client_address(request) == "203.0.113.5"


@pytest.mark.django_db(transaction=True)
def test_hits_from_many_threads_are_all_counted():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("the in-memory SQLite test database is not shared between threads")

    def one(_):
        try:
            return throttle.hit("threads", seconds=3600)
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(one, range(40)))
    assert sorted(counts) == list(range(1, 41))


@pytest.mark.django_db
def test_a_new_window_starts_again_from_one():
    assert throttle.hit("k", seconds=60, now=120.0) == 1
    assert throttle.hit("k", seconds=60, now=150.0) == 2
    assert throttle.hit("k", seconds=60, now=181.0) == 1
    assert throttle.hits("k", seconds=60, now=190.0) == 1
    assert throttle.hits("k", seconds=60, now=250.0) == 0


# ---- 6. API rate limit ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_answers_429_with_retry_after_past_the_limit(client, owner, settings):
    settings.CHARTER_API_RATE_LIMIT = 3
    _, raw = token_create(actor=owner, name="busy")
    headers = {"Authorization": f"Bearer {raw}"}
    for _ in range(3):
        assert client.get("/api/v1/organizations", headers=headers).status_code == 200
    refused = client.get("/api/v1/organizations", headers=headers)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["code"] == "rate_limited" and "at most 3 a minute" in body["detail"]
    # Another token of the same person has its own count.
    _, other = token_create(actor=owner, name="quiet")
    assert (
        client.get("/api/v1/organizations", headers={"Authorization": f"Bearer {other}"}).status_code == 200
    )


@pytest.mark.django_db
def test_the_session_is_limited_per_person(client, owner, login, settings):
    settings.CHARTER_API_RATE_LIMIT = 2
    login(owner)
    assert [client.get("/api/v1/organizations").status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_the_limit_can_be_turned_off(client, owner, settings):
    settings.CHARTER_API_RATE_LIMIT = 0
    _, raw = token_create(actor=owner, name="bench")
    headers = {"Authorization": f"Bearer {raw}"}
    assert {client.get("/api/v1/organizations", headers=headers).status_code for _ in range(5)} == {200}
    assert not RateCounter.objects.exists()


@pytest.mark.django_db
def test_an_unknown_token_is_401_and_not_counted(client, settings):
    settings.CHARTER_API_RATE_LIMIT = 1
    for _ in range(2):
        assert (
            client.get("/api/v1/organizations", headers={"Authorization": "Bearer chr_x"}).status_code == 401
        )


def test_the_limit_has_a_sensible_default_from_the_environment():
    source = (BASE_DIR / "config" / "settings" / "base.py").read_text()
    assert 'int(os.environ.get("CHARTER_API_RATE_LIMIT", 600))' in source


def test_every_operation_documents_429_with_retry_after():
    from charter.api.main import api

    for operations in api.get_openapi_schema()["paths"].values():
        for operation in operations.values():
            answer = operation["responses"]["429"]
            assert "Retry-After" in answer["headers"]
            assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


# ---- 8. tokens stored hashed ------------------------------------------------------------------------


@pytest.mark.django_db
def test_personal_and_agent_tokens_are_stored_as_hashes_only(owner):
    from charter.agents.tests.factories import make_agent, make_agent_token
    from charter.organizations.tests.factories import make_team

    _, raw = token_create(actor=owner, name="mine")
    agent = make_agent(owner, make_team(owner).pk)
    _, agent_raw = make_agent_token(owner, agent)
    for value in (raw, agent_raw):
        assert value.startswith("chr_")
        row = ApiToken.objects.unscoped().filter(token_hash=hashlib.sha256(value.encode()).hexdigest())
        stored = json.dumps([str(v) for v in row.values().get().values()])
        secret = value.split("_", 2)[2]  # chr_<8 hex>_<secret>; the secret may hold "_" itself
        assert len(secret) >= 32 and value not in stored and secret not in stored


@pytest.mark.django_db
def test_a_data_source_push_token_is_stored_as_a_hash_and_shown_once(client, owner, login):
    from charter.metrics.models import DataSource
    from charter.metrics.services import metric_create

    metric = metric_create(actor=owner, name="Signups")
    login(owner)
    data = {"name": "Pushed", "kind": "inbound", "metric_id": metric.pk, "interval_minutes": 60}
    created = client.post(reverse("source_create"), {**data, "csv_row": -1, "is_active": "on"})
    assert created.status_code == 201
    url = created.context["inbound_url"]
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert url in created.content.decode() and "shown only this once" in created.content.decode()
    source = DataSource.objects.for_org(owner.organization).get(name="Pushed")
    assert source.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = json.dumps(
        [str(v) for v in DataSource.objects.unscoped().filter(pk=source.pk).values().get().values()]
    )
    assert token not in stored
    again = client.get(reverse("source_detail", args=[source.pk])).content.decode()
    assert token not in again and "shown once" in again
    assert Client().post(url, {"value": "7"}).status_code == 200, "the shown URL works"


@pytest.mark.django_db
def test_the_api_gives_the_push_url_once_and_never_again(client, owner):
    from charter.metrics.services import metric_create

    metric = metric_create(actor=owner, name="Signups")
    _, raw = token_create(actor=owner, name="t")
    headers = {"Authorization": f"Bearer {raw}"}
    body = {"name": "Pushed", "kind": "inbound", "metric_id": metric.pk}
    created = client.post(
        "/api/v1/sources", json.dumps(body), content_type="application/json", headers=headers
    )
    assert created.status_code == 201
    push_url = created.json()["push_url"]
    assert Client().post(push_url, {"value": "7"}).status_code == 200
    token = push_url.rstrip("/").rsplit("/", 1)[1]
    read = client.get(f"/api/v1/sources/{created.json()['id']}", headers=headers)
    assert token not in read.content.decode() and "push_url" not in read.json()


# ---- 11. server errors ------------------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("secret detail chr_doNotShowThis")


urlpatterns = [path("boom/", _boom), path("api/v1/boom/", _boom)]
handler500 = "charter.core.error_pages.server_error"


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_server_error_page_is_generic_with_the_request_id(settings):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", headers={"X-Request-ID": "req-12345"})
    assert response.status_code == 500
    text = response.content.decode()
    assert "req-12345" in text and response["X-Request-ID"] == "req-12345"
    assert "RuntimeError" not in text and "secret detail" not in text and "Traceback" not in text
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_an_api_server_error_is_generic_json_with_the_request_id():
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/boom/", headers={"X-Request-ID": "req-67890"})
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "server_error" and body["request_id"] == "req-67890"
    assert "RuntimeError" not in response.content.decode() and "secret" not in response.content.decode()


@pytest.mark.django_db
def test_an_api_operation_that_fails_answers_the_generic_json(client, owner, monkeypatch):
    from charter.organizations import api as organizations_api

    def broken(*args, **kwargs):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(organizations_api.selectors, "organizations_of", broken)
    _, raw = token_create(actor=owner, name="t")
    failing = Client(raise_request_exception=False)
    response = failing.get("/api/v1/organizations", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert response.json()["request_id"] == response["X-Request-ID"]
    assert "internal detail" not in response.content.decode()


@pytest.mark.django_db
def test_a_session_is_written_once_per_sixteenth_of_the_idle_span(client, owner, login, settings):
    """Sign-in notes the moment; pages within 30 minutes (of 8 hours) write no session row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CHARTER_SESSION_IDLE_MINUTES = 8 * 60
    login(owner)
    assert client.session[LAST_SEEN] >= int(time.time()) - 5
    client.get(reverse("home"))  # the first page notes the current organization
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 10 * 60
    session.save()

    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        # A prepared query is logged as "QUERY = '...' - PARAMS = ..." (PostgreSQL): look for the write verbs.
        writes = ("INSERT INTO", "UPDATE ", "DELETE FROM")
        return [q for q in queries if "django_session" in q["sql"] and any(w in q["sql"] for w in writes)]

    assert not session_writes()
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    assert session_writes()
