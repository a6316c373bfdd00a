"""Keyword search behind one interface: SQLite FTS5 or PostgreSQL full-text, chosen by the database vendor.

SQLite keeps a separate FTS5 table (`search_fts`, rowid = document id) that the services write beside each
document; PostgreSQL has a generated `tsv` column with a GIN index, so it needs no syncing.
"""

import re

from django.db import connection

from . import queries

WORD = re.compile(r"\w+", re.UNICODE)


def terms(query: str) -> list[str]:
    """The words of a query, lowercased, without duplicates, in order."""
    seen: list[str] = []
    for word in WORD.findall(query.lower()):
        if word not in seen:
            seen.append(word)
    return seen[:32]


class SqliteKeywords:
    """FTS5 with the porter stemmer, ranked by bm25 (title weighted above body)."""

    def write(self, doc_id: int, title: str, body: str, using: str = "default") -> None:
        queries.sqlite_keywords_write(doc_id=doc_id, title=title, body=body, using=using)

    def remove(self, doc_ids: list[int]) -> None:
        queries.sqlite_keywords_remove(doc_ids=doc_ids)

    def search(self, organization_id: int, words: list[str], *, types, team_id, cycle_id, limit):
        """(document ids best first, the index token or None when nothing matched)."""
        match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
        return queries.sqlite_keyword_search(
            organization_id=organization_id,
            match=match,
            types=types,
            team_id=team_id,
            cycle_id=cycle_id,
            limit=limit,
        )


class PostgresKeywords:
    """`to_tsvector` in a generated column, `websearch_to_tsquery` with OR between the words. The GIN index
    has no pending list (migration `0004`): the statement reads the matching rows only, by the index."""

    def write(self, doc_id: int, title: str, body: str, using: str = "default") -> None:
        """Nothing to do: the generated column follows the row."""

    def remove(self, doc_ids: list[int]) -> None:
        """Nothing to do: the column goes with the row."""

    def search(self, organization_id: int, words: list[str], *, types, team_id, cycle_id, limit):
        """(document ids best first, the index token or None when nothing matched)."""
        return queries.postgres_keyword_search(
            organization_id=organization_id,
            words=" or ".join(words),
            types=types,
            team_id=team_id,
            cycle_id=cycle_id,
            limit=limit,
        )


def backend():
    return PostgresKeywords() if connection.vendor == "postgresql" else SqliteKeywords()
