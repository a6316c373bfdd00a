"""Cosine search over an organization's vectors, cached per process until the index changes.

Up to `EXACT_ROWS` rows (after the filters) every row is scored. Above that (size L: 258,000 documents)
a sign code per row (one bit a dimension, 48 bytes instead of 1,536) picks the `candidates` rows nearest
the query's code by Hamming distance (XOR and popcount: about 3 ms for 258,000 rows instead of 26-30 ms
for the float scan), and those rows are scored exactly as below, with the same order and ties. Text
embeddings sit in topics, so a query's true neighbours share most signs with it: on a generated set
with topics the top 10 equals the full scan's (`tests/test_vectors.py`); on random vectors without
topics (the benchmark's) the codes tell neighbours apart less well, and some of the top 10 differ.
"""

import threading
import uuid
from dataclasses import dataclass, field

import numpy as np

from . import queries, shared
from .models import SearchChange, SearchIndexState, SearchVector


def pack(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def unpack(data: bytes, dimension: int) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32, count=dimension)


@dataclass
class Matrix:
    """The vectors of one organization and one model, with what the filters need.

    Rows are grouped by type (`blocks`: type -> its rows), so a search of some types multiplies only
    their rows: the similar goals read 5,000 of 26,000 rows at size M.

    After writes (`matrix`), a matrix is its base rows less those of the documents changed since (`dead`),
    plus a small matrix of those documents' current rows (`delta`), searched together: every answer is
    the one a matrix built afresh from the table would give (same rows, same scores, same ties by id)."""

    ids: np.ndarray  # SearchDocument ids
    teams: np.ndarray  # -1 for none
    cycles: np.ndarray
    vectors: np.ndarray  # (n, dimension), unit rows
    blocks: dict = field(default_factory=dict)  # type -> slice of its rows (rows sorted by type)
    codes: np.ndarray | None = None  # (words, n) uint64: the sign bits of each row (`sign_codes`)
    means: dict = field(default_factory=dict)  # type -> the mean of its rows, made on first use
    dead: np.ndarray | None = None  # (n,) bool: rows of documents changed since the base was built
    delta: "Matrix | None" = None  # the current rows of those documents (never has a delta of its own)
    token: str = ""  # the index token and counter the matrix stands for (`SearchIndexState`)
    counter: int = 0

    def nearest(self, query: np.ndarray, *, limit: int, types=None, team_id=None, cycle_id=None, exact=False):
        """(document id, score) of the `limit` rows of the filters whose dot product with `query` is
        highest (the cosine for a unit query), best first (ties by id). `exact`: score every row, also
        above `EXACT_ROWS` (a query that is not a text's vector, whose signs say little)."""
        parts = [(seg, seg._kept_blocks(types, team_id, cycle_id)) for seg in self._segments()]
        parts = [(seg, kept) for seg, kept in parts if kept]
        total = sum(seg._size(kept) for seg, kept in parts)
        if not total:
            return []
        ids, scores = [], []
        if total > EXACT_ROWS and self.codes is not None and not exact:
            code = sign_codes(query[None, :])[:, 0]
            found = [seg._over(kept, lambda r, s=seg: _hamming(s.codes[:, r], code)) for seg, kept in parts]
            distances = np.concatenate([d for _, d in found])
            want = candidates(limit)
            # every row as near as the `want`th goes in: no arbitrary cut among equals
            cut = np.searchsorted(np.cumsum(np.bincount(distances)), want) if len(distances) > want else None
            for (seg, _), (idx, dist) in zip(parts, found, strict=True):
                idx = idx if cut is None else idx[dist <= cut]
                ids.append(seg.ids[idx])
                scores.append(_dot(seg.vectors[idx], query))
        else:
            for seg, kept in parts:
                idx, cos = seg._over(kept, lambda r, s=seg: _dot(s.vectors[r], query))
                ids.append(seg.ids[idx])
                scores.append(cos)
        ids, scores = np.concatenate(ids), np.concatenate(scores)
        top = min(limit, len(scores))
        best = np.argpartition(-scores, top - 1)[:top]
        best = best[np.lexsort((ids[best], -scores[best]))]
        return [(int(ids[i]), float(scores[i])) for i in best]

    def mean(self, type_: str) -> np.ndarray | None:
        """The mean of the rows of a type (None when it has none), kept with the matrix."""
        if type_ not in self.means:
            rows = self._rows_of(type_)
            self.means[type_] = rows.mean(axis=0, dtype=np.float64).astype(np.float32) if len(rows) else None
        return self.means[type_]

    def live_rows(self) -> int:
        """How many documents the matrix holds (its base's live rows and its delta's)."""
        return sum(seg._size(seg._kept_blocks(None, None, None)) for seg in self._segments())

    def count(self, type_: str) -> int:
        return sum(seg._size(seg._kept_blocks([type_], None, None)) for seg in self._segments())

    def cosines(self, type_: str, doc_ids, query: np.ndarray) -> dict[int, float]:
        """The dot product of each document of a type with `query` (documents not in it left out)."""
        return dict(self.cosines_of(doc_ids, query, types=[type_]))

    def cosines_of(self, doc_ids, query: np.ndarray, types=None) -> list[tuple[int, float]]:
        """(id, dot product with `query`) of the given documents that have a row (of `types`), by binary
        search of each block's ids (sorted within their block)."""
        if not len(doc_ids):
            return []
        wanted, out = np.unique(np.asarray(list(doc_ids), dtype=np.int64)), []
        for seg in self._segments():
            for type_, rows in seg.blocks.items():
                if types is not None and type_ not in types:
                    continue
                block = seg.ids[rows]
                if not len(block):
                    continue
                at = np.minimum(np.searchsorted(block, wanted), len(block) - 1)
                found = at[block[at] == wanted] + (rows.start or 0)
                if seg.dead is not None:
                    found = found[~seg.dead[found]]
                if len(found):
                    scores = _dot(seg.vectors[found], query)
                    out += [(int(seg.ids[i]), float(c)) for i, c in zip(found, scores, strict=True)]
        return out

    def _segments(self) -> list["Matrix"]:
        return [self] if self.delta is None else [self, self.delta]

    def _rows_of(self, type_: str) -> np.ndarray:
        """The vectors of a type's live rows in the order of their ids (a view when nothing changed)."""
        if self.delta is None and self.dead is None:
            return self.vectors[self.blocks[type_]] if type_ in self.blocks else self.vectors[:0]
        ids, rows = [], []
        for seg in self._segments():
            idx, _ = seg._over(seg._kept_blocks([type_], None, None), lambda r, s=seg: s.ids[r])
            ids.append(seg.ids[idx])
            rows.append(seg.vectors[idx])
        ids = np.concatenate(ids)
        return np.concatenate(rows)[np.argsort(ids, kind="stable")]

    def _kept_blocks(self, types, team_id, cycle_id) -> list[tuple[slice, np.ndarray | None]]:
        rows = [self.blocks[t] for t in sorted(set(types)) if t in self.blocks] if types else [slice(None)]
        return [self._kept(b, team_id, cycle_id) for b in rows]

    def _kept(self, rows: slice, team_id, cycle_id) -> tuple[slice, np.ndarray | None]:
        """One block and the row numbers of it that pass the team and cycle filters and are live (None:
        all of them, or all but the dead rows, which `_over` drops after computing over the whole block:
        cheaper than gathering nearly every row)."""
        if not team_id and not cycle_id:
            return rows, None
        keep = np.ones(len(self.ids[rows]), dtype=bool)
        if team_id:
            keep &= self.teams[rows] == team_id
        if cycle_id:
            keep &= self.cycles[rows] == cycle_id
        if self.dead is not None:
            keep &= ~self.dead[rows]
        return rows, np.arange(len(self.ids))[rows][keep]

    def _size(self, kept) -> int:
        total = 0
        for rows, k in kept:
            if k is not None:
                total += len(k)
            else:
                total += len(range(*rows.indices(len(self.ids))))
                if self.dead is not None:
                    total -= int(np.count_nonzero(self.dead[rows]))
        return total

    def _over(self, kept, compute) -> tuple[np.ndarray, np.ndarray]:
        """Row numbers of the kept rows and what `compute` (of rows: a slice or row numbers) gives for
        each, the dead rows left out."""
        idx, values = [], []
        for rows, k in kept:
            if k is not None:
                idx.append(k)
                values.append(compute(k))
                continue
            i, v = np.arange(len(self.ids))[rows], compute(rows)
            if self.dead is not None:
                live = ~self.dead[rows]
                i, v = i[live], v[live]
            idx.append(i)
            values.append(v)
        if not idx:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(idx), np.concatenate(values)


EXACT_ROWS = 32_000  # up to this many rows (after the filters) every row is scored: about 3 ms
CANDIDATES = 2_000  # rows scored exactly after the sign codes, at least (50 per wanted result)


def candidates(limit: int) -> int:
    return max(CANDIDATES, 50 * limit)


def sign_codes(vectors: np.ndarray) -> np.ndarray:
    """One bit per dimension (set where the value is positive), packed into 64-bit words: (words, rows),
    a word of every row after another, so that the Hamming distance reads each word's column in one go."""
    bits = np.packbits(np.asarray(vectors) > 0, axis=1)
    pad = -bits.shape[1] % 8
    if pad:
        bits = np.pad(bits, ((0, 0), (0, pad)))
    return np.ascontiguousarray(np.ascontiguousarray(bits).view(np.uint64).T)


def _hamming(codes: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Bits that differ between each row's code (`codes`: words by rows) and the query's, a word at a
    time (258,000 rows of 384 bits: about 1.6 ms)."""
    total = np.zeros(codes.shape[1], dtype=np.uint16)
    for word in range(codes.shape[0]):
        total += np.bitwise_count(codes[word] ^ code[word])
    return total


def _dot(rows: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Cosines of unit rows. einsum runs in this thread: `@` calls OpenBLAS, whose threads spin against
    the other workers on a busy machine (15 ms instead of 0.7 for the goals at M, measured)."""
    return np.einsum("ij,j->i", rows, query.astype(np.float32, copy=False))


_cache: dict[tuple[int, str], Matrix] = {}
_lock = threading.Lock()

KEEP_CHANGES = 20_000  # changes (counters) kept in `SearchChange`: a process further behind rebuilds
PRUNE_EVERY = 500  # every this many writes of an organization, its changes older than that are deleted
MERGE_ROWS = 2_000  # a delta of more rows than this is merged into a new base (a copy of the matrix)
REBUILD_ROWS = 20_000  # more documents changed than this: the matrix is read again from the table


def touch(changes) -> None:
    """Number a write of documents and give each organization's index a new token; called by every write
    of documents, in its transaction. `changes`: organization id -> the ids of the documents written or
    removed; a plain list of organization ids (a write that does not say which documents) makes every
    process rebuild the matrix."""
    if not isinstance(changes, dict):
        changes = dict.fromkeys(changes)
    for org_id, documents in changes.items():
        token = uuid.uuid4().hex
        counter = queries.advance_index(organization_id=org_id, token=token)
        if counter is None:
            states = SearchIndexState.objects.unscoped()
            _, created = states.get_or_create(organization_id=org_id, defaults={"token": token, "counter": 1})
            # made meanwhile by another transaction: this write still needs a number of its own
            counter = 1 if created else queries.advance_index(organization_id=org_id, token=token)
        doc_ids = sorted(set(documents)) if documents is not None else [None]
        SearchChange.objects.unscoped().bulk_create(
            SearchChange(organization_id=org_id, counter=counter, token=token, document_id=d) for d in doc_ids
        )
        if counter % PRUNE_EVERY == 0:
            SearchChange.objects.unscoped().filter(
                organization_id=org_id, counter__lte=counter - KEEP_CHANGES
            ).delete()


def index_state(organization_id: int) -> tuple[str, int]:
    """The organization's index token and counter; made on first read for documents stored without the
    services (the benchmark's generator)."""
    states = SearchIndexState.objects.for_org(organization_id)
    row = states.values_list("token", "counter").first()
    if row is None:
        made, _ = states.get_or_create(organization_id=organization_id, defaults={"token": uuid.uuid4().hex})
        row = (made.token, made.counter)
    return row


def index_token(organization_id: int) -> str:
    return index_state(organization_id)[0]


def matrix(organization_id: int, model: str, dimension: int, token: str | None = None) -> Matrix:
    """The organization's matrix, kept per process. A caller that read the index token already (in the
    same query as other data) passes it: when it is the kept matrix's, nothing is read. Otherwise the
    changes since the kept matrix's counter are read with the state (one query) and only the rows of the
    documents they name (one more), which replace those documents' rows (`Matrix.delta`); a process
    without a matrix maps the newest shared file and catches up from it the same way. The matrix is read
    from the table only without a usable start (none, changes pruned, a write that named no documents, an
    index made afresh) or after more than `REBUILD_ROWS` changed documents. The state is read before the
    rows: a write committed in between is in the rows, and its change is read again next time."""
    key = (organization_id, model)
    cached = _cache.get(key)
    if cached is not None and token is not None and cached.token == token:
        return cached
    start = cached if cached is not None else _from_file(organization_id, model, dimension)
    built = _caught_up(start, organization_id, model, dimension) if start is not None else None
    if built is None:
        version, counter = index_state(organization_id)
        arrays = shared.load(organization_id, model, dimension, version)
        if arrays is None:
            rows = (
                SearchVector.objects.for_org(organization_id)
                .filter(model=model, dimension=dimension)
                .order_by("document__type", "document_id")
                .values_list(
                    "document_id", "document__type", "document__team_id", "document__cycle_id", "vector"
                )
            )
            arrays = _build(rows.iterator(2000), dimension)
            arrays.update(token=version, counter=counter)
            arrays = shared.save(organization_id, model, dimension, version, arrays)
        built = _matrix(arrays)
    if built is not cached:
        with _lock:
            _cache[key] = built
    return built


def _from_file(organization_id: int, model: str, dimension: int) -> Matrix | None:
    arrays = shared.latest(organization_id, model, dimension)
    return _matrix(arrays) if arrays is not None else None


def _caught_up(m: Matrix, organization_id: int, model: str, dimension: int) -> Matrix | None:
    """`m` brought to the index's current state by the changes since its counter, or None when they cannot
    say (`matrix`)."""
    most = REBUILD_ROWS + 1  # more changes than that: read the matrix again, the changes unread
    since = m.counter or 2**62  # a matrix at counter 0 (documents stored without the services): no start
    state = queries.index_changes(organization_id=organization_id, since=since, known=m.token, most=most)
    if not state or len(state) >= most:
        return None
    token, counter, known = state[0][0], state[0][1], state[0][2]
    if token == m.token:
        return m
    # the change that made `m`'s token must still be logged: else the index was made afresh (or rolled
    # back) under the same numbers, or the changes were pruned
    if not known:
        return None
    later = [d for _, _, _, c, d in state if c is not None]
    if None in later:
        return None
    fresh = set(later)
    dead = np.isin(m.ids, np.fromiter(fresh, dtype=np.int64, count=len(fresh)))
    if m.dead is not None:
        dead |= m.dead
    if int(np.count_nonzero(dead)) + len(fresh) > REBUILD_ROWS:
        return None
    rows = (
        SearchVector.objects.for_org(organization_id)
        .filter(model=model, dimension=dimension, document_id__in=sorted(fresh))
        .values_list("document_id", "document__type", "document__team_id", "document__cycle_id", "vector")
    )
    rows = list(rows) + (_rows(m.delta, skip=fresh) if m.delta is not None else [])
    rows.sort(key=lambda r: (r[1], r[0]))
    delta = _matrix(_build(rows, dimension)) if rows else None
    caught = Matrix(
        ids=m.ids, teams=m.teams, cycles=m.cycles, vectors=m.vectors, blocks=m.blocks, codes=m.codes,
        dead=dead if dead.any() else None, delta=delta, token=token, counter=counter,
    )  # fmt: skip
    if delta is not None and len(delta.ids) > MERGE_ROWS:
        arrays = _merged(caught)
        arrays = shared.save(organization_id, model, dimension, token, arrays)
        caught = _matrix(arrays)
    return caught


def _rows(m: Matrix, skip=()) -> list[tuple]:
    """The rows of a matrix without a delta, as `_build` reads them (documents of `skip` left out)."""
    types = np.empty(len(m.ids), dtype=object)
    for type_, rows in m.blocks.items():
        types[rows] = type_
    return [
        (int(i), types[n], int(t) if t != -1 else None, int(c) if c != -1 else None, m.vectors[n].tobytes())
        for n, (i, t, c) in enumerate(zip(m.ids.tolist(), m.teams.tolist(), m.cycles.tolist(), strict=True))
        if i not in skip
    ]


def _merged(m: Matrix) -> dict:
    """The arrays of a matrix built afresh from `m`'s live rows and its delta's (rows by type, then id)."""
    parts = {}
    for seg in m._segments():
        for type_, rows in seg.blocks.items():
            idx = np.arange(len(seg.ids))[rows]
            if seg.dead is not None:
                idx = idx[~seg.dead[rows]]
            parts.setdefault(type_, []).append((seg, idx))
    ids, teams, cycles, vectors, bounds, at = [], [], [], [], [], 0
    for type_ in sorted(parts):
        block_ids = np.concatenate([seg.ids[idx] for seg, idx in parts[type_]])
        order = np.argsort(block_ids, kind="stable")
        ids.append(block_ids[order])
        teams.append(np.concatenate([seg.teams[idx] for seg, idx in parts[type_]])[order])
        cycles.append(np.concatenate([seg.cycles[idx] for seg, idx in parts[type_]])[order])
        vectors.append(np.concatenate([seg.vectors[idx] for seg, idx in parts[type_]])[order])
        bounds.append((at, at + len(order)))
        at += len(order)
    dimension = m.vectors.shape[1]
    joined = np.concatenate(vectors) if vectors else np.zeros((0, dimension), dtype=np.float32)
    return {
        "ids": np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64),
        "teams": np.concatenate(teams) if teams else np.zeros(0, dtype=np.int64),
        "cycles": np.concatenate(cycles) if cycles else np.zeros(0, dtype=np.int64),
        "block_names": np.array(sorted(parts), dtype=str),
        "block_bounds": np.array(bounds, dtype=np.int64).reshape(-1, 2),
        "vectors": joined,
        "codes": sign_codes(joined),
        "token": m.token,
        "counter": m.counter,
    }


def _build(rows, dimension: int) -> dict:
    """The arrays of the matrix from rows sorted by type; the vectors' bytes are appended to one buffer
    as the rows stream in, which becomes the array without a copy (the peak is one matrix, not three)."""
    ids, teams, cycles, blocks, buffer = [], [], [], {}, bytearray()
    for i, (doc_id, type_, team_id, cycle_id, vector) in enumerate(rows):
        ids.append(doc_id)
        teams.append(team_id or -1)
        cycles.append(cycle_id or -1)
        buffer += vector
        blocks[type_] = (blocks[type_][0] if type_ in blocks else i, i + 1)
    vectors = np.frombuffer(buffer, dtype=np.float32).reshape(len(ids), dimension)
    return {
        "ids": np.array(ids, dtype=np.int64),
        "teams": np.array(teams, dtype=np.int64),
        "cycles": np.array(cycles, dtype=np.int64),
        "block_names": np.array(list(blocks), dtype=str),
        "block_bounds": np.array(list(blocks.values()), dtype=np.int64).reshape(-1, 2),
        "vectors": vectors,
        "codes": sign_codes(vectors),
    }


def _matrix(arrays: dict) -> Matrix:
    bounds = arrays["block_bounds"].tolist()
    return Matrix(
        ids=arrays["ids"],
        teams=arrays["teams"],
        cycles=arrays["cycles"],
        vectors=arrays["vectors"],
        codes=arrays.get("codes"),
        blocks={
            str(name): slice(start, stop)
            for name, (start, stop) in zip(arrays["block_names"], bounds, strict=True)
        },
        token=str(arrays.get("token", "")),
        counter=int(arrays.get("counter", 0)),
    )
