"""Fault benchmark: PostgreSQL restarted under load; no acknowledged check-in may be lost.

    .venv/bin/python bench/faults_pg_restart.py            # about a minute; writes bench/results/faults.md

Steps: a private PostgreSQL cluster (initdb into a temporary folder, a free port, `pg_ctl`; the shared
server is never touched), Charter migrated onto it and served by gunicorn (`charter serve`), then client
threads post check-ins through the API in a loop, recording every answer. Midway the cluster is
restarted (`pg_ctl restart -m fast`). Charter is not restarted. Afterwards:

- every acknowledged check-in (201 with its id) must be in the database;
- errors may only come from requests in flight during the restart window (sent before the cluster was
  back, answered after it went down);
- every request sent after the cluster is back must succeed (full service without restarting Charter);
- a request that failed because the database went away answers 503 with Retry-After, never 500.

Run as root, the cluster's commands run as the `postgres` user (initdb refuses root).
Environment: `PG_BIN` (PostgreSQL's binaries, default the first `pg_ctl` found on PATH or in
the Debian/Ubuntu layout), `FAULT_SECONDS_BEFORE` / `FAULT_SECONDS_AFTER` (load around the restart),
`FAULT_SERVER_LOG` (a file for Charter's error log; none by default).
"""

from __future__ import annotations

import argparse
import glob
import http.client
import json
import os
import platform
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CHARTER = str(Path(sys.executable).with_name("charter"))

WORLD = """
import json
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_org
owner = make_org("Acme")
kr = make_key_result(owner, make_goal(owner, make_cycle(owner, "2026 Q4"), "Grow"), "Users", target=10**9)
print(json.dumps({"key_result_id": kr.pk, "token": token_create(actor=owner, name="faults")[1]}))
"""


def pg_bin() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not candidates:
        sys.exit("No PostgreSQL binaries found; set PG_BIN to the folder holding initdb and pg_ctl.")
    return Path(candidates[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder, on its own port."""

    def __init__(self):
        self.bin = pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="charter-pgfault-"))
        self.data, self.log = self.dir / "data", self.dir / "postgres.log"
        self.port = free_port()
        self.as_user = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)

    def _pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, *args)

    def start(self) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"
        )
        self._pg_ctl("-w", "start")
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE charter")

    def restart(self) -> None:
        self._pg_ctl("-w", "-m", "fast", "restart")

    def stop(self) -> None:
        try:
            self._pg_ctl("-w", "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "charter") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


MAX_ATTEMPTS = 100  # per check-in, 50 ms apart: longer than any restart


@dataclass
class Answer:
    sent: float
    answered: float
    status: int | None  # None: no answer (connection refused or reset)
    check_in_id: int | None
    error: str = ""
    key: str = ""
    attempt: int = 1
    answer_lost: bool = False
    retry_after: str = ""  # the header, on a 503 (the database out of reach)

    @property
    def done(self) -> bool:
        return self.status == 201 or self.answer_lost

    @property
    def in_progress(self) -> bool:
        """Told to retry: the key's first request has not finished (or failed without releasing it)."""
        return self.status == 409 and "idempotency_in_progress" in self.error

    @property
    def failed(self) -> bool:
        return not self.done and not self.in_progress


class Load:
    """Client threads posting check-ins in a loop; every answer is kept."""

    def __init__(self, port: int, token: str, key_result_id: int, threads: int):
        self.port, self.token, self.kr = port, token, key_result_id
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(n,), daemon=True) for n in range(threads)]

    def _loop(self, n: int) -> None:
        """Each check-in has its own Idempotency-Key and is retried with it until it is done."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        count = 0
        while not self.stop.is_set():
            count += 1
            key = f"t{n}-{count}"
            headers = {
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "Idempotency-Key": key,
            }
            body = json.dumps({"value": n * 1_000_000 + count, "confidence": 6, "note": key})
            for attempt in range(1, MAX_ATTEMPTS + 1):
                answer, conn = self._attempt(conn, headers, body, key, attempt)
                with self.lock:
                    self.answers.append(answer)
                if answer.done:
                    break
                time.sleep(1.0 if answer.in_progress else 0.05)  # 409 in progress comes with Retry-After: 1
        conn.close()

    def _attempt(self, conn, headers, body, key, attempt):
        sent = time.monotonic()
        try:
            conn.request("POST", f"/api/v1/key-results/{self.kr}/check-ins", body, headers)
            response = conn.getresponse()
            data = response.read()
            answer = Answer(sent, time.monotonic(), response.status, None, key=key, attempt=attempt)
            answer.retry_after = response.getheader("Retry-After") or ""
            if response.status == 201:
                answer.check_in_id = json.loads(data)["id"]
            else:
                answer.error = data[:200].decode(errors="replace")
                # done, its answer lost in the restart: the key says so instead of running it again
                answer.answer_lost = response.status == 409 and "idempotency_answer_lost" in answer.error
            return answer, conn
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            error = f"{type(exc).__name__}: {exc}"
            answer = Answer(sent, time.monotonic(), None, None, error, key=key, attempt=attempt)
            return answer, http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(30)


def wait_for_http(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("Charter did not start")


def run(*, threads: int, before: float, after: float, workers: int) -> dict:
    cluster = Cluster()
    server = None
    started = time.monotonic()
    try:
        cluster.start()
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        env |= {
            "DATABASE_URL": cluster.url(),
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "0",
            "LOG_LEVEL": "ERROR" if os.environ.get("FAULT_SERVER_LOG") else "CRITICAL",
            "CHARTER_DATA_DIR": str(cluster.dir / "charter"),
            "CHARTER_API_RATE_LIMIT": "1000000",  # the load is one token; the rate limit is not under test
        }
        subprocess.run([CHARTER, "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=300)
        out = subprocess.run(
            [CHARTER, "shell", "-c", WORLD], env=env, check=True, capture_output=True, text=True
        )
        world = json.loads(out.stdout.strip().splitlines()[-1])
        port = free_port()
        server_log = open(os.environ.get("FAULT_SERVER_LOG") or os.devnull, "w")  # noqa: SIM115
        server = subprocess.Popen(
            [CHARTER, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=server_log,
            stderr=server_log,
        )
        wait_for_http(port, time.monotonic() + 60)
        setup_seconds = time.monotonic() - started

        load = Load(port, world["token"], world["key_result_id"], threads)
        load.start()
        time.sleep(before)
        down = time.monotonic()
        cluster.restart()
        back = time.monotonic()
        time.sleep(after)
        load.finish()

        with psycopg.connect(cluster.url()) as conn:
            rows = conn.execute(
                "SELECT id, note FROM goals_checkin WHERE key_result_id = %s", (world["key_result_id"],)
            ).fetchall()
        return summarize(load.answers, rows, down=down, back=back, setup_seconds=setup_seconds)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
        cluster.stop()


def summarize(answers: list[Answer], rows: list, *, down: float, back: float, setup_seconds: float) -> dict:
    stored = {check_in_id for check_in_id, _ in rows}
    notes = [note for _, note in rows]
    keys = {a.key for a in answers}
    done = {a.key for a in answers if a.done}
    acknowledged = {a.check_in_id for a in answers if a.status == 201}
    errors = [a for a in answers if a.failed]
    told_to_wait = [a for a in answers if a.in_progress]
    # In the window: sent before the cluster was back and answered after the restart began.
    outside = [a for a in errors if not (a.sent <= back and a.answered >= down)]
    after_back = [a for a in answers if a.sent > back]
    retried = {a.key for a in answers if a.attempt > 1}
    first_error = min((a.answered for a in errors), default=None)
    last_error = max((a.answered for a in errors), default=None)
    kinds: dict[str, int] = {}
    for a in errors:
        kind = str(a.status) if a.status is not None else a.error.split(":")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    unavailable = [a for a in errors if a.status == 503]
    return {
        "requests": len(answers),
        "check_ins_intended": len(keys),
        "check_ins_done": len(done),
        "check_ins_retried": len(retried),
        "answers_lost_then_told_by_key": sum(1 for a in answers if a.answer_lost),
        "acknowledged": len(acknowledged),
        "lost": len(acknowledged - stored),
        "stored_unacknowledged": len(stored - acknowledged),
        "stored_twice": len(notes) - len(set(notes)),
        "done_but_missing": len(done - set(notes)),
        "errors": len(errors),
        "errors_by_kind": kinds,
        # The database gone mid-request must say "retry" (503 + Retry-After), not look like a bug (500).
        "server_errors_500": sum(1 for a in errors if a.status == 500),
        "unavailable_503": len(unavailable),
        "unavailable_503_without_retry_after": sum(1 for a in unavailable if not a.retry_after),
        "errors_outside_window": len(outside),
        "restart_seconds": round(back - down, 2),
        "error_span_seconds": round(last_error - first_error, 2) if errors else 0.0,
        "first_error_after_restart_began": round(first_error - down, 2) if errors else None,
        "last_error_after_cluster_back": round(last_error - back, 2) + 0.0 if errors else None,
        "requests_after_back": len(after_back),
        "failed_after_back": sum(1 for a in after_back if a.failed),
        "told_to_wait": len(told_to_wait),
        "last_told_to_wait_after_back": round(max(a.answered for a in told_to_wait) - back, 2)
        if told_to_wait
        else None,
        "setup_seconds": round(setup_seconds, 1),
    }


def passed(result: dict) -> bool:
    return (
        result["lost"] == 0
        and result["stored_twice"] == 0
        and result["done_but_missing"] == 0
        and result["errors_outside_window"] == 0
        and result["failed_after_back"] == 0
        and result["requests_after_back"] > 0
        and result["server_errors_500"] == 0
        and result["unavailable_503_without_retry_after"] == 0
    )


def write(result: dict, settings: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    rows = [
        ("Requests (attempts, every answer recorded)", result["requests"]),
        ("Check-ins intended (one Idempotency-Key each) / done / retried",
         f"{result['check_ins_intended']} / {result['check_ins_done']} / {result['check_ins_retried']}"),
        ("Acknowledged (201)", result["acknowledged"]),
        ("Acknowledged but missing afterwards (lost)", result["lost"]),
        ("Stored without a 201 (committed, answer lost) / retries told so by the key",
         f"{result['stored_unacknowledged']} / {result['answers_lost_then_told_by_key']}"),
        ("Stored twice (same key) / done but missing",
         f"{result['stored_twice']} / {result['done_but_missing']}"),
        ("Errors", f"{result['errors']} {json.dumps(result['errors_by_kind'])}"),
        ("Errors outside the restart window", result["errors_outside_window"]),
        ("500 (looks like a bug) / 503 (retry) / 503 without Retry-After",
         f"{result['server_errors_500']} / {result['unavailable_503']} / "
         f"{result['unavailable_503_without_retry_after']}"),
        ("409 in progress (retry with the same key; a key stranded by a failed request is taken over after "
         "5 s) / last one after the cluster was back (s)",
         f"{result['told_to_wait']} / {result['last_told_to_wait_after_back']}"),
        ("`pg_ctl restart -m fast` took (s)", result["restart_seconds"]),
        ("Errors spanned (s)", result["error_span_seconds"]),
        ("Last error after the cluster was back (s)", result["last_error_after_cluster_back"]),
        ("Requests sent after the cluster was back / failed", f"{result['requests_after_back']} / "
         f"{result['failed_after_back']}"),
    ]  # fmt: skip
    lines = [
        "# Fault: PostgreSQL restarted under load",
        "",
        f"`.venv/bin/python bench/faults_pg_restart.py` — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit "
        f"{commit.stdout.strip() or '?'}, {platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end.",
        "",
        f"A private cluster, Charter under gunicorn ({settings['workers']} workers, `conn_max_age=60` with "
        f"health checks), {settings['threads']} client threads posting check-ins for {settings['before']} s, "
        f"then `pg_ctl restart -m fast`, then {settings['after']} s more; Charter is not restarted.",
        "",
        "| measure | value |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in rows],
        "",
        f"**{'Passed' if passed(result) else 'FAILED'}**: no acknowledged check-in lost, none stored twice, "
        "errors only for "
        "requests in flight while the cluster restarted, each a 503 with Retry-After (never a 500), full "
        "service afterwards without restarting Charter.",
        "",
        "Errors in the window are 503s with `Retry-After` (the database went away mid-request: "
        "`core.unavailable`) or refused connections. Each "
        "check-in carries its own `Idempotency-Key` and the client retries it with that key until it is "
        "done, so every intended check-in is stored exactly once, also when an answer was lost after the "
        "commit.",
        "",
        "```json",
        json.dumps(result, indent=2),
        "```",
        "",
    ]
    path = RESULTS / "faults.md"
    path.write_text("\n".join(lines))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--before", type=float, default=float(os.environ.get("FAULT_SECONDS_BEFORE", 8)))
    parser.add_argument("--after", type=float, default=float(os.environ.get("FAULT_SECONDS_AFTER", 8)))
    parser.add_argument("--no-write", action="store_true", help="Print the result only.")
    args = parser.parse_args()
    settings = {"threads": args.threads, "workers": args.workers, "before": args.before, "after": args.after}
    result = run(**settings)
    print(json.dumps(result, indent=2))
    if not args.no_write:
        print(f"Written to {write(result, settings).relative_to(ROOT)}")
    sys.exit(0 if passed(result) else 1)


if __name__ == "__main__":
    main()
