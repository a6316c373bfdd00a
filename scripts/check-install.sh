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
# An empty installation: every page leads to the first-run setup page, which answers, as does the API.
for url, expected, location in [("/", 302, "/setup/"), ("/setup/", 200, None), ("/api/v1/openapi.json", 200, None)]:
    response = client.get(url, secure=True)
    assert response.status_code == expected, f"GET {url}: {response.status_code}, expected {expected}"
    assert location is None or response["Location"] == location, f"GET {url}: to {response['Location']}"
print(f"install check: {count} URL names load; the setup page and the OpenAPI document answer")
PY
