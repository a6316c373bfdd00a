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
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from . import shared
from .models import SearchIndexState, SearchVector


def pack(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def unpack(data: bytes, dimension: int) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32, count=dimension)


@dataclass
class Matrix:
    """The vectors of one organization and one model, with what the filters need.

    Rows are grouped by type (`blocks`: type -> its rows), so a search of some types multiplies only
    their rows: the similar goals read 5,000 of 26,000 rows at size M."""

    ids: np.ndarray  # SearchDocument ids
    teams: np.ndarray  # -1 for none
    cycles: np.ndarray
    vectors: np.ndarray  # (n, dimension), unit rows
    blocks: dict = field(default_factory=dict)  # type -> slice of its rows (rows sorted by type)
    codes: np.ndarray | None = None  # (words, n) uint64: the sign bits of each row (`sign_codes`)
    means: dict = field(default_factory=dict)  # type -> the mean of its rows, made on first use

    def nearest(self, query: np.ndarray, *, limit: int, types=None, team_id=None, cycle_id=None, exact=False):
        """(document id, score) of the `limit` rows of the filters whose dot product with `query` is
        highest (the cosine for a unit query), best first (ties by id). `exact`: score every row, also
        above `EXACT_ROWS` (a query that is not a text's vector, whose signs say little)."""
        rows = [self.blocks[t] for t in sorted(set(types)) if t in self.blocks] if types else [slice(None)]
        if not rows:
            return []
        kept = [self._kept(b, team_id, cycle_id) for b in rows]
        total = sum(len(range(*b.indices(len(self.ids)))) if k is None else len(k) for b, k in kept)
        if total > EXACT_ROWS and self.codes is not None and not exact:
            idx = self._candidates(query, kept, candidates(limit))
            scores = _dot(self.vectors[idx], query)
        else:
            scored = [self._scores(query, b, k) for b, k in kept]
            idx = np.concatenate([i for i, _ in scored])
            scores = np.concatenate([s for _, s in scored])
        if not len(idx):
            return []
        top = min(limit, len(scores))
        best = np.argpartition(-scores, top - 1)[:top]
        best = best[np.lexsort((self.ids[idx[best]], -scores[best]))]
        return [(int(self.ids[idx[i]]), float(scores[i])) for i in best]

    def mean(self, type_: str) -> np.ndarray | None:
        """The mean of the rows of a type (None when it has none), kept with the matrix."""
        if type_ not in self.means:
            rows = self.vectors[self.blocks[type_]] if type_ in self.blocks else self.vectors[:0]
            self.means[type_] = rows.mean(axis=0, dtype=np.float64).astype(np.float32) if len(rows) else None
        return self.means[type_]

    def count(self, type_: str) -> int:
        return len(self.ids[self.blocks[type_]]) if type_ in self.blocks else 0

    def cosines(self, type_: str, doc_ids, query: np.ndarray) -> dict[int, float]:
        """The dot product of each document of a type with `query` (documents not in it left out)."""
        rows = self.blocks.get(type_)
        if rows is None:
            return {}
        ids = self.ids[rows]
        hits = np.flatnonzero(np.isin(ids, np.asarray(list(doc_ids), dtype=np.int64)))
        scores = _dot(self.vectors[rows][hits], query)
        return {int(ids[i]): float(s) for i, s in zip(hits, scores, strict=True)}

    def _kept(self, rows: slice, team_id, cycle_id) -> tuple[slice, np.ndarray | None]:
        """One block and the row numbers of it that pass the team and cycle filters (None: all of them)."""
        if not team_id and not cycle_id:
            return rows, None
        keep = np.ones(len(self.ids[rows]), dtype=bool)
        if team_id:
            keep &= self.teams[rows] == team_id
        if cycle_id:
            keep &= self.cycles[rows] == cycle_id
        return rows, np.arange(len(self.ids))[rows][keep]

    def _scores(self, query, rows: slice, kept) -> tuple[np.ndarray, np.ndarray]:
        """Row numbers and cosines of the rows of one block that pass the filters."""
        if kept is None:
            return np.arange(len(self.ids))[rows], _dot(self.vectors[rows], query)
        return kept, _dot(self.vectors[kept], query)

    def _candidates(self, query, kept, count: int) -> np.ndarray:
        """Row numbers, in order, of at least `count` rows of the filters whose sign codes are nearest
        the query's (every row as near as the `count`th goes in: no arbitrary cut among equals)."""
        code = sign_codes(query[None, :])[:, 0]
        idx, distances = [], []
        for rows, k in kept:
            idx.append(np.arange(len(self.ids))[rows] if k is None else k)
            distances.append(_hamming(self.codes[:, rows] if k is None else self.codes[:, k], code))
        idx, distances = np.concatenate(idx), np.concatenate(distances)
        if len(idx) <= count:
            return idx
        cut = np.searchsorted(np.cumsum(np.bincount(distances)), count)  # the `count`th nearest distance
        return idx[distances <= cut]


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


_cache: dict[tuple[int, str], tuple[str, Matrix]] = {}
_lock = threading.Lock()


def touch(organization_ids: Iterable[int]) -> None:
    """Give each organization's index a new token; called by every write of documents, in its transaction."""
    states = SearchIndexState.objects.unscoped()
    for org_id in set(organization_ids):
        if states.filter(organization_id=org_id).update(token=uuid.uuid4().hex):
            continue
        _, created = states.get_or_create(organization_id=org_id, defaults={"token": uuid.uuid4().hex})
        if not created:  # made meanwhile by another transaction: this write still needs a token of its own
            states.filter(organization_id=org_id).update(token=uuid.uuid4().hex)


def index_token(organization_id: int) -> str:
    """The organization's index token; made on first read for documents stored without the services
    (the benchmark's generator)."""
    states = SearchIndexState.objects.for_org(organization_id)
    token = states.values_list("token", flat=True).first()
    if token is None:
        made, _ = states.get_or_create(organization_id=organization_id, defaults={"token": uuid.uuid4().hex})
        token = made.token
    return token


def matrix(organization_id: int, model: str, dimension: int, token: str | None = None) -> Matrix:
    """The cached matrix, rebuilt when the index token has changed. The token is read before the rows: a
    write committed in between is in the rows, and its new token makes the next request rebuild. A caller
    that read the token already (in the same query as other data) passes it."""
    version = token or index_token(organization_id)
    key = (organization_id, model)
    cached = _cache.get(key)
    if cached and cached[0] == version:
        return cached[1]
    arrays = shared.load(organization_id, model, dimension, version)
    if arrays is None:
        rows = (
            SearchVector.objects.for_org(organization_id)
            .filter(model=model, dimension=dimension)
            .order_by("document__type", "document_id")
            .values_list("document_id", "document__type", "document__team_id", "document__cycle_id", "vector")
        )
        arrays = shared.save(
            organization_id, model, dimension, version, _build(rows.iterator(2000), dimension)
        )
    built = _matrix(arrays)
    with _lock:
        _cache[key] = (version, built)
    return built


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
    )
