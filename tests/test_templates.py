"""Template sources: a `{# ... #}` comment ends on its own line (Django shows a multi-line one as text); a
Jinja2 partial uses `|h` (escaping as a plain `str`) only where it turns autoescaping off."""

import re
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


def test_plain_escaping_only_where_autoescaping_is_off():
    """`|h` gives a plain `str`: where autoescaping is on, its `&amp;` would be escaped again."""
    wrong = [
        str(path.relative_to(ROOT))
        for path in sorted(ROOT.rglob("*.jinja"))
        if re.search(r"\|h\b", text := path.read_text()) and "{% autoescape false" not in text
    ]
    assert not wrong, f"|h outside {{% autoescape false %}}: {wrong}"
