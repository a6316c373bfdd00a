"""Brute-force cosine over an organization's vectors, cached per process until the index changes."""

import threading
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max

from .models import SearchDocument


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


def matrix(organization_id: int, model: str, dimension: int) -> Matrix:
    """The cached matrix, rebuilt when the index version (row count, last update) has moved."""
    version = tuple(_docs(organization_id, model).aggregate(n=Count("id"), at=Max("updated_at")).values())
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
