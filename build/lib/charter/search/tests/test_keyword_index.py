"""PostgreSQL's keyword index keeps no pending list that every search would read whole (migration 0004)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only"),
    pytest.mark.django_db,
]


def test_the_gin_index_has_no_pending_list():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'search_doc_tsv'")
        assert "fastupdate=off" in cursor.fetchone()[0]
