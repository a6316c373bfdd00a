"""The database going away mid-request answers 503 with Retry-After (a page, the REST error body), never
a 500; a wrong query stays a 500 (issue 15, finding 20)."""

import sqlite3
from contextlib import contextmanager
from unittest import mock

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from charter.api.tests.conftest import token_for
from charter.core import unavailable
from charter.organizations.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@contextmanager
def database_says(message: str, error: str = "OperationalError"):
    """Every query fails as the driver reports it (sqlite3's or psycopg's error, wrapped by Django)."""

    def fail(self, *args, **kwargs):
        with self.db.wrap_database_errors:
            raise getattr(self.db.Database, error)(message)

    with (
        mock.patch.object(CursorWrapper, "_execute", fail),
        mock.patch.object(CursorWrapper, "_executemany", fail),
    ):
        yield


GONE = "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally"


@pytest.fixture
def browser_client(owner):
    client = Client(raise_request_exception=False)
    assert client.login(email=owner.user.email, password=PASSWORD)
    return client


def test_a_page_while_the_database_is_gone_is_a_short_503_page(browser_client):
    with database_says(GONE):
        response = browser_client.get(reverse("home"), headers={"X-Request-ID": "req-1"})
    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.RETRY_AFTER_SECONDS)
    html = response.content.decode()
    assert '<h1 class="empty-title">Back in a moment</h1>' in html
    assert 'name="viewport"' in html and "req-1" in html
    assert f'href="{reverse("home")}"' in html  # "Try again" asks for the same page
    assert "Traceback" not in html and "server closed" not in html


def test_a_form_sent_while_the_database_is_gone_says_it_may_not_be_saved(browser_client):
    with database_says(GONE):
        response = browser_client.post(reverse("goal_create"), {"title": "Grow"})
    assert response.status_code == 503
    assert "may not have been saved" in response.content.decode()


def test_a_rest_call_while_the_database_is_gone_is_503_in_the_error_shape(owner):
    token = token_for(owner)
    api = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})
    with database_says(GONE):
        response = api.get("/api/v1/goals")
    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["code"] == "unavailable" and body["errors"] == {} and "retry" in body["detail"]


def test_a_session_rest_call_failing_before_the_api_is_503_in_the_error_shape(browser_client):
    """The session is read by a middleware, before the API's own handlers: the server error handler
    answers, in the API's shape under /api/."""
    with database_says(GONE):
        response = browser_client.get("/api/v1/goals")
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json()["code"] == "unavailable" and response.json()["errors"] == {}


def test_every_api_operation_documents_the_503():
    from charter.api.main import api

    paths = api.get_openapi_schema(path_prefix="/api/v1")["paths"]
    assert all("503" in op["responses"] for ops in paths.values() for op in ops.values())


def test_a_closed_connection_is_503_too(owner):
    api = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token_for(owner)}"})
    with database_says("the connection is closed", error="InterfaceError"):
        response = api.post("/api/v1/cycles", {"name": "Q"}, content_type="application/json")
    assert response.status_code == 503 and response.json()["code"] == "unavailable"


@pytest.mark.parametrize("path", ["/api/v1/goals", "/"])
def test_a_wrong_query_stays_a_500(owner, browser_client, path):
    """A bug is not an outage: SQLite reports a missing table as an OperationalError, too."""
    client = browser_client
    if path.startswith("/api/"):
        client = Client(
            raise_request_exception=False, headers={"Authorization": f"Bearer {token_for(owner)}"}
        )
    with database_says("no such table: goals_goal"):
        response = client.get(path)
    assert response.status_code == 500 and "Retry-After" not in response


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OperationalError(GONE), True),
        (OperationalError("could not connect to server: Connection refused"), True),
        (OperationalError("FATAL: the database system is starting up"), True),
        (InterfaceError("connection already closed"), True),
        (sqlite3.OperationalError("database is locked"), True),
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), True),
        (psycopg.errors.CannotConnectNow("x"), True),
        (psycopg.errors.TooManyConnections("x"), True),
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), False),
        (OperationalError("no such column: title"), False),
        (ProgrammingError("server closed the connection unexpectedly"), False),  # not a connection error
        (ValueError("server closed the connection"), False),
        (None, False),
    ],
)
def test_which_errors_mean_the_database_is_out_of_reach(error, expected):
    assert unavailable.database_unavailable(error) is expected


def test_a_wrapped_driver_error_is_judged_by_its_cause():
    try:
        try:
            raise psycopg.errors.AdminShutdown("x")
        except psycopg.Error as driver:
            raise OperationalError("x") from driver
    except OperationalError as wrapped:
        assert unavailable.database_unavailable(wrapped)
