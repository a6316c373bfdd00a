"""What a search costs at a size, in process (issue 17, speed): per request the process's CPU time (the
app's own work, steadier than wall time on a shared machine) and the wall time spent in SQL, for the
search page and the search API; and, with `--writes N`, how long the first `vectors.matrix` after a write
takes (a write: one goal's vector written again with the same bytes and `vectors.touch`, committed, as the
services do; the benchmark's data stays as it was).

    .venv/bin/python bench/search_costs.py --size M --requests 150
    .venv/bin/python bench/search_costs.py --size M --writes 30
    .venv/bin/python bench/search_costs.py --size M --root /tmp/older-checkout   # another version's code

Uses the database and state of an earlier `bench/run.py` run (`charter_bench_<size>`), as `hotspots.py`.
Compare versions in the same sitting, alternating runs.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=["S", "M", "L"], default="M")
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--writes", type=int, default=0)
    parser.add_argument("--root", type=Path, default=ROOT, help="The checkout whose code runs.")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    sys.path.insert(0, str(root))
    os.chdir(root)
    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/")
    os.environ["DATABASE_URL"] = server.rstrip("/") + f"/charter_bench_{args.size.lower()}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from bench.run import auth_headers

    state = json.loads((ROOT / "bench" / "results" / f".state-{args.size}.json").read_text())
    client = Client(raise_request_exception=True, HTTP_HOST="127.0.0.1")
    client.cookies[state["session_cookie"]] = state["session_key"]
    api = {"HTTP_AUTHORIZATION": auth_headers(state, "token")["Authorization"]}
    terms = state["search_terms"]
    if args.writes:
        return _writes(args.writes, state, client, api)
    for term in terms:  # warm: the matrix, the query vectors, templates
        client.get(f"/search/?q={term}")
        client.get(f"/api/v1/search?q={term}", **api)
    in_sql = [0.0]

    def measure(execute, *a):
        started = time.perf_counter()
        try:
            return execute(*a)
        finally:
            in_sql[0] += time.perf_counter() - started

    with connection.execute_wrapper(measure):
        for name, path, extra in (("page", "/search/?q=", {}), ("API", "/api/v1/search?q=", api)):
            cpu, sql = [], []
            for i in range(args.requests):
                in_sql[0] = 0.0
                started = time.process_time()
                response = client.get(path + terms[i % len(terms)], **extra)
                cpu.append((time.process_time() - started) * 1000)
                sql.append(in_sql[0] * 1000)
                assert response.status_code == 200, response.status_code
            cpu_ms = f"CPU median {statistics.median(cpu):.2f} ms (mean {statistics.mean(cpu):.2f})"
            print(
                f"search {name}: {cpu_ms}, SQL wall median {statistics.median(sql):.2f} ms, "
                f"{args.requests} requests"
            )
    return 0


def _writes(count: int, state: dict, client, api) -> int:
    from django.db import transaction

    from charter.search import embedder, vectors
    from charter.search.models import SearchVector

    org = state["organization_id"]
    name, dimension = embedder.identity()
    client.get("/api/v1/search?q=support", **api)
    rows = SearchVector.objects.for_org(org).order_by("document_id").values_list("document_id", "vector")
    docs = list(rows[:5000:250])
    times = []
    for i in range(count):
        doc_id, vector = docs[i % len(docs)]
        with transaction.atomic():
            SearchVector.objects.for_org(org).filter(document_id=doc_id).update(vector=vector)
            vectors.touch({org: [doc_id]})
        started = time.perf_counter()
        vectors.matrix(org, name, dimension)
        times.append((time.perf_counter() - started) * 1000)
    print(f"matrix after a write: median {statistics.median(times):.1f} ms, first {times[0]:.1f}, "
          f"max {max(times):.1f}, {count} writes")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
