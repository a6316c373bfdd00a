"""The search app's hand-written SQL, through `core.queries` (named parameters, the organization filter
required): the keyword search of each database (SQLite FTS5, PostgreSQL full-text) and the upkeep of
SQLite's keyword table, a virtual table no model describes (declared unscoped: it is keyed by document id,
and the document carries the organization)."""

import json

from charter.core import queries

# The organization's index token, read by the keyword statement itself (one uncorrelated subquery) so
# that the meaning half of a search need not read it again: the token is still read before the vectors.
TOKEN = "(SELECT s.token FROM search_searchindexstate s WHERE s.organization_id = %(organization_id)s)"
# What a hit shows besides its title and body, after the token: a keyword hit is not read again.
HIT_COLUMNS = "d.type, d.object_id, d.url, d.team_id, d.cycle_id"
_KEYED_BY_DOCUMENT = "SQLite's keyword table is keyed by document id; the document carries the organization"


def _filters(types, team_id, cycle_id) -> tuple[str, dict]:
    sql, params = "", {}
    if types:
        names = [f"type_{n}" for n in range(len(types))]
        sql += f" AND d.type IN ({', '.join(f'%({name})s' for name in names)})"
        params.update(zip(names, types, strict=True))
    if team_id:
        sql += " AND d.team_id = %(team_id)s"
        params["team_id"] = team_id
    if cycle_id:
        sql += " AND d.cycle_id = %(cycle_id)s"
        params["cycle_id"] = cycle_id
    return sql, params


def sqlite_keyword_search(*, organization_id: int, match: str, types, team_id, cycle_id, limit: int):
    """Rows (id, title, body, index token, `HIT_COLUMNS`) best first by bm25, title weighted above body."""
    extra, params = _filters(types, team_id, cycle_id)
    sql = (
        f"SELECT d.id, d.title, d.body, {TOKEN}, {HIT_COLUMNS} FROM search_fts "
        "JOIN search_searchdocument d ON d.id = search_fts.rowid "
        "WHERE search_fts MATCH %(match)s AND d.organization_id = %(organization_id)s" + extra + " "
        "ORDER BY bm25(search_fts, 4.0, 1.0), d.id LIMIT %(limit)s"
    )
    params.update(organization_id=organization_id, match=match, limit=limit)
    return queries.fetch_all(sql, params)


def postgres_keyword_search(
    *, organization_id: int, query: str, types, team_id, cycle_id, limit: int, candidates: int
):
    """Rows (id, title, body, index token, `HIT_COLUMNS`) best first by `ts_rank`, computed for at most
    `candidates` matches (the first the index yields), not for every document a common word matches.
    `query`: words joined by `&` or `|` (words only: `rules.WORD`)."""
    extra, params = _filters(types, team_id, cycle_id)
    sql = (
        f"SELECT d.id, d.title, d.body, {TOKEN}, {HIT_COLUMNS} FROM ("
        "SELECT c.id, ts_rank(c.tsv, to_tsquery('english', %(query)s)) AS r FROM ("
        "SELECT d.id, d.tsv FROM search_searchdocument d "
        "WHERE d.tsv @@ to_tsquery('english', %(query)s) AND d.organization_id = %(organization_id)s"
        + extra
        + " LIMIT %(candidates)s) c ORDER BY r DESC, c.id LIMIT %(limit)s) top "
        "JOIN search_searchdocument d ON d.id = top.id ORDER BY top.r DESC, top.id"
    )
    params.update(organization_id=organization_id, query=query, limit=limit, candidates=candidates)
    return queries.fetch_all(sql, params)


def sqlite_keywords_write(*, doc_id: int, title: str, body: str, using: str = "default") -> None:
    params = {"doc_id": doc_id}
    delete = "DELETE FROM search_fts WHERE rowid = %(doc_id)s"
    queries.execute(delete, params, unscoped=_KEYED_BY_DOCUMENT, using=using)
    queries.execute(
        "INSERT INTO search_fts(rowid, title, body) VALUES (%(doc_id)s, %(title)s, %(body)s)",
        {**params, "title": title, "body": body},
        unscoped=_KEYED_BY_DOCUMENT,
        using=using,
    )


def sqlite_keywords_remove(*, doc_ids: list[int]) -> None:
    """One statement for every document, not one per id."""
    queries.execute(
        "DELETE FROM search_fts WHERE rowid IN (SELECT value FROM json_each(%(doc_ids)s))",
        {"doc_ids": json.dumps(list(doc_ids))},
        unscoped=_KEYED_BY_DOCUMENT,
    )


def sqlite_drop_stale_keywords(*, using: str = "default") -> None:
    """Drop every row of SQLite's keyword table whose search document is gone (`flush` leaves them)."""
    queries.execute(
        "DELETE FROM search_fts WHERE rowid NOT IN (SELECT id FROM search_searchdocument)",
        unscoped="upkeep of the whole keyword table after migrate or flush",
        using=using,
    )


def advance_index(*, organization_id: int, token: str) -> int | None:
    """Give the organization's index a new token and the next change number, under the state row's lock
    (held to the end of the transaction: writes are numbered in the order they commit); None without a
    state row."""
    row = queries.fetch_one(
        "UPDATE search_searchindexstate SET token = %(token)s, counter = counter + 1 "
        "WHERE organization_id = %(organization_id)s RETURNING counter",
        {"organization_id": organization_id, "token": token},
    )
    return row[0] if row else None


def index_changes(*, organization_id: int, since: int, known: str, most: int) -> list[tuple]:
    """The index's token and counter, whether change number `since` is still logged with the token
    `known`, and the first `most` changes after it up to the counter: rows (token, counter, known,
    change number, document id), the change columns None when there is none; no rows without a state
    row."""
    return queries.fetch_all(
        "SELECT s.token, s.counter, EXISTS (SELECT 1 FROM search_searchchange k "
        "WHERE k.organization_id = s.organization_id AND k.counter = %(since)s AND k.token = %(known)s), "
        "c.counter, c.document_id FROM search_searchindexstate s "
        "LEFT JOIN search_searchchange c ON c.organization_id = s.organization_id "
        "AND c.counter > %(since)s AND c.counter <= s.counter "
        "WHERE s.organization_id = %(organization_id)s ORDER BY c.counter, c.document_id LIMIT %(most)s",
        {"organization_id": organization_id, "since": since, "known": known, "most": most},
    )
