"""Two versions of Charter measured side by side, endpoint by endpoint, alternating (issue 16's before and
after): both served at once by gunicorn against the same benchmark database, and for each endpoint wrk
runs on one, then the other, `--rounds` times, the order swapped each round. The machine's speed drifts
by a quarter over minutes here (the same code's p95 and CPU per request, five minutes apart), so runs
of whole benchmarks one after the other compare the drift as much as the code; alternating per endpoint
puts both versions in the same minute.

    .venv/bin/python bench/compare.py --size M --against /tmp/older-checkout
    .venv/bin/python bench/compare.py --size M --against ../before --only "map,goal page" --rounds 4

Uses the database and state of an earlier `bench/run.py` run. The other checkout needs its own
dependencies importable by this venv's gunicorn (a worktree of this repository at an older commit).
Prints a Markdown table (medians over the rounds: p95, requests/s, CPU ms per request of the workers and
of PostgreSQL, queries per request) and writes it to `bench/results/compare-<size>.md`.
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from run import (
    PYTHON,
    RESULTS,
    ROOT,
    WORKERS,
    CpuMeter,
    Server,
    auth_headers,
    endpoints,
    machine,
    probe,
    summarize,
    wrk,
)


def measure(server: Server, ep: dict, paths: list[str], state: dict, args, workdir: Path) -> dict:
    method, body = ep.get("method", "GET"), ep.get("body")
    headers = auth_headers(state, ep.get("auth", "session"))
    common = {"method": method, "headers": headers, "body": body, "connections": args.connections,
              "threads": args.threads, "workdir": workdir}  # fmt: skip
    wrk(server.base, paths, duration=args.warmup, **common)
    probe(server.base, paths[0], method, headers, body)  # the warm-up's queued requests are done
    cpu = CpuMeter(server)
    result = summarize(wrk(server.base, paths, duration=args.duration, **common))
    result |= cpu.per_request(result["requests"])
    probe(server.base, paths[0], method, headers, body)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=["S", "M", "L"], default="M")
    parser.add_argument("--against", type=Path, required=True, help="The other version's checkout.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", help="Comma-separated parts of endpoint names (default: all).")
    args = parser.parse_args(argv)
    other = args.against.resolve()
    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/")
    state = json.loads((RESULTS / f".state-{args.size}.json").read_text())
    database = server.rstrip("/") + f"/charter_bench_{args.size.lower()}"
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": database}
    commits = {}
    for name, root in (("this", ROOT), ("other", other)):
        commits[name] = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                                       capture_output=True, text=True).stdout.strip()  # fmt: skip
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=base_env, check=True)
    servers = {
        name: Server("config.wsgi:application", {**base_env, "PYTHONPATH": str(root)}, WORKERS, name, root)
        for name, root in (("other", other), ("this", ROOT))
    }
    only = [n.strip() for n in args.only.split(",") if n.strip()] if args.only else None
    workdir, rows = Path(tempfile.mkdtemp(prefix="charter-compare-")), []
    try:
        for ep in endpoints(state):
            if only and not any(part in ep["name"] for part in only):
                continue
            runs = {"other": [], "this": []}
            for n in range(args.rounds):
                for name in ("other", "this") if n % 2 == 0 else ("this", "other"):
                    runs[name].append(measure(servers[name], ep, ep["paths"], state, args, workdir))
            rows.append((ep["name"], runs))
            print(ep["name"], json.dumps({k: [r["p95_ms"] for r in v] for k, v in runs.items()}), flush=True)
    finally:
        for s in servers.values():
            s.stop()
    table = report(rows, commits, args)
    print(table)
    (RESULTS / f"compare-{args.size}.md").write_text(table)
    return 0


def _median(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def report(rows, commits, args) -> str:
    m = machine()
    lines = [
        f"# {commits['other']} (before) against {commits['this']} (after), size {args.size}",
        "",
        f"{m['date']} · {m['cores']} cores ({m['cpu']}) · {args.rounds} rounds per endpoint, alternating, "
        f"{args.duration} s of wrk each after {args.warmup} s warm-up, {args.connections} connections · "
        "medians over the rounds",
        "",
        "| endpoint | p95 ms before | after | Δ | CPU ms/req before (app + db) | after | Δ | queries/req |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, runs in rows:
        b, a = runs["other"], runs["this"]
        p95 = _median(b, "p95_ms"), _median(a, "p95_ms")
        cpu_b = _median(b, "cpu_ms"), _median(b, "db_cpu_ms")
        cpu_a = _median(a, "cpu_ms"), _median(a, "db_cpu_ms")
        total_b, total_a = sum(x or 0 for x in cpu_b), sum(x or 0 for x in cpu_a)
        lines.append(
            f"| {name} | {p95[0]} | {p95[1]} | {100 * (p95[1] / p95[0] - 1):+.0f}% "
            f"| {cpu_b[0]} + {cpu_b[1]} | {cpu_a[0]} + {cpu_a[1]} "
            f"| {100 * (total_a / total_b - 1):+.0f}% | {_median(b, 'queries_per_request')} / "
            f"{_median(a, 'queries_per_request')} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
