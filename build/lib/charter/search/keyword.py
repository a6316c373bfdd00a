"""Keyword search behind one interface: SQLite FTS5 or PostgreSQL full-text, chosen by the database vendor.

SQLite keeps a separate FTS5 table (`search_fts`, rowid = document id) that the services write beside each
document; PostgreSQL has a generated `tsv` column with a GIN index, so it needs no syncing.
"""

import re

from django.db import connection

WORD = re.compile(r"\w+", re.UNICODE)


def terms(query: str) -> list[str]:
    """The words of a query, lowercased, without duplicates, in order."""
    seen: list[str] = []
    for word in WORD.findall(query.lower()):
        if word not in seen:
            seen.append(word)
    return seen[:32]


def _filters(types, team_id, cycle_id) -> tuple[str, list]:
    sql, params = "", []
    if types:
        sql += f" AND d.type IN ({', '.join(['%s'] * len(types))})"
        params += list(types)
    if team_id:
        sql += " AND d.team_id = %s"
        params.append(team_id)
    if cycle_id:
        sql += " AND d.cycle_id = %s"
        params.append(cycle_id)
    return sql, params


# The organization's index token, read by the keyword statement itself (one uncorrelated subquery) so
# that the meaning half of a search need not read it again: the token is still read before the vectors.
TOKEN = "(SELECT s.token FROM search_searchindexstate s WHERE s.organization_id = %s)"


def _ids_and_token(cursor) -> tuple[list[int], str | None]:
    rows = cursor.fetchall()
    return [row[0] for row in rows], (rows[0][1] if rows else None)


class SqliteKeywords:
    """FTS5 with the porter stemmer, ranked by bm25 (title weighted above body)."""

    def write(self, cursor, doc_id: int, title: str, body: str) -> None:
        cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [doc_id])
        cursor.execute(
            "INSERT INTO search_fts(rowid, title, body) VALUES (%s, %s, %s)", [doc_id, title, body]
        )

    def remove(self, cursor, doc_ids: list[int]) -> None:
        for doc_id in doc_ids:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [doc_id])

    def search(self, organization_id: int, words: list[str], *, types, team_id, cycle_id, limit):
        """(document ids best first, the index token or None when nothing matched)."""
        match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
        extra, params = _filters(types, team_id, cycle_id)
        sql = (
            f"SELECT d.id, {TOKEN} FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH %s AND d.organization_id = %s" + extra + " "
            "ORDER BY bm25(search_fts, 4.0, 1.0), d.id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [organization_id, match, organization_id, *params, limit])
            return _ids_and_token(cursor)


class PostgresKeywords:
    """`to_tsvector` in a generated column, `websearch_to_tsquery` with OR between the words. The GIN index
    has no pending list (migration `0004`): the statement reads the matching rows only, by the index."""

    def write(self, cursor, doc_id: int, title: str, body: str) -> None:
        """Nothing to do: the generated column follows the row."""

    def remove(self, cursor, doc_ids: list[int]) -> None:
        """Nothing to do: the column goes with the row."""

    def search(self, organization_id: int, words: list[str], *, types, team_id, cycle_id, limit):
        """(document ids best first, the index token or None when nothing matched)."""
        extra, params = _filters(types, team_id, cycle_id)
        sql = (
            f"SELECT d.id, {TOKEN} FROM search_searchdocument d, websearch_to_tsquery('english', %s) q "
            "WHERE d.tsv @@ q AND d.organization_id = %s" + extra + " "
            "ORDER BY ts_rank(d.tsv, q) DESC, d.id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [organization_id, " or ".join(words), organization_id, *params, limit])
            return _ids_and_token(cursor)


def backend():
    return PostgresKeywords() if connection.vendor == "postgresql" else SqliteKeywords()
