"""Pure parts of search: reciprocal rank fusion, query words, snippets (escape first, then mark)."""

import pytest

from charter.search.keyword import terms
from charter.search.selectors import fuse
from charter.search.snippets import highlight, snippet


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
