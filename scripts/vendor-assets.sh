#!/usr/bin/env bash
# Refresh the vendored front-end files under charter/static/vendor from the npm registry.
# Running Charter needs no Node: the built files are committed. Versions are pinned here.
set -euo pipefail
TABLER=1.6.1
HTMX=2.0.11
ECHARTS=6.1.0
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/charter/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts "@tabler/core@$TABLER" "htmx.org@$HTMX" "echarts@$ECHARTS" >/dev/null
rm -rf "$dest" && mkdir -p "$dest"
cp node_modules/@tabler/core/dist/css/tabler.min.css "$dest/"
cp node_modules/@tabler/core/dist/js/tabler.min.js "$dest/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/"
cp node_modules/echarts/dist/echarts.min.js "$dest/"
cat > "$dest/VERSIONS" <<V
@tabler/core $TABLER (MIT)
htmx.org $HTMX (0BSD)
echarts $ECHARTS (Apache-2.0)
V
ls -la "$dest"
