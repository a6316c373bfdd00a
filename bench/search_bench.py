"""Search benchmark: brute-force cosine latency over 100,000 vectors, and embedding throughput.

Run with `make bench` (or `.venv/bin/python bench/search_bench.py`). Prints JSON and appends a Markdown line
to `bench/results/search.md`. Latency uses random unit vectors (the cost does not depend on what they mean);
throughput embeds real goal-like texts with the packaged all-MiniLM-L6-v2 in batches of 32.
"""

import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

ITEMS, DIM, QUERIES, TOP = 100_000, 384, 500, 20
TEXTS = [
    "Reduce churn to 3%", "Hire five senior engineers by June", "Pass the SOC 2 audit",
    "Shorten new user onboarding to one day", "Introduce a premium pricing tier",
    "Cut page load time below one second", "Switch data centers to renewable energy",
    "Keep the developer guide up to date", "Close 40 enterprise deals", "Reduce employee burnout",
    "Build a dashboard of weekly metrics", "Answer support tickets within 4 hours",
]  # fmt: skip


def latency() -> dict:
    """p50/p95 of one query against ITEMS vectors: matrix product, top-k partition, sort."""
    rng = np.random.default_rng(7)
    matrix = rng.normal(size=(ITEMS, DIM)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    queries = rng.normal(size=(QUERIES, DIM)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    times = []
    for q in queries:
        start = time.perf_counter()
        scores = matrix @ q
        idx = np.argpartition(-scores, TOP - 1)[:TOP]
        idx[np.argsort(-scores[idx])]
        times.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": float(np.percentile(times, 50)), "p95_ms": float(np.percentile(times, 95))}


def throughput() -> dict:
    import django

    django.setup()
    from charter.search.embedder import BATCH, get_embedder

    emb = get_embedder()
    if emb is None:
        return {"texts_per_s": None, "model": None}
    texts = [f"{t} ({i})" for i in range(40) for t in TEXTS]  # 480 texts
    emb.embed(texts[:BATCH])  # warm up
    start = time.perf_counter()
    emb.embed(texts)
    return {"texts_per_s": len(texts) / (time.perf_counter() - start), "model": emb.name, "batch": BATCH}


def main() -> None:
    result = {"items": ITEMS, "dimension": DIM, "queries": QUERIES, **latency(), **throughput()}
    result["machine"] = f"{platform.machine()}, {os.cpu_count()} CPUs"
    print(json.dumps(result, indent=2))
    rate = f"{result['texts_per_s']:.0f} texts/s" if result["texts_per_s"] else "no model"
    line = (
        f"- {datetime.now(UTC):%Y-%m-%d}: {ITEMS:,} × {DIM} vectors, search p50 {result['p50_ms']:.1f} ms, "
        f"p95 {result['p95_ms']:.1f} ms; embedding {rate} "
        f"(batch 32, {result['model']}, {result['machine']})\n"
    )
    out = ROOT / "bench" / "results" / "search.md"
    if not out.exists():
        out.write_text("# Search benchmark\n\n")
    with out.open("a") as f:
        f.write(line)


if __name__ == "__main__":
    main()
