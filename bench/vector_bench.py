"""The meaning half of search at size L, in process: `vectors.Matrix.nearest` over 258,303 rows of 384
dimensions, every row scored (the full scan) against the sign codes' candidates scored exactly, and how
often the two give the same top 10.

    .venv/bin/python bench/vector_bench.py            # about a minute; prints JSON

Two sets of vectors: random unit vectors (the benchmark's generator writes these; no topics, the worst case
for the codes) and vectors in 400 topics, as text embeddings are (a topic's centre plus noise; a query near
one topic). No database: the matrix is built as `vectors.matrix` builds it.
"""

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

ROWS, DIM, QUERIES, LIMIT = 258_303, 384, 60, 60  # the search page's pool: 3 x 20 hits
TYPES = {"decision": 6_666, "goal": 50_000, "idea": 2_000}  # the rest key results, as at size L


def _rows(kind: str, rng) -> tuple[np.ndarray, np.ndarray]:
    if kind == "random":
        vectors = rng.standard_normal((ROWS, DIM), dtype=np.float32)
        centres = None
    else:
        centres = rng.standard_normal((400, DIM), dtype=np.float32)
        centres /= np.linalg.norm(centres, axis=1, keepdims=True)
        noise = rng.standard_normal((ROWS, DIM), dtype=np.float32) * np.float32(1.3 / np.sqrt(DIM))
        vectors = centres[rng.integers(0, len(centres), ROWS)] + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors, centres


def _matrix(vectors):
    from charter.search import vectors as v

    names = [*TYPES, "key_result"]
    counts = [*TYPES.values(), ROWS - sum(TYPES.values())]
    bounds = np.cumsum([0, *counts])
    arrays = {
        "ids": np.arange(1, ROWS + 1, dtype=np.int64),
        "teams": np.full(ROWS, -1, dtype=np.int64),
        "cycles": np.full(ROWS, -1, dtype=np.int64),
        "block_names": np.array(names, dtype=str),
        "block_bounds": np.stack([bounds[:-1], bounds[1:]], axis=1),
        "vectors": vectors,
        "codes": v.sign_codes(vectors),
    }
    return v._matrix(arrays)


def _ms(times) -> dict:
    return {
        "p50_ms": round(float(np.percentile(times, 50)), 2),
        "p95_ms": round(float(np.percentile(times, 95)), 2),
    }


def run(kind: str) -> dict:
    import django

    django.setup()
    from charter.search import vectors as v

    rng = np.random.default_rng(17)
    rows, centres = _rows(kind, rng)
    m = _matrix(rows)
    result = {}
    for types, name in [(None, "every type"), (["goal"], "goals (similar goals)")]:
        scan, codes, same, overlap = [], [], 0, 0
        for _ in range(QUERIES):
            q = rng.standard_normal(DIM).astype(np.float32) * np.float32(0.08)
            if centres is not None:
                q += centres[rng.integers(len(centres))]
            q /= np.linalg.norm(q)
            start = time.perf_counter()
            full = m.nearest(q, limit=LIMIT, types=types, exact=True)
            scan.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            fast = m.nearest(q, limit=LIMIT, types=types)
            codes.append((time.perf_counter() - start) * 1000)
            a, b = [d for d, _ in full[:10]], [d for d, _ in fast[:10]]
            same += a == b
            overlap += len(set(a) & set(b))
        result[name] = {
            "full scan": _ms(scan),
            "sign codes": _ms(codes),
            "same top 10": f"{same}/{QUERIES}",
            "top-10 overlap": round(overlap / (10 * QUERIES), 3),
            "exact rows": v.EXACT_ROWS,
        }
    return result


if __name__ == "__main__":
    print(json.dumps({kind: run(kind) for kind in ("topics", "random")}, indent=1))
