"""On PostgreSQL the parameters are bound on the server (`server_side_binding`), so psycopg prepares the
pages' statements, the ORM's and `core.queries`' alike, and each is planned once for any ids; turned off
(`prepare_threshold` None, as psycopg's default), they run as any other query."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charter.goals.tests.factories import make_goal, make_key_result

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")


# Each response's own nonce (22 characters) and CSRF token (64), left out when pages are compared.
_TOKENS = re.compile(rb"[A-Za-z0-9]{64}|[A-Za-z0-9_-]{22}")


def _prepared() -> dict[str, tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        return {statement: (generic, custom) for statement, generic, custom in cursor.fetchall()}


def _goal_pages(client, goals) -> list[bytes]:
    pages = []
    for goal in goals:
        response = client.get(f"/goals/{goal.pk}/")
        assert response.status_code == 200
        pages.append(_TOKENS.sub(b"", response.content))
    return pages


def test_the_goal_page_queries_are_prepared_once_and_counted(owner, cycle, login):
    client = login(owner)
    goals = [make_goal(owner, cycle, f"Goal {n}") for n in range(3)]
    make_key_result(owner, goals[1], "Signed customers")
    with CaptureQueriesContext(connection) as queries:
        pages = _goal_pages(client, goals)
    prepared = _prepared()
    goal_query = 'SELECT "goals_goal"."id", "goals_goal"."organization_id"'
    goal_reads = [s for s in prepared if s.startswith(goal_query)]
    assert len(goal_reads) == 1, prepared
    generic, custom = prepared[goal_reads[0]]
    assert (generic, custom) == (
        2,
        0,
    )  # the first page ran it unprepared (`prepare_threshold` 1); one plan since
    # Every page's own reads in plain SQL (the session, its person with the actor) are prepared too.
    session_read = [s for s in prepared if s.startswith('SELECT "session_key"')]
    assert len(session_read) == 1 and prepared[session_read[0]][0] >= 2 and prepared[session_read[0]][1] == 0
    assert sum('"goals_goal"."organization_id"' in q["sql"] for q in queries.captured_queries) >= 3
    for goal, page in zip(goals, pages, strict=True):
        assert goal.title.encode() in page
    assert b"Signed customers" in pages[1] and b"Signed customers" not in pages[0]

    connection.connection.prepare_threshold = None  # as with CHARTER_PREPARED_STATEMENTS=0
    try:
        connection.connection.execute("DEALLOCATE ALL")
        assert _goal_pages(client, goals) == pages
        assert _prepared() == {}
    finally:
        connection.connection.prepare_threshold = 1
