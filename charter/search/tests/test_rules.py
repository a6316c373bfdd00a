"""Pure parts of search: query words, ranking by strength, what found a hit, snippets (escape, then mark)."""

import pytest

from charter.search.keyword import terms
from charter.search.rules import WordMatch, content_stems, content_terms, found_by, fused_score, word_match
from charter.search.selectors import rank
from charter.search.snippets import highlight, snippet
from charter.search.tests.quality import fuse


def test_fusion_by_reciprocal_rank():
    fused = fuse([1, 2, 3], [3, 1])
    assert [d for d, _ in fused] == [1, 3, 2]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_terms_are_lowercased_words_once():
    assert terms('Keep "Clients" keep-from LEAVING') == ["keep", "clients", "from", "leaving"]


def test_highlight_escapes_before_marking():
    assert highlight("<b>Churn</b>", ["churn"]) == "&lt;b&gt;<mark>Churn</mark>&lt;/b&gt;"


def test_meaning_only_snippets_show_the_start():
    assert snippet("Start of the body " + "x" * 400, []).startswith("Start of the body")


def test_words_without_meaning_are_dropped_and_codes_kept():
    assert content_terms("get our product into more countries") == ["product", "countries"]
    assert content_terms("KR 23") == ["kr", "23"] and content_terms("SOC 2 audit") == ["soc", "2", "audit"]
    assert content_terms("what we do") == []


def test_highlights_mark_whole_words_with_the_query_stems():
    assert highlight("Waiting lists wait; the waiter waits", ["wait"]) == (
        "<mark>Waiting</mark> lists <mark>wait</mark>; the waiter <mark>waits</mark>"
    )
    assert "<mark>" not in highlight("More of our work", ["more", "our"])  # stop words are not marked
    assert snippet("x " * 150 + "we are waiting for the auditors", ["wait", "auditor"]).count("<mark>") == 2


def test_a_title_holding_the_query_in_order_is_exact():
    code = word_match(content_stems("KR 23"), "KR 23: Critical findings fixed within 14 days", "")
    assert code.exact and code.share == 1.0
    assert not word_match(content_stems("KR 23"), "KR 14: offers within 23 days", "").exact
    title = word_match(content_stems("Make interviews faster"), "Make interviews faster", "")
    assert title.exact and title.closeness == 1.0
    partial = word_match(content_stems("churn of small customers"), "Reduce churn", "customers leave")
    assert (partial.share, partial.title_share, partial.exact) == (2 / 3, 1 / 3, False)


def test_an_exact_title_comes_before_any_closer_meaning():
    exact = word_match(["soc", "2"], "Pass the SOC 2 audit", "")
    assert fused_score(0.1, exact) > fused_score(1.0, word_match(["soc", "2"], "Audits", "SOC 2 report"))
    assert fused_score(0.5, None) == 0.5 and fused_score(None, WordMatch()) == 0.0


def test_what_found_a_hit():
    assert [found_by(True, True), found_by(True, False), found_by(False, True)] == [
        "both",
        "words",
        "meaning",
    ]


def test_rank_labels_a_weak_meaning_neighbour_of_a_keyword_hit_as_words():
    rows = [(1, "Reduce churn", "", "t"), (2, "Churn dashboard", "", "t")]
    ranked = rank("churn", rows, [(3, 0.6), (1, 0.5), (2, 0.1)], limit=3)
    assert [(r.doc_id, r.found_by) for r in ranked] == [(1, "both"), (2, "words"), (3, "meaning")]


def test_keyword_hits_beyond_the_meaning_pool_get_their_own_cosine():
    import numpy as np

    from charter.search.selectors import _cosines
    from charter.search.vectors import _build, _matrix, pack

    unit = np.eye(4, dtype=np.float32)
    rows = [(5, "goal", None, None, pack(unit[0])), (9, "goal", None, None, pack(unit[1]))]
    rows += [
        (2, "idea", None, None, pack(unit[2])),
        (7, "idea", None, None, pack((unit[0] + unit[2]) / 2**0.5)),
    ]
    m = _matrix(_build(iter(rows), 4))
    got = dict(_cosines(m, unit[0], [7, 9, 5, 404]))
    assert got == {5: pytest.approx(1.0), 7: pytest.approx(2**-0.5), 9: pytest.approx(0.0)}
    assert _cosines(m, unit[0], []) == []
