#!/usr/bin/env bash
# Print the path of a Python 3.12 or newer, or explain and fail. Charter needs 3.12+ (Django 6).
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for name in python3.14 python3.13 python3.12 python3; do
  path=$(command -v "$name" 2>/dev/null) && candidates+=("$path")
done
# pyenv keeps interpreters that its shims only run when selected: look at them directly.
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for dir in $(ls -d "$root"/versions/3.* 2>/dev/null | sort -V); do
    candidates+=("$dir/bin/python3")
  done
fi
for candidate in "${candidates[@]}"; do
  if [ -x "$candidate" ] && ok "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done
echo "Charter needs Python 3.12 or newer and none was found." >&2
echo "Install one (e.g. 'apt-get install python3.12' or 'pyenv install 3.12') or set PYTHON=/path/to/python3.12." >&2
exit 1
