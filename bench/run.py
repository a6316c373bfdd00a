"""Web benchmark: Charter under gunicorn on PostgreSQL, driven by wrk, against a raw-SQL floor.

    .venv/bin/python bench/run.py --size M            # about 5 minutes at M on 2 cores

Steps: a fresh PostgreSQL database `charter_bench_<size>` (dropped first), migrations, the seeded
generator (`bench/generate.py`), then Charter (`config.wsgi`, `bench.settings`: DEBUG off, a header with
the SQL queries of each request) and the floor (`bench/floor.py`) each under gunicorn with the same
workers; each endpoint gets a short warm-up, then wrk with fixed threads, connections and duration.
Results: `bench/results/web-<size>.json` and `.md` (machine, commit, date, load average).

Environment: `BENCH_POSTGRES` (the server, default postgres://postgres@127.0.0.1:5432/), `WRK` (the wrk
binary, default `wrk` on the PATH).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WORKERS = 3  # sync workers on 2 cores, as `charter serve` starts them (cores + 1; 4 was slower everywhere)
READ_P95_MS, WRITE_P95_MS, FLOOR_RATIO, MAX_QUERIES = 150, 250, 3.0, 10
L_TEAM_MAP_P95_MS = 300  # a target at size L: one team's strategy map
# p95 targets of search (issue 17): at M the page 100 ms and the API 50; at L the API 150
SEARCH_P95_MS = {"M": {"search": 100, "search API": 50}, "L": {"search API": 150}}
L_P95_MS = {"strategy map, one team": L_TEAM_MAP_P95_MS, **SEARCH_P95_MS["L"]}

LUA = r"""
local paths = %(paths)s
local method = %(method)s
local body = %(body)s
wrk.headers["Accept"] = "text/html,application/json"
%(headers)s
threads = {}
local counter = 0
function setup(thread)
  thread:set("offset", counter * 7)
  counter = counter + 1
  table.insert(threads, thread)
end
i = 0
non2xx = 0
queries = 0
max_queries = 0
responses = 0
function request()
  i = i + 1
  return wrk.format(method, paths[((i + offset) %% #paths) + 1], nil, body)
end
function response(status, headers, _)
  responses = responses + 1
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  local q = tonumber(headers["X-Bench-Queries"])
  if q then
    queries = queries + q
    if q > max_queries then max_queries = q end
  end
end
function done(summary, latency, requests)
  local n2, q, mq, r = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    n2 = n2 + t:get("non2xx")
    q = q + t:get("queries")
    r = r + t:get("responses")
    mq = math.max(mq, t:get("max_queries"))
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p95_us":%%d,"p99_us":%%d,"max_us":%%d,' ..
    '"mean_us":%%.1f,"non2xx":%%d,"socket_errors":%%d,"timeouts":%%d,"queries_total":%%d,"responses":%%d,' ..
    '"max_queries":%%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, n2, e.connect + e.read + e.write, e.timeout, q, r, mq))
end
"""


def lua_string(value: str | None) -> str:
    return "nil" if value is None else json.dumps(value)  # ASCII JSON strings are Lua strings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- endpoints ------------------------------------------------------------------------------------


def endpoints(state: dict) -> list[dict]:
    """What is measured: name, kind (read or write), auth (session or token), paths (rotated), floor."""
    c, team = state["cycle_id"], state["department_id"]
    page = 100
    offsets = range(0, max(state["cycle_goals"], 1), page)
    goal_list = [f"/api/v1/goals?cycle_id={c}&limit={page}&offset={o}" for o in offsets]
    return [
        {"name": "home", "paths": ["/"]},
        {"name": "strategy map, one team", "paths": [f"/map/?cycle={c}&team={team}"]},
        {"name": "strategy map, whole cycle", "paths": [f"/map/?cycle={c}"]},
        {"name": "goal page", "paths": [f"/goals/{g}/" for g in state["goal_ids"]]},
        {"name": "goal list page", "paths": [f"/goals/?cycle={c}"]},
        {"name": "check-in page", "paths": ["/check-in/"]},
        {"name": "decision log", "paths": ["/decisions/"]},
        {"name": "insights", "paths": ["/insights/"]},
        {"name": "search", "paths": [f"/search/?q={t}" for t in state["search_terms"]]},
        {"name": "search API", "auth": "token",
         "paths": [f"/api/v1/search?q={t}" for t in state["search_terms"]],
         "floor": [f"/search?q={t}" for t in state["search_terms"]]},
        {"name": "goal list API", "auth": "token", "paths": goal_list,
         "floor": [p.removeprefix("/api/v1") for p in goal_list]},
        {"name": "alignment tree API, one team", "auth": "token",
         "paths": [f"/api/v1/cycles/{c}/alignment-tree?team_id={team}"],
         "floor": [f"/cycles/{c}/alignment-tree?team_id={team}"]},
        {"name": "alignment tree API, whole cycle", "auth": "token",
         "paths": [f"/api/v1/cycles/{c}/alignment-tree"], "floor": [f"/cycles/{c}/alignment-tree"]},
        {"name": "check-in create API", "auth": "token", "kind": "write", "method": "POST",
         "paths": [f"/api/v1/key-results/{k}/check-ins" for k in state["key_result_ids"]],
         "body": json.dumps({"value": 42.0, "confidence": 6, "note": "From the benchmark."})},
    ]  # fmt: skip


def auth_headers(state: dict, auth: str) -> dict:
    if auth == "token":
        return {"Authorization": f"Bearer {state['token']}"}
    return {"Cookie": f"{state['session_cookie']}={state['session_key']}"}


# ---- servers --------------------------------------------------------------------------------------


class Server:
    def __init__(self, app: str, env: dict, workers: int, name: str, root: Path = ROOT):
        self.port = free_port()
        self.name = name
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - open while the server runs
            prefix=f"bench-{name}-", suffix=".log", delete=False
        )
        cmd = [GUNICORN, app, "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
               "--worker-class", "sync", "--timeout", "120", "--chdir", str(root)]  # fmt: skip
        self.process = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{name} did not start; see {self.log.name}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"{name} did not answer within 60 s; see {self.log.name}")
        while len(self.worker_pids()) < workers and time.monotonic() < deadline:
            time.sleep(0.2)

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class RssSampler(threading.Thread):
    """The peak resident memory of each worker while an endpoint runs (VmRSS every 0.2 s)."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self.peak, self.stopping = server, {}, threading.Event()

    def run(self):
        while not self.stopping.is_set():
            for pid in self.server.worker_pids():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            kb = int(line.split()[1])
                            self.peak[pid] = max(self.peak.get(pid, 0), kb)
                except OSError:
                    pass
            self.stopping.wait(0.2)

    def stop(self) -> float:
        self.stopping.set()
        self.join()
        return round(max(self.peak.values(), default=0) / 1024, 1)


def cpu_seconds(pids) -> dict[int, float]:
    """pid -> the CPU time (user and system) the process has used so far: what a request costs whatever
    the machine's load, where latency under wrk swings by a quarter from run to run on a shared machine."""
    ticks, per_second = {}, os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:  # after the command name: state is field 3, utime and stime fields 14 and 15
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks[pid] = (int(fields[11]) + int(fields[12])) / per_second
        except (OSError, IndexError):
            pass
    return ticks


def _used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings by the processes of the second (a process gone meanwhile,
    such as an autovacuum worker, is left out rather than counted negative)."""
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def postgres_pids() -> list[int]:
    """The local PostgreSQL server's processes (every backend, the benchmark's connections among them)."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "postgres":
                pids.append(int(entry.name))
        except OSError:
            pass
    return pids


class CpuMeter:
    """CPU milliseconds per request of a server's workers and of PostgreSQL over one wrk run."""

    def __init__(self, server: Server):
        self.server = server
        self.app, self.db = cpu_seconds(server.worker_pids()), cpu_seconds(postgres_pids())

    def per_request(self, requests: int) -> dict:
        app, db = cpu_seconds(self.server.worker_pids()), cpu_seconds(postgres_pids())
        if not requests:
            return {"cpu_ms": None, "db_cpu_ms": None}
        return {"cpu_ms": round(_used(self.app, app) * 1000 / requests, 2),
                "db_cpu_ms": round(_used(self.db, db) * 1000 / requests, 2)}  # fmt: skip


# ---- measuring ------------------------------------------------------------------------------------


def probe(
    base: str, path: str, method: str, headers: dict, body: str | None
) -> tuple[int, int | None, bytes]:
    request = urllib.request.Request(
        base + path, method=method, data=body.encode() if body else None,
        headers={**headers, "Content-Type": "application/json"} if body else headers,
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            queries = response.headers.get("X-Bench-Queries")
            return response.status, int(queries) if queries else None, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, None, exc.read()
    except (TimeoutError, urllib.error.URLError) as exc:  # a server drowning in queued requests
        return 0, None, str(exc).encode()


def wrk(base: str, paths: list[str], *, method: str, headers: dict, body: str | None, duration: float,
        connections: int, threads: int, workdir: Path) -> dict:  # fmt: skip
    header_lines = "\n".join(f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
    if body:
        header_lines += '\nwrk.headers["Content-Type"] = "application/json"'
    script = workdir / "script.lua"
    script.write_text(
        LUA
        % {
            "paths": "{" + ", ".join(lua_string(p) for p in paths) + "}",
            "method": lua_string(method),
            "body": lua_string(body),
            "headers": header_lines,
        }
    )
    cmd = [os.environ.get("WRK", shutil.which("wrk") or "wrk"), f"-t{threads}", f"-c{connections}",
           f"-d{int(duration)}s", "--timeout", "30s", "-s", str(script), base]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    out = done.stdout
    line = next((x for x in out.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{out}")
    return json.loads(line.removeprefix("WRKJSON "))


def summarize(raw: dict) -> dict:
    seconds = raw["duration_us"] / 1e6
    if not raw["requests"]:  # nothing finished within the run: no latency to report, only that
        raw |= dict.fromkeys(("p50_us", "p95_us", "p99_us", "max_us"), raw["duration_us"])
    return {
        "complete": bool(raw["requests"]),
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "non2xx": raw["non2xx"],
        "socket_errors": raw["socket_errors"] + raw["timeouts"],
        "queries_per_request": round(raw["queries_total"] / raw["responses"], 1)
        if raw["responses"]
        else None,
        "max_queries": raw["max_queries"],
    }


def same_json(a: bytes, b: bytes) -> bool:
    return json.loads(a) == json.loads(b)


def run_endpoint(ep: dict, state: dict, app: Server, floor: Server | None, args, workdir: Path) -> dict:
    method, body = ep.get("method", "GET"), ep.get("body")
    headers = auth_headers(state, ep.get("auth", "session"))
    status, queries, payload = probe(app.base, ep["paths"][0], method, headers, body)
    result = {"name": ep["name"], "kind": ep.get("kind", "read"), "path": ep["paths"][0],
              "paths_rotated": len(ep["paths"]), "status": status, "bytes": len(payload),
              "queries_first": queries}  # fmt: skip
    common = {"method": method, "headers": headers, "body": body, "connections": args.connections,
              "threads": args.threads, "workdir": workdir}  # fmt: skip
    wrk(app.base, ep["paths"], duration=args.warmup, **common)
    # Sync workers finish the requests the warm-up left queued; one more request waits for them.
    probe(app.base, ep["paths"][0], method, headers, body)
    sampler = RssSampler(app)
    sampler.start()
    load_before, cpu = os.getloadavg()[0], CpuMeter(app)
    result |= summarize(wrk(app.base, ep["paths"], duration=args.duration, **common))
    result |= cpu.per_request(result["requests"])
    result["peak_rss_mb"] = sampler.stop()
    result["load_1m"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    probe(app.base, ep["paths"][0], method, headers, body)  # drain before the floor runs
    if floor is not None and ep.get("floor"):
        fstatus, _, fpayload = probe(floor.base, ep["floor"][0], "GET", {}, None)
        result["floor_same_json"] = fstatus == 200 and same_json(payload, fpayload)
        wrk(floor.base, ep["floor"], duration=args.warmup, **{**common, "headers": {}})
        probe(floor.base, ep["floor"][0], "GET", {}, None)
        fsampler = RssSampler(floor)
        fsampler.start()
        fcpu = CpuMeter(floor)
        f = summarize(wrk(floor.base, ep["floor"], duration=args.duration, **{**common, "headers": {}}))
        f |= fcpu.per_request(f["requests"])
        f["peak_rss_mb"] = fsampler.stop()
        f.pop("queries_per_request"), f.pop("max_queries")
        result["floor"] = f
        result["floor_ratio_p95"] = round(result["p95_ms"] / f["p95_ms"], 2) if f["p95_ms"] else None
        result["floor_ratio_rps"] = round(f["rps"] / result["rps"], 2) if result["rps"] else None
    return result


# ---- database and data ----------------------------------------------------------------------------


def fresh_database(server: str, name: str) -> str:
    with psycopg.connect(server.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.rstrip("/") + "/" + name


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)  # fmt: skip
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True)  # fmt: skip
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem / 1024 / 1024, 1),
        "python": platform.python_version(),
        "commit": commit.stdout.strip() + ("+changes" if dirty.stdout.strip() else ""),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def markdown(report: dict) -> str:
    m, s = report["machine"], report["settings"]
    lines = [
        f"# Web benchmark, size {report['size']}",
        "",
        f"{m['date']} · commit {m['commit']} · {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB · "
        f"PostgreSQL {report['postgres']} · gunicorn {s['workers']} sync workers · "
        f"wrk {s['threads']} threads, "
        f"{s['connections']} connections, {s['duration']} s per endpoint after {s['warmup']} s warm-up · "
        f"load average before {report['load_before']}, after {report['load_after']}",
        "",
        f"Data: {report['data_summary']}. "
        + (f"Generated in {report['generate_seconds']} s." if report["generate_seconds"] else "Reused."),
        "",
        "| endpoint | p50 ms | p95 ms | p99 ms | req/s | errors | queries/req | CPU ms/req app + db "
        "| peak RSS/worker MB | floor p95 ms | floor CPU ms/req | ratio p95 | target |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in report["results"]:
        f = r.get("floor")
        errors = r["non2xx"] + r["socket_errors"]
        lines.append(
            f"| {r['name']} | {_ms(r, 'p50_ms')} | {_ms(r, 'p95_ms')} | {_ms(r, 'p99_ms')} "
            f"| {r['rps']} | {errors} "
            f"| {r['queries_per_request']} | {_cpu(r)} | {r['peak_rss_mb']} | {f['p95_ms'] if f else ''} "
            f"| {_cpu(f) if f else ''} | {r.get('floor_ratio_p95') or ''} | {r.get('verdict', '')} |"
        )
    lines += [
        "",
        "Errors are non-2xx answers plus socket errors and timeouts. CPU ms/req: the CPU time of the "
        "workers and of PostgreSQL over the run, per request (steadier than latency on a shared machine). "
        "Floor: the same JSON from raw SQL and orjson in a plain WSGI app "
        "under the same gunicorn settings (`bench/floor.py`; search: the same work, its own ranking); "
        + ", ".join(
            f"{r['name']}: same JSON {r['floor_same_json']}" for r in report["results"] if "floor" in r
        )
        + ". Targets (size M, 2 cores, 16 connections): reads p95 ≤ 150 ms, writes p95 ≤ 250 ms, "
        "tree and list endpoints ≤ 3× their floor, at most 10 queries per request; at size L, one team's "
        "strategy map p95 ≤ 300 ms.",
        "",
    ]
    return "\n".join(lines)


def _ms(r: dict, key: str) -> str:
    """A latency, or "> run" when not one request finished within the run."""
    return str(r[key]) if r["complete"] else f"> {r[key]:.0f}"


def _cpu(r: dict) -> str:
    """The app's and PostgreSQL's CPU milliseconds per request ("6.1 + 2.3")."""
    return f"{r['cpu_ms']} + {r['db_cpu_ms']}" if r.get("cpu_ms") is not None else ""


def verdict(r: dict, size: str) -> str:
    """The targets' verdict: at size M (and S) every target; at L only one team's map and the search API
    have one."""
    if size == "L" and r["name"] not in L_P95_MS:
        return "(targets at M)"
    misses = []
    limit = WRITE_P95_MS if r["kind"] == "write" else READ_P95_MS
    limit = SEARCH_P95_MS.get(size, {}).get(r["name"], limit)
    if size == "L":
        limit = L_P95_MS[r["name"]]
    if r["p95_ms"] > limit:
        misses.append(f"p95 > {limit}")
    if (r["queries_per_request"] or 0) > MAX_QUERIES or r["max_queries"] > MAX_QUERIES:
        misses.append(f"queries > {MAX_QUERIES}")
    if r.get("floor_ratio_p95") and r["floor_ratio_p95"] > FLOOR_RATIO:
        misses.append(f"> {FLOOR_RATIO:g}× floor")
    if not r["complete"]:
        misses.append("no request finished")
    if r["non2xx"] or r["socket_errors"] or r["status"] >= 300:
        misses.append("errors")
    return "ok" if not misses else "miss: " + ", ".join(misses)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=["S", "M", "L"], default="S")
    parser.add_argument("--duration", type=int, help="Seconds of wrk per endpoint (S 5, M 10, L 15).")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--reuse", action="store_true", help="Keep the database of an earlier run (no generating)."
    )
    parser.add_argument(
        "--only",
        help="Comma-separated parts of endpoint names: run only the endpoints they name (default: all).",
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    args.duration = args.duration or {"S": 5, "M": 10, "L": 15}[args.size]
    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/")
    name = f"charter_bench_{args.size.lower()}"
    workdir = Path(tempfile.mkdtemp(prefix="charter-bench-"))
    state_file = workdir / "state.json"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    started = time.monotonic()
    if args.reuse:
        env["DATABASE_URL"] = server.rstrip("/") + "/" + name
        saved = RESULTS / f".state-{args.size}.json"
        state = json.loads(saved.read_text())
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    else:
        env["DATABASE_URL"] = fresh_database(server, name)
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PYTHON, "bench/generate.py", "--size", args.size, "--seed", str(args.seed),
                        "--out", str(state_file)], cwd=ROOT, env=env, check=True)  # fmt: skip
        state = json.loads(state_file.read_text())
        (RESULTS / f".state-{args.size}.json").write_text(json.dumps(state))
    generate_seconds = None if args.reuse else round(time.monotonic() - started, 1)
    env["FLOOR_ORGANIZATION_ID"] = str(state["organization_id"])
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    app = Server("config.wsgi:application", env, args.workers, "charter")
    floor = Server("bench.floor:application", env, args.workers, "floor")
    # Names contain commas ("strategy map, one team"): an endpoint runs when any part names some of it.
    only = [n.strip() for n in args.only.split(",") if n.strip()] if args.only else None
    results = []
    try:
        for ep in endpoints(state):
            if only and not any(part in ep["name"] for part in only):
                continue
            r = run_endpoint(ep, state, app, floor, args, workdir)
            r["verdict"] = verdict(r, args.size)
            results.append(r)
            print(json.dumps(r), flush=True)
    finally:
        app.stop()
        floor.stop()
    rows = state["rows"]
    report = {
        "size": args.size,
        "machine": machine(),
        "postgres": postgres,
        "settings": {
            "workers": args.workers,
            "threads": args.threads,
            "connections": args.connections,
            "duration": args.duration,
            "warmup": args.warmup,
        },  # fmt: skip
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "generate_seconds": generate_seconds,
        "rows": rows,
        "data_summary": (
            f"{rows.get('User', 0) + 1:,} people, {rows.get('Team', 0):,} teams, "
            f"{rows.get('Goal', 0):,} goals, "
            f"{rows.get('KeyResult', 0):,} key results, {rows.get('CheckIn', 0):,} check-ins, "
            f"{rows.get('Decision', 0):,} decisions; the current cycle has {state['cycle_goals']:,} goals, "
            f"the measured team's subtree {state['department_goals']:,}"
        ),
        "results": results,
    }
    # A run of some endpoints (--only) is written too; its table lists only those.
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"web-{args.size}.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.results / f"web-{args.size}.md").write_text(markdown(report))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
