"""Keyword search behind one interface: SQLite FTS5 or PostgreSQL full-text, chosen by the database vendor.

SQLite keeps a separate FTS5 table (`search_fts`, rowid = document id) that the services write beside each
document; PostgreSQL has a generated `tsv` column with a GIN index, so it needs no syncing.

A search looks for the query's meaningful words only (`rules.content_terms`: no stop words), all of them
first (AND); when that finds fewer than it needs, any of them (OR). Each step ranks a bounded set: on
PostgreSQL at most `CANDIDATES` matches the index yields are ranked (`ts_rank`), not every document a
common word matches. Each row carries the document's title and body, from which `rules.word_match` says
how well it covers the query.
"""

from django.db import connection

from . import queries
from .rules import content_terms, terms  # noqa: F401  (terms: the words of a query, for callers)

# At most this many matches of one step are ranked (PostgreSQL): enough for every document of a size-M
# organization that holds a rare word, bounded at size L where a common word matches ~40,000.
CANDIDATES = 2000


def _merge(first, second, limit):
    """The rows of the AND step, then those of the OR step not among them, at most `limit`."""
    seen = {row[0] for row in first}
    rows = list(first) + [row for row in second if row[0] not in seen]
    return rows[:limit]


class SqliteKeywords:
    """FTS5 with the porter stemmer, ranked by bm25 (title weighted above body)."""

    def write(self, doc_id: int, title: str, body: str, using: str = "default") -> None:
        queries.sqlite_keywords_write(doc_id=doc_id, title=title, body=body, using=using)

    def remove(self, doc_ids: list[int]) -> None:
        queries.sqlite_keywords_remove(doc_ids=doc_ids)

    def search(self, organization_id: int, words: list[str], *, types, team_id, cycle_id, limit):
        """Rows (id, title, body, index token, type, object id, url, team, cycle) best first: documents with
        every word, then with any."""
        quoted = ['"' + w.replace('"', "") + '"' for w in words]
        args = {"organization_id": organization_id, "types": types, "team_id": team_id, "cycle_id": cycle_id}
        rows = queries.sqlite_keyword_search(match=" ".join(quoted), limit=limit, **args)
        if len(rows) < limit and len(words) > 1:
            rows = _merge(
                rows, queries.sqlite_keyword_search(match=" OR ".join(quoted), limit=limit, **args), limit
            )
        return rows


class PostgresKeywords:
    """`to_tsvector` in a generated column, ranked by `ts_rank` over at most CANDIDATES matches a step. The
    GIN index has no pending list (migration `0004`): the statement reads the matching rows only."""

    def write(self, doc_id: int, title: str, body: str, using: str = "default") -> None:
        """Nothing to do: the generated column follows the row."""

    def remove(self, doc_ids: list[int]) -> None:
        """Nothing to do: the column goes with the row."""

    def search(self, organization_id: int, words: list[str], *, types, team_id, cycle_id, limit):
        """Rows (id, title, body, index token, type, object id, url, team, cycle) best first: documents with
        every word, then with any."""
        args = {"organization_id": organization_id, "types": types, "team_id": team_id, "cycle_id": cycle_id}
        args.update(limit=limit, candidates=CANDIDATES)
        rows = queries.postgres_keyword_search(query=" & ".join(words), **args)
        if len(rows) < limit and len(words) > 1:
            rows = _merge(rows, queries.postgres_keyword_search(query=" | ".join(words), **args), limit)
        return rows


def search(organization_id: int, query: str, *, types, team_id, cycle_id, limit):
    """Rows (id, title, body, index token, type, object id, url, team, cycle) of the documents holding the
    query's meaningful words."""
    words = content_terms(query)
    if not words:
        return []
    return backend().search(
        organization_id, words, types=types, team_id=team_id, cycle_id=cycle_id, limit=limit
    )


def backend():
    return PostgresKeywords() if connection.vendor == "postgresql" else SqliteKeywords()
