"""Template sources: a `{# ... #}` comment ends on its own line (Django shows a multi-line one as text)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "charter"


def test_no_template_comment_spans_lines():
    broken = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert not broken, f"multi-line {{# #}} comments show as text; use {{% comment %}}: {broken}"
