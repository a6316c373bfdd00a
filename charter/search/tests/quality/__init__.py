"""The search quality set (`set.yaml`): its loader, its indexing into one organization, and the measures
(top-1, top-3, mean reciprocal rank) of keyword only, meaning only and fused search over it.

Used by `test_quality.py` (thresholds) and `bench/search_quality.py` (the table). Documents are written
straight into the index (as the benchmark's generator does): search reads only the index."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import connection, transaction

from charter.search import embedder as embedding
from charter.search import keyword, queries, selectors
from charter.search.models import SearchDocument, SearchVector
from charter.search.rules import content_stems
from charter.search.vectors import pack, touch

SET = Path(__file__).with_name("set.yaml")
MODES = ("keyword", "meaning", "both")
KINDS = ("paraphrase", "exact", "mixed")
LIMIT = 10


@dataclass
class QualitySet:
    items: list[dict]
    queries: list[dict]

    def item(self, key: str) -> dict:
        return next(i for i in self.items if i["key"] == key)


def fuse(*rankings: list[int], k: int = 60) -> list[tuple[int, float]]:
    """Reciprocal rank fusion, how search fused its halves before issue 17 (the "before" row): score(d) =
    Σ 1 / (k + rank), ranks from 1; best first. Search now weighs how strong each hit is
    (`selectors.rank`)."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, doc_id in enumerate(ranking, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def load() -> QualitySet:
    data = yaml.safe_load(SET.read_text())
    items = data["items"]
    titles = {i["key"]: i["title"] for i in items}
    for n, item in enumerate(items, 1):
        item["object_id"] = n
        item.setdefault("body", "")
        if item["type"] == "key_result":  # as the index stores a key result (`web.search_index`)
            item["body"] = f"Key result of the goal “{titles[item['goal']]}”"
        item["body"] = item["body"].strip()
    return QualitySet(items, data["queries"])


def index(organization_id: int, qs: QualitySet) -> dict[int, str]:
    """Write the set's documents into the organization's index; {document id: item key}."""
    emb = embedding.get_embedder()
    texts = [f"{i['title']}. {i['body']}".strip() for i in qs.items]
    vectors = emb.embed(texts) if emb is not None else None
    keys = {}
    with transaction.atomic():
        for n, item in enumerate(qs.items):
            doc = SearchDocument.objects.unscoped().create(
                organization_id=organization_id,
                type=item["type"],
                object_id=item["object_id"],
                title=item["title"],
                body=item["body"],
            )
            if vectors is not None:
                SearchVector.objects.unscoped().create(
                    organization_id=organization_id,
                    document=doc,
                    vector=pack(vectors[n]),
                    model=emb.name,
                    dimension=emb.dimension,
                )
            keyword.backend().write(doc.pk, doc.title, doc.body)
            keys[doc.pk] = item["key"]
        touch([organization_id])
    return keys


def shares_a_word(qs: QualitySet, query: dict) -> list[str]:
    """The relevant items of `query` that share a meaningful word (by stem) with it."""
    words = set(content_stems(query["q"]))
    return [
        key
        for key in query["relevant"]
        if words & set(content_stems(qs.item(key)["title"] + " " + qs.item(key)["body"]))
    ]


@dataclass
class Measures:
    """Per query: the place of its first relevant hit (None: not in the first LIMIT)."""

    places: dict[str, int | None] = field(default_factory=dict)

    def of(self, queries) -> dict:
        places = [self.places[q["q"]] for q in queries]
        n = len(places) or 1
        return {
            "n": len(places),
            "top1": sum(p == 1 for p in places) / n,
            "top3": sum(p is not None and p <= 3 for p in places) / n,
            "mrr": sum(1 / p for p in places if p) / n,
        }


def measure(actor, qs: QualitySet, keys: dict[int, str], mode: str) -> Measures:
    """Each query's place in `mode`: "keyword", "meaning", "both" (the search), or "rrf" (as search ranked
    before issue 17: every word of the query ORed, fused with the meaning half by reciprocal rank)."""
    by_object = {(i["type"], i["object_id"]): i["key"] for i in qs.items}
    out = Measures()
    for query in qs.queries:
        if mode == "rrf":
            found = [keys.get(d) for d in _reciprocal_rank(actor, query["q"])]
        else:
            hits = selectors.search(actor=actor, q=query["q"], limit=LIMIT, mode=mode).hits
            found = [by_object.get((h.doc.type, h.doc.object_id)) for h in hits]
        out.places[query["q"]] = next((n for n, k in enumerate(found, 1) if k in query["relevant"]), None)
    return out


def _reciprocal_rank(actor, q: str) -> list[int]:
    """The ranking before issue 17, for comparison: OR of every word, fused by reciprocal rank (k=60)."""
    org_id, words, pool = actor.organization.pk, keyword.terms(q), 30
    args = {"organization_id": org_id, "types": None, "team_id": None, "cycle_id": None, "limit": pool}
    if connection.vendor == "postgresql":
        rows = queries.postgres_keyword_search(query=" | ".join(words), candidates=10**9, **args)
    else:
        rows = queries.sqlite_keyword_search(match=" OR ".join(f'"{w}"' for w in words), **args)
    near = selectors._meaning(org_id, q, types=None, team_id=None, cycle_id=None, limit=pool)
    return [d for d, _ in fuse([r[0] for r in rows], [d for d, _ in near])][:LIMIT]


def table(qs: QualitySet, measures: dict[str, Measures], queries=None) -> str:
    """A Markdown table: one row per mode, top-1, top-3 and MRR over all queries and per kind."""
    queries = qs.queries if queries is None else queries
    kinds = {k: [q for q in queries if q["kind"] == k] for k in KINDS}
    head = "| search | top-1 | top-3 | MRR | " + " | ".join(
        f"{k} top-1 (n={len(v)})" for k, v in kinds.items()
    )
    lines = [head + " |", "|---|--:|--:|--:|" + "--:|" * len(kinds)]
    names = {
        "rrf": "before: every word ORed, reciprocal rank fusion",
        "keyword": "keyword only",
        "meaning": "meaning only",
        "both": "fused",
    }
    for mode, m in measures.items():
        a = m.of(queries)
        per = " | ".join(f"{m.of(v)['top1']:.0%}" for v in kinds.values())
        lines.append(
            f"| {names.get(mode, mode)} | {a['top1']:.0%} | {a['top3']:.0%} | {a['mrr']:.3f} | {per} |"
        )
    return "\n".join(lines)
