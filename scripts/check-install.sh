#!/usr/bin/env bash
# Install Charter as `pip install .` would in production (no extras, not editable) into a clean virtual
# environment outside the source tree, then prove under the production settings that every URL module
# loads, that pages and the API answer, and that `charter check --deploy` reports nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python=$("$src/scripts/find-python.sh")
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip
# From a copy of the project's files (tracked, and new ones not ignored): building in place would leave a
# build/ folder in the work tree.
mkdir "$work/src"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/src" 2>/dev/null || true
"$work/venv/bin/python" -m pip install --quiet "$work/src"

cd "$work"  # so that nothing is imported from the source tree
export DJANGO_SETTINGS_MODULE=config.settings.prod
export SECRET_KEY="install-check-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export CHARTER_DATA_DIR="$work/data" ALLOWED_HOSTS=testserver
unset DATABASE_URL
"$work/venv/bin/charter" check --deploy --fail-level WARNING
"$work/venv/bin/charter" migrate --noinput -v 0
"$work/venv/bin/python" - <<'PY'
import django

django.setup()
import charter
from django.test import Client
from django.urls import get_resolver

assert "/venv/" in charter.__file__, f"charter imported from the source tree: {charter.__file__}"
resolver = get_resolver()
resolver.check()  # imports every URL module and view
count = sum(1 for _ in resolver.reverse_dict.lists())
client = Client()
for url, expected in [("/login/", 200), ("/api/v1/openapi.json", 200), ("/", 302)]:
    status = client.get(url, secure=True).status_code
    assert status == expected, f"GET {url}: {status}, expected {expected}"
print(f"install check: {count} URL names load; sign-in page, home redirect and OpenAPI answer")
PY
