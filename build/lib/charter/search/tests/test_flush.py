"""`flush` empties every model's table; the keyword index (a virtual table) must follow it."""

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table exists on SQLite only")


@pytest.mark.django_db(transaction=True)
def test_flush_leaves_no_keyword_rows_behind():
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(rowid, title, body) VALUES (987654, 'orphan', 'left behind')")
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts")
        assert cursor.fetchone()[0] == 0
