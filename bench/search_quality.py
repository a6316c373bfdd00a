"""Search quality on the quality set (`charter/search/tests/quality/set.yaml`): top-1, top-3 and mean
reciprocal rank of keyword only, meaning only and fused search, on SQLite and on PostgreSQL.

    .venv/bin/python bench/search_quality.py            # both databases, about a minute; writes
                                                         # bench/results/search-quality.md
    .venv/bin/python bench/search_quality.py --one      # this process's database only (DATABASE_URL)

Each database run makes a throwaway test database (PostgreSQL: `test_charter_quality` on
`BENCH_POSTGRES`, default postgres://postgres@127.0.0.1:5432/), writes the set's 123 documents with the
packaged model's vectors, and runs the 65 queries in each mode. It also checks the fusion's weights on
held-out queries: the weights are chosen on the even-numbered queries from a small grid and measured on the
odd-numbered ones, beside the weights in `charter/search/rules.py`.
"""

import argparse
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "search-quality.md"
GRID = [(w, t) for w in (0.0, 0.1, 0.2, 0.3) for t in (0.0, 0.05, 0.1, 0.15, 0.25)]


def one() -> str:
    """The tables of the database this process is configured for (Markdown)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from charter.organizations.tests.factories import make_org
    from charter.search import embedder, rules
    from charter.search.tests import quality

    if embedder.get_embedder() is None:
        return f"The meaning model is not installed: {embedder.load()[1]}.\n"
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        qs = quality.load()
        owner = make_org("Northwind Cloud")
        keys = quality.index(owner.organization.pk, qs)
        measured = {mode: quality.measure(owner, qs, keys, mode) for mode in ("rrf", *quality.MODES)}
        out = [f"### {connection.vendor}\n", quality.table(qs, measured), ""]
        missed = [
            f"- `{q['q']}` ({q['kind']}): first relevant at {measured['both'].places[q['q']] or 'none of 10'}"
            for q in qs.queries
            if measured["both"].places[q["q"]] != 1
        ]
        out += ["Fused search, queries whose first hit is not relevant:", "", *(missed or ["- none"]), ""]
        even, odd = qs.queries[0::2], qs.queries[1::2]
        chosen = rules.WORD_SHARE, rules.TITLE_SHARE
        scores = {}
        for weights in GRID:
            rules.WORD_SHARE, rules.TITLE_SHARE = weights
            scores[weights] = quality.measure(owner, qs, keys, "both")
        rules.WORD_SHARE, rules.TITLE_SHARE = chosen
        # The best on the even queries; of equals, the largest weights (words count as much as they can).
        best = max(GRID, key=lambda w: (scores[w].of(even)["mrr"], scores[w].of(even)["top1"], sum(w)))
        out += [
            "Held out: weights (words anywhere, words in the title) chosen on the even-numbered queries, "
            "measured on the odd-numbered ones (every weight of the grid shown):",
            "",
            "| weights | chosen on | even top-1 | even MRR | odd top-1 | odd top-3 | odd MRR |",
            "|---|---|--:|--:|--:|--:|--:|",
        ]
        rows = [
            (("best on even" if w == best else "") + (", rules.py" if w == chosen else ""), w) for w in GRID
        ]
        if chosen not in GRID:
            rows.append(("rules.py", chosen))
        for label, w in rows:
            e = (scores[w] if w in scores else measured["both"]).of(even)
            o = (scores[w] if w in scores else measured["both"]).of(odd)
            out.append(
                f"| {w[0]}, {w[1]} | {label.strip(', ')} | {e['top1']:.0%} | {e['mrr']:.3f} | "
                f"{o['top1']:.0%} | {o['top3']:.0%} | {o['mrr']:.3f} |"
            )
        return "\n".join(out) + "\n"
    finally:
        teardown_databases(old, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--one", action="store_true", help="this process's database only; print, write nothing"
    )
    args = parser.parse_args()
    if args.one:
        print(one())
        return
    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/").rstrip("/")
    runs = {"SQLite": {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}}
    runs["PostgreSQL"] = {**os.environ, "DATABASE_URL": f"{server}/charter_quality"}
    parts = []
    for name, env in runs.items():
        done = subprocess.run(
            [sys.executable, __file__, "--one"], env=env, capture_output=True, text=True, cwd=ROOT
        )
        parts.append(
            done.stdout
            if done.returncode == 0
            else f"### {name}\n\nFailed:\n\n```\n{done.stderr[-2000:]}\n```\n"
        )
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    text = (
        "# Search quality\n\n"
        f"`bench/search_quality.py`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit.stdout.strip()}, "
        f"{platform.machine()}, Python {platform.python_version()}. The quality set: 123 items (goals with "
        "intent, key results, decisions, ideas) in 17 topics, 65 queries (25 paraphrases sharing no "
        "meaningful word with their targets, 19 exact titles, names and codes, 21 mixed). A query counts "
        "as found at the place of its first relevant hit among the first 10.\n\n" + "\n".join(parts)
    )
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
