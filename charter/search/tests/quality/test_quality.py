"""Search quality on the quality set: top-1, top-3 and MRR of keyword only, meaning only and fused search,
with thresholds; fused: top-1 at least 75%, top-3 at least 95%, every exact-name query first."""

import pytest

from charter.search import embedder, selectors
from charter.search.tests import quality

pytestmark = pytest.mark.skipif(embedder.get_embedder() is None, reason="the meaning model is not installed")


@pytest.fixture(scope="module")
def qs():
    return quality.load()


def test_the_set_is_large_enough_and_well_formed(qs):
    keys = [i["key"] for i in qs.items]
    assert len(qs.items) >= 120 and len(set(keys)) == len(keys)
    assert len({i["topic"] for i in qs.items}) >= 12
    assert {i["type"] for i in qs.items} == {"goal", "key_result", "decision", "idea"}
    assert len(qs.queries) >= 60 and {q["kind"] for q in qs.queries} == set(quality.KINDS)
    for query in qs.queries:
        assert query["relevant"] and set(query["relevant"]) <= set(keys), query
    for item in qs.items:
        if "parent" in item:
            assert item["type"] == "goal" and qs.item(item["parent"])["type"] == "goal", item


def test_paraphrases_share_no_meaningful_word_with_their_targets(qs):
    for query in qs.queries:
        if query["kind"] == "paraphrase":
            assert not quality.shares_a_word(qs, query), query


@pytest.fixture
def measured(owner, qs):
    keys = quality.index(owner.organization.pk, qs)
    return {mode: quality.measure(owner, qs, keys, mode) for mode in quality.MODES}


def test_fused_search_puts_the_right_item_first(qs, measured):
    table = quality.table(qs, measured)
    print("\n" + table)
    fused, kw, meaning = (measured[m].of(qs.queries) for m in ("both", "keyword", "meaning"))
    assert fused["top1"] >= 0.75, table
    assert fused["top3"] >= 0.95, table
    exact = [q for q in qs.queries if q["kind"] == "exact"]
    assert {q["q"]: measured["both"].places[q["q"]] for q in exact} == {q["q"]: 1 for q in exact}
    # Fusion does better than either half alone.
    assert fused["mrr"] > max(kw["mrr"], meaning["mrr"]), table


def test_each_hit_says_truly_what_found_it(owner, qs):
    """A paraphrase's targets hold none of its words: found by meaning only; an exact name's first hit
    holds its words: found by words (and meaning, when near enough)."""
    quality.index(owner.organization.pk, qs)
    by_object = {(i["type"], i["object_id"]): i["key"] for i in qs.items}
    for query in qs.queries:
        hits = selectors.search(actor=owner, q=query["q"], limit=quality.LIMIT).hits
        found = {by_object[(h.doc.type, h.doc.object_id)]: h.found_by for h in hits}
        if query["kind"] == "paraphrase":
            assert {found[k] for k in query["relevant"] if k in found} <= {"meaning"}, query
        if query["kind"] == "exact":
            assert hits[0].found_by in ("words", "both"), query
        assert all(h.found_by in ("words", "meaning", "both") for h in hits)
