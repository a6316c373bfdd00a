"""Pure rules of search: the words of a query that carry meaning, their stems, how well a document's words
cover them, and how the keyword and meaning halves of a search are weighed into one score.

Both halves say how strong each hit is, not only its place: the meaning half gives a cosine, the keyword
half the share of the query's words a document holds (in its title, or anywhere). A title that holds the
query's words in order (an exact title, a name, a code such as "KR 23" or "SOC 2") comes before every
other hit. The weights were chosen on the quality set (`search/tests/quality`), half of its queries held
out (`bench/search_quality.py` prints both halves)."""

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 32

# Words that carry no meaning in a search of an organization's work: English function words, and the
# verbs and quantifiers a person puts around what they look for ("make our ... more ...", "get us ...").
_STOP_WORDS = """
    a about above after again against all almost along already also although always am among an and any
    anyone anything are around as at be became because become been before being below between both but by
    can cannot could did do does doing done down during each either else enough even ever every few for from
    further get gets getting give go goes going got had has have having he her here hers herself him himself
    his how however i if in into is it its itself just least less let lets like made make makes making many
    may me might more most much must my myself need needs neither no nor not now of off often on once one
    only or other others otherwise our ours ourselves out over own per perhaps please quite rather really
    same see seem shall she should so some something such than that the their theirs them themselves then
    there these they thing things this those though through thus to together too toward towards under
    until up upon us use used using very via want wants was way we well were what whatever when where
    whether which while who whom whose why will with within without would yet you your yours yourself
    yourselves
    """
STOP_WORDS = frozenset(_STOP_WORDS.split())

# The weights of the fused score (see `fused_score`): on the quality set, chosen on half its queries as
# the largest that rank as well as the best there, measured on the other half (`bench/search_quality.py`).
# The shares are squared: one word of three (often a common one) adds a ninth, all of them the whole weight.
WORD_SHARE = 0.10  # all the query's words in the document, anywhere
TITLE_SHARE = 0.10  # all the query's words in its title
EXACT = 1.0  # the title holds the query's words in order: before any other hit
# From this cosine a hit counts as found by meaning (all-MiniLM-L6-v2: unrelated texts of an organization
# score about 0.0-0.3, a paraphrase of the same aim 0.4-0.7).
MEANING_FLOOR = 0.30

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English (Porter 2) stem of a lowercased word: "waiting" -> "wait", as PostgreSQL's `english`."""
    return _stemmer.stemWord(word)


def terms(query: str) -> list[str]:
    """The words of a query, lowercased, without duplicates, in order."""
    seen: list[str] = []
    for word in WORD.findall(query.lower()):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def content_terms(query: str) -> list[str]:
    """The query's words that carry meaning: its words without the stop words."""
    return [w for w in terms(query) if w not in STOP_WORDS]


def stems(words) -> set[str]:
    return {stem(w) for w in words}


def content_stems(text: str) -> list[str]:
    """The stems of a text's meaningful words, in order (repeats kept)."""
    return [stem(w) for w in WORD.findall(text.lower()) if w not in STOP_WORDS]


def _stem_set(text: str) -> set[str]:
    """The stems of a text's distinct meaningful words (each distinct word stemmed once)."""
    return {stem(w) for w in set(WORD.findall(text.lower())) - STOP_WORDS}


@dataclass(frozen=True)
class WordMatch:
    """How a document's words cover a query's: shares of the query's stems in the document and in its
    title, and whether the title holds them in the query's order (`exact`, with `closeness` = the
    query's words over the title's, 1.0 for the title itself)."""

    share: float = 0.0
    title_share: float = 0.0
    exact: bool = False
    closeness: float = 0.0


def word_match(query_stems: list[str], title: str, body: str) -> WordMatch:
    if not query_stems:
        return WordMatch()
    wanted = set(query_stems)
    title_seq = content_stems(title)
    in_title = wanted & set(title_seq)
    found = in_title | (wanted & _stem_set(body)) if len(in_title) < len(wanted) else in_title
    n = len(query_stems)
    exact = any(title_seq[i : i + n] == query_stems for i in range(len(title_seq) - n + 1))
    return WordMatch(
        share=len(found) / len(wanted),
        title_share=len(in_title) / len(wanted),
        exact=exact,
        closeness=n / len(title_seq) if exact else 0.0,
    )


def fused_score(cosine: float | None, words: WordMatch | None) -> float:
    """One score from both halves: the cosine (0 when meaning is off), plus the squared share of the query's
    words the document holds, and of those in its title, plus EXACT (and up to half more for a title that
    is nothing else) when the title holds the query's words in order."""
    score = cosine or 0.0
    if words is not None:
        score += WORD_SHARE * words.share**2 + TITLE_SHARE * words.title_share**2
        if words.exact:
            score += EXACT * (1 + words.closeness / 2)
    return score


def found_by(words: bool, meaning: bool) -> str:
    """What found a hit: "words", "meaning" or "both" ("" for neither)."""
    return "both" if words and meaning else "words" if words else "meaning" if meaning else ""
