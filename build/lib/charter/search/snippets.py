"""Snippets of search results: escape first, then mark the query's words."""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 180


def _window(text: str, words: list[str]) -> str:
    """About WIDTH characters of `text`, around the first query word found (else its start)."""
    text = " ".join(text.split())
    lower = text.lower()
    hits = [i for w in words if (i := lower.find(w)) >= 0]
    start = max(0, min(hits) - WIDTH // 3) if hits else 0
    piece = text[start : start + WIDTH]
    return ("…" if start else "") + piece + ("…" if start + WIDTH < len(text) else "")


@lru_cache(maxsize=256)
def _marker(words: tuple[str, ...]) -> re.Pattern | None:
    """The pattern of a query's words (as word starts, longest first), made once for a page's 40 texts."""
    usable = [re.escape(escape(w)) for w in words if len(w) > 1]
    if not usable:
        return None
    return re.compile(r"\b(" + "|".join(sorted(usable, key=len, reverse=True)) + r")", re.IGNORECASE)


def highlight(text: str, words: list[str]) -> str:
    """HTML: `text` escaped, with each query word (as a word start) in <mark>."""
    escaped = escape(text)
    pattern = _marker(tuple(words))
    if pattern is None:
        return mark_safe(escaped)  # escaped above
    return mark_safe(pattern.sub(r"<mark>\1</mark>", escaped))  # escaped above


def snippet(body: str, words: list[str]) -> str:
    return highlight(_window(body, words), words)
