"""The floor of the tree and list endpoints: the same JSON from one raw SQL query and orjson, no Django.

A plain WSGI app, served by gunicorn exactly like Charter (`bench/run.py`):

    GET /goals?cycle_id=C&limit=N&offset=K                 like GET /api/v1/goals
    GET /cycles/C/alignment-tree[?team_id=T]               like GET /api/v1/cycles/C/alignment-tree
    GET /search?q=WORD                                     like GET /api/v1/search?q=WORD

It answers for the organization in `FLOOR_ORGANIZATION_ID`, with no authentication, session or
permission work: what is left is the least any implementation must do (read the rows, compute each
goal's status with the pure rule, encode). Status uses `charter.goals.rules`, which imports no Django.

The search floor does the least a search that fuses words and meaning must: one keyword statement (the
matches ranked by `ts_rank`, bounded as Charter bounds them), a dot product with every vector of the
organization (held per process, as Charter holds them; a query's vector is made once per word and kept,
as Charter keeps them, so a pseudo-random unit vector per word stands in for the model), the two merged by
score, the documents found by meaning only read in one more statement, the words marked in the text.
"""

import html
import os
import re
import zlib
from datetime import UTC, datetime
from urllib.parse import parse_qs

import numpy as np
import orjson
import psycopg

from charter.goals import rules

ORG = int(os.environ.get("FLOOR_ORGANIZATION_ID", "0"))
DSN = os.environ.get("DATABASE_URL", "")

GOAL_COLUMNS = """
    g.id, g.title, g.description, g.cycle_id, g.team_id, g.owner_id, g.parent_id, g.purpose, g.end_state,
    g.constraints, g.freedoms, t.parent_id, g.weight, g.progress, g.confidence, g.last_check_in_at,
    g.version, g.created_at, g.updated_at, c.starts_on, c.ends_on, o.stale_days
"""
GOAL_JOINS = """
    JOIN goals_cycle c ON c.id = g.cycle_id
    JOIN organizations_organization o ON o.id = g.organization_id
    LEFT JOIN organizations_team t ON t.id = g.team_id
"""
KEY_RESULTS = """
    (SELECT COALESCE(json_agg(json_build_object(
        'id', k.id, 'goal_id', k.goal_id, 'title', k.title, 'kind', k.kind, 'unit', k.unit,
        'start', k.start, 'target', k.target, 'target_max', k.target_max, 'current', k.current,
        'weight', k.weight, 'owner_id', k.owner_id, 'position', k.position, 'progress', k.progress,
        'confidence', k.confidence,
        'last_check_in_at', to_char(k.last_check_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
            || CASE WHEN date_part('microseconds', k.last_check_in_at)::int %% 1000000 <> 0
                    THEN to_char(k.last_check_in_at, '.MS') ELSE '' END || 'Z',
        'version', k.version) ORDER BY k.position, k.id), '[]')
     FROM goals_keyresult k WHERE k.goal_id = g.id)
"""
GOAL_LIST = f"""
    SELECT {GOAL_COLUMNS}, count(*) OVER ()
    FROM goals_goal g {GOAL_JOINS}
    WHERE g.organization_id = %(org)s AND g.cycle_id = %(cycle)s
    ORDER BY g.title, g.id LIMIT %(limit)s OFFSET %(offset)s
"""
# The cycle's goals depth first, siblings by (title, id) as the ORM orders them, each with its key
# results; with a team, only the subtrees whose root is the highest goal of that team on its branch.
TREE = f"""
    WITH RECURSIVE ranked AS (
        SELECT g.id, g.parent_id, g.team_id, row_number() OVER (ORDER BY g.title, g.id) AS rank
        FROM goals_goal g WHERE g.organization_id = %(org)s AND g.cycle_id = %(cycle)s
    ), walk AS (
        SELECT r.id, ARRAY[r.rank] AS path, 0 AS depth,
               (%(team)s::bigint IS NULL OR r.team_id = %(team)s) AS kept
        FROM ranked r
        WHERE r.parent_id IS NULL OR r.parent_id NOT IN (SELECT id FROM ranked)
        UNION ALL
        SELECT r.id, w.path || r.rank, w.depth + 1, w.kept OR r.team_id = %(team)s
        FROM ranked r JOIN walk w ON r.parent_id = w.id
    )
    SELECT {GOAL_COLUMNS}, r.depth, {KEY_RESULTS}
    FROM walk r JOIN goals_goal g ON g.id = r.id {GOAL_JOINS}
    WHERE r.kept
    ORDER BY r.path
"""


def _iso(value):
    return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds").replace("+00:00", "Z")


def _goal(row, now):
    (gid, title, description, cycle_id, team_id, owner_id, parent_id, purpose, end_state, constraints,
     freedoms, team_parent, weight, progress, confidence, last, version, created, updated, starts_on,
     ends_on, stale_days) = row[:22]  # fmt: skip
    status = rules.status(
        rules.StatusInputs(
            progress=progress, starts_on=starts_on, ends_on=ends_on, confidence=confidence,
            last_check_in_at=last, created_at=created, now=now, stale_days=stale_days,
        )
    )  # fmt: skip
    return {
        "id": gid, "title": title, "description": description, "cycle_id": cycle_id, "team_id": team_id,
        "owner_id": owner_id, "parent_id": parent_id, "purpose": purpose, "end_state": end_state,
        "constraints": constraints, "freedoms": freedoms,
        "has_intent": bool(purpose.strip() and end_state.strip()),
        "level": "strategic" if team_id is None or team_parent is None else "team",
        "weight": weight, "progress": progress, "confidence": confidence, "status": status,
        "last_check_in_at": last and _iso(last), "version": version, "created_at": _iso(created),
        "updated_at": _iso(updated),
    }  # fmt: skip


_connection = None


def _cursor():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(DSN, autocommit=True)
        _connection.execute("SET TIME ZONE 'UTC'")
        _connection.execute("SET random_page_cost = 1.1")  # as Charter's connections (config.settings.base)
    return _connection.cursor()


def goal_list(cycle: int, limit: int, offset: int) -> dict:
    now = datetime.now(UTC)
    with _cursor() as cursor:
        rows = cursor.execute(
            GOAL_LIST, {"org": ORG, "cycle": cycle, "limit": limit, "offset": offset}
        ).fetchall()
    count = rows[0][-1] if rows else 0
    return {"items": [_goal(r, now) for r in rows], "count": count, "limit": limit, "offset": offset}


def alignment_tree(cycle: int, team: int | None) -> dict:
    now = datetime.now(UTC)
    with _cursor() as cursor:
        rows = cursor.execute(TREE, {"org": ORG, "cycle": cycle, "team": team}).fetchall()
        head = cursor.execute(
            "SELECT id, name, starts_on, ends_on, state FROM goals_cycle"
            " WHERE id = %s AND organization_id = %s",
            [cycle, ORG],
        ).fetchone()
    forest, stack = [], []  # stack: the open nodes of the current branch, with their depth
    for row in rows:
        depth = row[22]
        goal = _goal(row, now) | {"key_results": row[23]}
        node = {"goal": goal, "children": []}
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack and stack[-1][1]["goal"]["id"] == goal["parent_id"]:
            stack[-1][1]["children"].append(node)
        else:
            forest.append(node)
        stack.append((depth, node))
    cycle_out = None
    if head:
        cycle_out = {"id": head[0], "name": head[1], "starts_on": head[2].isoformat(),
                     "ends_on": head[3].isoformat(), "state": head[4]}  # fmt: skip
    return {"cycle": cycle_out, "goals": forest}


KEYWORD = """
    SELECT d.id, d.title, d.body, d.type, d.object_id, d.url, d.team_id, d.cycle_id FROM (
        SELECT c.id, ts_rank(c.tsv, to_tsquery('english', %(query)s)) AS r FROM (
            SELECT d.id, d.tsv FROM search_searchdocument d
            WHERE d.tsv @@ to_tsquery('english', %(query)s) AND d.organization_id = %(org)s LIMIT 2000
        ) c ORDER BY r DESC, c.id LIMIT %(limit)s
    ) top JOIN search_searchdocument d ON d.id = top.id ORDER BY top.r DESC, top.id
"""
DOCUMENTS = """
    SELECT d.id, d.title, d.body, d.type, d.object_id, d.url, d.team_id, d.cycle_id
    FROM search_searchdocument d WHERE d.organization_id = %(org)s AND d.id = ANY(%(ids)s)
"""
_vectors = None  # (ids, matrix) of the organization, read on the first search
_query_vectors = {}


def _matrix():
    global _vectors
    if _vectors is None:
        with _cursor() as cursor:
            rows = cursor.execute(
                "SELECT document_id, vector, dimension FROM search_searchvector WHERE organization_id = %s",
                [ORG],
            ).fetchall()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        dimension = rows[0][2] if rows else 1
        matrix = np.frombuffer(b"".join(bytes(r[1]) for r in rows), np.float32).reshape(-1, dimension)
        _vectors = (ids, matrix)
    return _vectors


def _query_vector(word: str, dimension: int) -> np.ndarray:
    if word not in _query_vectors:
        v = np.random.default_rng(zlib.crc32(word.encode())).standard_normal(dimension).astype(np.float32)
        _query_vectors[word] = v / np.linalg.norm(v)
    return _query_vectors[word]


def _marked(text: str, word: str) -> str:
    return re.sub(rf"\b({re.escape(word)}\w*)", r"<mark>\1</mark>", html.escape(text[:240]), flags=re.I)


def search(q: str, limit: int = 20) -> dict:
    word = re.sub(r"[^\w]", "", q.lower())
    pool = max(limit * 3, 30)
    with _cursor() as cursor:
        rows = cursor.execute(KEYWORD, {"org": ORG, "query": word, "limit": pool}).fetchall() if word else []
        ids, vectors = _matrix()
        # einsum, not `@`: OpenBLAS's threads spin against the other workers (as `charter.search.vectors`)
        scores = np.einsum("ij,j->i", vectors, _query_vector(word, vectors.shape[1]))
        top = np.argpartition(-scores, min(pool, len(ids)) - 1)[:pool] if len(ids) else []
        cosine = {int(ids[i]): float(scores[i]) for i in top}
        found = {r[0]: r for r in rows}
        ranked = sorted({*found, *cosine}, key=lambda d: -(cosine.get(d, 0.0) + (1.0 if d in found else 0)))
        ranked = ranked[:limit]
        missing = [d for d in ranked if d not in found]
        if missing:
            found |= {r[0]: r for r in cursor.execute(DOCUMENTS, {"org": ORG, "ids": missing}).fetchall()}
    items = []
    for d in ranked:
        _, title, body, type_, object_id, url, team_id, cycle_id = found[d]
        by_words, by_meaning = d in {r[0] for r in rows}, d in cosine
        items.append({
            "type": type_, "object_id": object_id, "title": title, "url": url,
            "snippet": _marked(body, word) if by_words else html.escape(body[:240]),
            "score": cosine.get(d, 0.0) + (1.0 if by_words else 0.0),
            "found_by": "both" if by_words and by_meaning else "words" if by_words else "meaning",
            "team_id": team_id, "cycle_id": cycle_id,
        })  # fmt: skip
    return {"query": q, "meaning_on": True, "meaning_off_reason": "", "items": items}


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    parts = path.strip("/").split("/")
    try:
        if parts == ["goals"]:
            body = goal_list(
                int(query["cycle_id"]), int(query.get("limit", 100)), int(query.get("offset", 0))
            )
        elif len(parts) == 3 and parts[0] == "cycles" and parts[2] == "alignment-tree":
            team = query.get("team_id")
            body = alignment_tree(int(parts[1]), int(team) if team else None)
        elif parts == ["search"]:
            body = search(query.get("q", ""), int(query.get("limit", 20)))
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no such floor endpoint"]
    except (KeyError, ValueError) as exc:
        start_response("400 Bad Request", [("Content-Type", "text/plain")])
        return [f"bad query: {exc}".encode()]
    data = orjson.dumps(body)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]
