"""Snippets of search results: the text escaped, and each whole word whose stem is a query word's in
<mark> ("waiting" for "wait", never "<mark>wait</mark>ing"); stop words are not marked."""

from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .rules import STOP_WORDS, WORD, stem

WIDTH = 180


@lru_cache(maxsize=256)
def _wanted(words: tuple[str, ...]) -> frozenset[str]:
    """The stems to mark for a query's words (made once for a page's 40 texts)."""
    return frozenset(stem(w.lower()) for w in words if w.lower() not in STOP_WORDS)


def _marks(word: str, wanted: frozenset[str]) -> bool:
    lower = word.lower()
    return lower not in STOP_WORDS and stem(lower) in wanted


def _window(text: str, wanted: frozenset[str]) -> str:
    """About WIDTH characters of `text`, around the first query word found (else its start)."""
    text = " ".join(text.split())
    first = (
        next((m.start() for m in WORD.finditer(text) if _marks(m.group(), wanted)), None) if wanted else None
    )
    start = max(0, first - WIDTH // 3) if first is not None else 0
    if start:  # begin at a word, not inside one
        while start > 0 and text[start - 1].isalnum():
            start -= 1
    end = start + WIDTH
    if end < len(text) and text[end].isalnum() and " " in text[start:end]:  # end at a word's end too
        end = text.rindex(" ", start, end)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _highlight(text: str, wanted: frozenset[str]) -> str:
    if not wanted:
        return mark_safe(escape(text))  # escaped
    out, last = [], 0
    for m in WORD.finditer(text):
        if _marks(m.group(), wanted):
            out.append(escape(text[last : m.start()]))
            out.append(f"<mark>{escape(m.group())}</mark>")
            last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # every piece escaped


def highlight(text: str, words: list[str]) -> str:
    """HTML: `text` escaped, each whole word with the stem of a query word in <mark>."""
    return _highlight(text, _wanted(tuple(words)))


def snippet(body: str, words: list[str]) -> str:
    wanted = _wanted(tuple(words))
    return _highlight(_window(body, wanted), wanted)
