#!/usr/bin/env bash
# Run the whole suite on SQLite, then on PostgreSQL. The PostgreSQL pass uses DATABASE_URL when set,
# else TEST_DATABASE_URL (default: the local server); it is skipped with a warning when no server answers,
# except under CI, where both databases are required.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
pg_url=${DATABASE_URL:-${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/charter_test}}
# One test process per core (pytest-xdist); PYTEST_WORKERS=0 runs in this process.
workers=(-n "${PYTEST_WORKERS:-auto}")
start=$(date +%s)

echo "== SQLite =="
env -u DATABASE_URL "$BIN/pytest" "${workers[@]}" "$@"
sqlite_end=$(date +%s)

if "$BIN/python" - "$pg_url" <<'PY'
import sys, psycopg
from urllib.parse import urlsplit, urlunsplit
u = urlsplit(sys.argv[1])
try:
    psycopg.connect(urlunsplit(u._replace(path="/postgres")), connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL at {u.hostname}:{u.port or 5432} does not answer: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "== PostgreSQL =="
  DATABASE_URL="$pg_url" "$BIN/pytest" "${workers[@]}" "$@"
  echo "SQLite pass: $((sqlite_end - start)) s; PostgreSQL pass: $(($(date +%s) - sqlite_end)) s"
elif [ "${CI:-}" = "true" ]; then
  echo "CI needs PostgreSQL too, and none answers." >&2
  exit 1
else
  echo "WARNING: no PostgreSQL answers; only SQLite was tested. Set TEST_DATABASE_URL to test it too." >&2
fi
