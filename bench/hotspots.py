"""Profile one benchmark endpoint in process: time per request, its SQL queries, and the hottest functions.

    .venv/bin/python bench/hotspots.py --size M "goal page"            # after bench/run.py made the data
    .venv/bin/python bench/hotspots.py --size M "home" --sql --top 40
    .venv/bin/python bench/hotspots.py --size M "goal page" --time   # unprofiled ms per request, SQL share
    .venv/bin/python bench/hotspots.py --size L insights --time --cold --requests 3   # figures computed

Uses the database and state of an earlier `bench/run.py` run (`charter_bench_<size>`), the same settings
(`bench.settings`) and the same paths, through Django's test client (no server, no network): what it
reports is the application's own cost, the one to cut when an endpoint misses its target.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("endpoint", help="Part of an endpoint's name, as in bench/run.py --only.")
    parser.add_argument("--size", choices=["S", "M", "L"], default="M")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true", help="Print the SQL of one request.")
    parser.add_argument(
        "--time",
        action="store_true",
        help="No profile: milliseconds per request over --requests (default 40 here), and how many of them"
        " the SQL took (sending, PostgreSQL's work, reading the rows); the rest is Python.",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="Empty the stored insights figures before each request, as any audited write outdates them.",
    )
    args = parser.parse_args(argv)

    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/")
    os.environ["DATABASE_URL"] = server.rstrip("/") + f"/charter_bench_{args.size.lower()}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from bench.run import RESULTS, auth_headers, endpoints

    state = json.loads((RESULTS / f".state-{args.size}.json").read_text())
    ep = next(e for e in endpoints(state) if args.endpoint in e["name"])
    headers = auth_headers(state, ep.get("auth", "session"))
    client = Client(raise_request_exception=True, HTTP_HOST="127.0.0.1")
    if "Cookie" in headers:
        client.cookies[state["session_cookie"]] = state["session_key"]
    extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Cookie"}

    def call(i: int):
        if args.cold:
            from charter.insights.models import StoredFigures

            StoredFigures.objects.unscoped().delete()
        path = ep["paths"][i % len(ep["paths"])]
        if ep.get("method") == "POST":
            return client.post(path, ep["body"], content_type="application/json", **extra)
        return client.get(path, **extra)

    first = call(0)  # warm: imports, template loading, caches
    sql = []

    def record(execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            sql.append((time.perf_counter() - started, statement))

    with connection.execute_wrapper(record):
        call(1)
    if args.time:
        return _time(ep["name"], call, args.requests if args.requests != 10 else 40, connection)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for i in range(args.requests):
        call(i + 2)
    profiler.disable()
    per_request = (time.perf_counter() - started) / args.requests * 1000
    print(f"{ep['name']}: status {first.status_code}, {len(first.content):,} bytes, "
          f"{len(sql)} queries, {per_request:.1f} ms per request (profiled)")  # fmt: skip
    if args.sql:
        for seconds, statement in sql:
            print(f"  {seconds * 1000:7.1f} ms  {statement[:300]}")
    pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(args.top)
    return 0


def _time(name: str, call, requests: int, connection) -> int:
    in_sql = 0.0

    def measure(execute, *args):
        nonlocal in_sql
        started = time.perf_counter()
        try:
            return execute(*args)
        finally:
            in_sql += time.perf_counter() - started

    with connection.execute_wrapper(measure):
        started = time.perf_counter()
        for i in range(requests):
            call(i + 2)
        total = (time.perf_counter() - started) / requests * 1000
    sql = in_sql / requests * 1000
    python = total - sql
    print(f"{name}: {total:.1f} ms a request, SQL {sql:.1f} ms, Python {python:.1f} ms, {requests} requests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
