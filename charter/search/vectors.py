"""Brute-force cosine over an organization's vectors, cached per process until the index changes."""

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .models import SearchDocument, SearchIndexState


def pack(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def unpack(data: bytes, dimension: int) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32, count=dimension)


@dataclass
class Matrix:
    """The vectors of one organization and one model, with what the filters need."""

    ids: np.ndarray  # SearchDocument ids
    types: np.ndarray
    teams: np.ndarray  # -1 for none
    cycles: np.ndarray
    vectors: np.ndarray  # (n, dimension), unit rows

    def nearest(self, query: np.ndarray, *, limit: int, mask: np.ndarray | None = None):
        """(document id, cosine) of the `limit` closest rows, best first."""
        if not len(self.ids):
            return []
        scores = self.vectors @ query
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        top = min(limit, len(scores))
        idx = np.argpartition(-scores, top - 1)[:top]
        idx = idx[np.argsort(-scores[idx])]
        return [(int(self.ids[i]), float(scores[i])) for i in idx if np.isfinite(scores[i])]

    def mask(self, *, types=None, team_id=None, cycle_id=None) -> np.ndarray | None:
        m = np.ones(len(self.ids), dtype=bool)
        if types:
            m &= np.isin(self.types, list(types))
        if team_id:
            m &= self.teams == team_id
        if cycle_id:
            m &= self.cycles == cycle_id
        return m


_cache: dict[tuple[int, str], tuple[tuple, Matrix]] = {}
_lock = threading.Lock()


def _docs(organization_id: int, model: str):
    return SearchDocument.objects.for_org(organization_id).filter(model=model, vector__isnull=False)


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
        token = states.get_or_create(organization_id=organization_id, defaults={"token": uuid.uuid4().hex})[
            0
        ].token
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
    rows = list(
        _docs(organization_id, model)
        .filter(dimension=dimension)
        .values_list("id", "type", "team_id", "cycle_id", "vector")
    )
    built = Matrix(
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        types=np.array([r[1] for r in rows], dtype=object),
        teams=np.array([r[2] or -1 for r in rows], dtype=np.int64),
        cycles=np.array([r[3] or -1 for r in rows], dtype=np.int64),
        vectors=np.vstack([unpack(r[4], dimension) for r in rows])
        if rows
        else np.zeros((0, dimension), dtype=np.float32),
    )
    with _lock:
        _cache[key] = (version, built)
    return built
