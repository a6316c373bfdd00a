"""Reads of the index, always scoped to the actor's organization: search, similar goals, likely parents."""

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.db.models import F, OuterRef, Subquery

from charter.core.actor import Actor
from charter.core.errors import NotFound, ValidationError
from charter.core.jsonrows import JSONRows
from charter.organizations.models import Team

from . import embedder as embedding
from . import keyword, registry, rules
from .models import SearchDocument, SearchIndexState, SearchSettings
from .snippets import highlight, snippet
from .vectors import matrix, unpack

MAX_LIMIT = 100
DEFAULT_THRESHOLD = 0.8
# Likely parents (measured on `search/tests/quality/parents.json`: 42 drafts of team goals under 14
# organization goals, and 6 drafts that fit none; `web/tests/test_parents_quality.py`). Ranked by plain
# cosine the true parent is in the top 3 for 83% of the drafts (top 1: 71%): a few broad goals ("Give
# customers help they love") are close to everything. Ranked centred (the cosine less the goal's cosine
# with the mean of the organization's goals, from CENTRE_FROM goals on: below that the mean is mostly
# the goals themselves) 95% (top 1: 69%). The threshold is on the plain cosine, the "% alike" shown: the
# true parents' cosines run from 0.219 (5th percentile 0.224) to 0.73, the best suggestion of a draft
# that fits no parent from 0.188 to 0.322. 0.20 is the round value below every true parent: it keeps them
# all (0.25 would drop 4 of the 42) and hides only what is plainly unrelated; the two overlap, so no
# threshold hides every stray suggestion without losing true parents.
PARENT_THRESHOLD = 0.20
CENTRE_FROM = 50
# What a hit shows (the page, the API and MCP): not `updated_at` nor the organization, already known.
HIT_FIELDS = ("type", "object_id", "title", "body", "url", "team_id", "cycle_id")


@dataclass
class Hit:
    """One result: the document, its fused score, and what found it (`found_by`: "words", "meaning" or
    "both"; the ranks are its places in each half, None where that half did not find it)."""

    doc: SearchDocument
    score: float
    keyword_rank: int | None = None
    meaning_rank: int | None = None
    title_html: str = ""
    snippet_html: str = ""
    found_by: str = ""

    @property
    def type_label(self) -> str:
        return registry.labels().get(self.doc.type, self.doc.type)


@dataclass
class Results:
    """The hits of one query and whether meaning search took part (and if not, why)."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    meaning_on: bool = False
    meaning_off_reason: str = ""


@dataclass(frozen=True)
class Ranked:
    """A document's place in a fused ranking, with what found it."""

    doc_id: int
    score: float
    keyword_rank: int | None
    meaning_rank: int | None
    found_by: str


def rank(query: str, keyword_rows, nearest, *, limit: int) -> list[Ranked]:
    """Both halves weighed by how strong each hit is (`rules.fused_score`): `keyword_rows` (id, title, body,
    ...) best first, `nearest` (id, cosine) best first, then the cosines of keyword hits beyond them. A
    keyword hit without a cosine is given the lowest cosine seen (it is no nearer). Ties: keyword order,
    then id."""
    query_stems = list(dict.fromkeys(rules.stem(w) for w in rules.content_terms(query)))
    words = {row[0]: rules.word_match(query_stems, row[1], row[2]) for row in keyword_rows}
    cosine = dict(nearest)
    floor = min(cosine.values()) if cosine else None
    k_rank = {row[0]: i for i, row in enumerate(keyword_rows, 1)}
    m_rank = {d: i for i, (d, _) in enumerate(nearest, 1)}
    scored = [
        (rules.fused_score(cosine.get(d, floor), words.get(d)), k_rank.get(d, len(k_rank) + 1), d)
        for d in {*words, *cosine}
    ]
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    out = []
    for score, _, d in scored[:limit]:
        by_meaning = d in cosine and (cosine[d] >= rules.MEANING_FLOOR or d not in words)
        m_place = m_rank[d] if by_meaning else None
        out.append(Ranked(d, score, k_rank.get(d), m_place, rules.found_by(d in words, by_meaning)))
    return out


def _check(types, limit) -> None:
    unknown = sorted(set(types or ()) - set(registry.types()))
    if unknown:
        raise ValidationError(f"Unknown types: {', '.join(unknown)}.", field="types")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}.", field="limit")


@lru_cache(maxsize=1024)
def _embedded(emb, text: str) -> np.ndarray:
    """A text's vector, kept per process (1,024 texts, 1.5 MB): people repeat searches (the next page, a
    filter changed, the words a colleague used), and the model spends milliseconds on each text."""
    vector = emb.embed([text])[0]
    vector.flags.writeable = False
    return vector


def _meaning(
    org_id, query, *, types, team_id, cycle_id, limit, token=None, also=()
) -> list[tuple[int, float]]:
    """The `limit` nearest documents (id, cosine) best first, then the cosines of the documents `also`
    (the keyword half's hits) that are not among them, so that every hit is weighed by its own cosine."""
    emb = embedding.get_embedder()
    m = matrix(org_id, emb.name, emb.dimension, token=token)
    vector = _embedded(emb, query)
    near = m.nearest(vector, limit=limit, types=types, team_id=team_id, cycle_id=cycle_id)
    have = {d for d, _ in near}
    return near + _cosines(m, vector, [d for d in also if d not in have])


def _cosines(m, vector, doc_ids) -> list[tuple[int, float]]:
    """(id, cosine) of the given documents that have a row in the matrix (`Matrix.cosines_of`)."""
    return m.cosines_of(doc_ids, vector) if doc_ids else []


def search(
    *, actor: Actor, q: str, types=None, team_id=None, cycle_id=None, limit: int = 20, mode: str = "both"
) -> Results:
    """Keyword and meaning hits weighed by their strength (`rank`); `mode` "keyword" or "meaning" uses one
    half only (the quality benchmark compares the three)."""
    _check(types, limit)
    emb, reason = embedding.load()
    results = Results(query=q, meaning_on=emb is not None, meaning_off_reason=reason)
    if not keyword.terms(q):
        return results
    org_id, pool = actor.organization.pk, max(limit * 3, 30)
    filters = {"types": types, "team_id": team_id, "cycle_id": cycle_id, "limit": pool}
    # The keyword statement reads the index token too (absent when nothing matched): one query less.
    rows = [] if mode == "meaning" else keyword.search(org_id, q, **filters)
    token = rows[0][3] if rows else None
    near = []
    if emb is not None and mode != "keyword":
        near = _meaning(org_id, q, token=token, also=[row[0] for row in rows], **filters)
    ranked = rank(q, rows, near, limit=limit)
    docs = _hit_documents(org_id, rows, [r.doc_id for r in ranked])
    words = keyword.content_terms(q)
    for r in ranked:
        doc = docs[r.doc_id]
        results.hits.append(
            Hit(
                doc,
                r.score,
                r.keyword_rank,
                r.meaning_rank,
                highlight(doc.title, words),
                snippet(doc.body, words if r.keyword_rank else []),
                r.found_by,
            )
        )
    return results


def _hit_documents(org_id: int, keyword_rows, doc_ids) -> dict[int, SearchDocument]:
    """id -> the document of each hit shown: keyword hits from their own rows (they carry what a hit
    shows), the others read in one query (none when every hit shown was a keyword hit)."""
    shown = set(doc_ids)
    rows = {row[0]: (row[0], *row[4:], row[1], row[2]) for row in keyword_rows if row[0] in shown}
    missing = [d for d in doc_ids if d not in rows]
    if missing:
        read = SearchDocument.objects.for_org(org_id).filter(pk__in=missing).values_list("id", *_HIT_ORDER)
        rows.update((row[0], row) for row in read)
    return {
        d: SearchDocument(organization_id=org_id, **dict(zip(("id", *_HIT_ORDER), row, strict=True)))
        for d, row in rows.items()
    }


# The columns of `queries.HIT_COLUMNS`, then title and body: the order `_hit_documents` makes a row in.
_HIT_ORDER = ("type", "object_id", "url", "team_id", "cycle_id", "title", "body")


def similar_threshold(organization) -> float:
    row = SearchSettings.objects.for_org(organization).first()
    return _threshold(row.similar_threshold if row is not None else None)


def threshold_of(stored: float | None) -> float:
    """The similarity threshold: the organization's stored one, else the setting's, else the default."""
    return _threshold(stored)


def _threshold(stored: float | None) -> float:
    if stored is not None:
        return stored
    return float(getattr(settings, "CHARTER_SEARCH_SIMILAR_THRESHOLD", DEFAULT_THRESHOLD))


def _goal_hits(
    actor,
    vector,
    *,
    cycle_id=None,
    exclude=(),
    limit,
    threshold=-1.0,
    skip=None,
    token=None,
    model=None,
    centre=False,
):
    """The goals nearest `vector` (`skip`: a document id left out before reading documents), each document
    with its team's name (`team_name`) and its cosine; `model`: the embedder's identity when the caller has
    it. `centre`: rank by the cosine less each goal's cosine with the mean of the organization's goals
    (from `CENTRE_FROM` goals on), so that a goal close to everything does not come first for every draft;
    the threshold and the figure shown stay the plain cosine."""
    name, dimension = model or embedding.identity()
    m = matrix(actor.organization.pk, name, dimension, token=token)
    query = vector
    if centre and m.count("goal") >= CENTRE_FROM:
        query = vector - m.mean("goal")
    # a centred query is no text's vector: its signs pick no candidates, so every goal is scored
    near = m.nearest(
        query, limit=limit + len(exclude), types=["goal"], cycle_id=cycle_id, exact=query is not vector
    )
    if query is not vector:
        cosines = m.cosines("goal", [d for d, _ in near], vector)
        near = [(d, cosines[d]) for d, _ in near]
    near = [(d, s) for d, s in near if s >= threshold]
    near = [(d, s) for d, s in near if d != skip]
    if not near:
        return []
    teams = Team.objects.for_org(actor.organization).filter(pk=OuterRef("team_id")).values("name")[:1]
    docs = SearchDocument.objects.for_org(actor.organization).annotate(team_name=Subquery(teams))
    docs = docs.in_bulk([d for d, _ in near])
    hits = [(docs[d], s) for d, s in near if d in docs and docs[d].object_id not in exclude]
    return hits[:limit]


def similar_goals(*, actor: Actor, goal_id: int, limit: int = 5) -> list[tuple[SearchDocument, float]]:
    """Near-duplicates of a goal (cosine at or above the organization's threshold), other goals only."""
    return similar_goals_and_threshold(actor=actor, goal_id=goal_id, limit=limit)[0]


def goal_similar(*, actor: Actor, goal_id: int, limit: int = 5):
    """A goal's similar goals, the threshold and whether meaning search is on, as the goal page's panel
    has them (stored vectors only: the model is not loaded); NotFound for a goal that is not the
    organization's, as the goal page. The REST operation and the MCP tool read this."""
    goal = registry.get("goal")
    if goal is None or not goal.model.objects.for_org(actor.organization).filter(pk=goal_id).exists():
        raise NotFound("No such goal.")
    hits, threshold = similar_goals_and_threshold(actor=actor, goal_id=goal_id, limit=limit)
    model = embedding.identity()
    return hits, threshold, MeaningStatus(True, model[0]) if model is not None else meaning_status()


def similar_goal_columns(*, actor: Actor) -> dict:
    """What `similar_goals_and_threshold` reads, as columns of the query of the goal (`OuterRef("pk")`):
    its document with its vector's model and dimension, the vector, the threshold and the index token."""
    org = actor.organization
    doc = SearchDocument.objects.for_org(org).filter(type="goal", object_id=OuterRef("pk")).order_by("id")
    return {
        "similar_doc": JSONRows(
            doc, "id", model="embedding__model", dimension="embedding__dimension", limit=1
        ),
        "similar_vector": Subquery(doc.values("embedding__vector")[:1]),
        "similar_threshold": Subquery(SearchSettings.objects.for_org(org).values("similar_threshold")[:1]),
        "similar_token": Subquery(SearchIndexState.objects.for_org(org).values("token")[:1]),
    }


def similar_goals_and_threshold(*, actor: Actor, goal_id: int, limit: int = 5) -> tuple[list[tuple], float]:
    """`similar_goals` with the threshold used. The goal's vector, the threshold and the index token come
    in one query; documents are read only when another goal is near enough. Stored vectors only: the
    model itself is not loaded (its name and dimension are enough). (The goal page reads the same with its
    goal: `similar_goal_columns`.)"""
    model = embedding.identity()
    if model is None:
        return [], similar_threshold(actor.organization)
    org = actor.organization
    row = (
        SearchDocument.objects.for_org(org)
        .filter(type="goal", object_id=goal_id)
        .annotate(
            threshold=Subquery(SearchSettings.objects.for_org(org).values("similar_threshold")[:1]),
            token=Subquery(SearchIndexState.objects.for_org(org).values("token")[:1]),
        )
        .values(
            "id",
            "threshold",
            "token",
            vector=F("embedding__vector"),
            model=F("embedding__model"),
            dimension=F("embedding__dimension"),
        )
        .first()
    )
    if row is None:
        return [], similar_threshold(org)
    columns = {
        "similar_doc": [{"id": row["id"], "model": row["model"], "dimension": row["dimension"]}],
        "similar_vector": row["vector"],
        "similar_threshold": row["threshold"],
        "similar_token": row["token"],
    }
    return similar_goals_from(actor=actor, goal_id=goal_id, columns=columns, model=model, limit=limit)


def similar_goals_from(*, actor: Actor, goal_id: int, columns: dict, model, limit: int = 5):
    """`similar_goals_and_threshold` from `similar_goal_columns`' values, for the embedder `model`."""
    threshold = _threshold(columns["similar_threshold"])
    doc = columns["similar_doc"][0] if columns["similar_doc"] else None
    if doc is None or (doc["model"], doc["dimension"]) != model:
        return [], threshold
    vector = unpack(columns["similar_vector"], doc["dimension"])
    hits = _goal_hits(
        actor, vector, exclude={goal_id}, limit=limit, threshold=threshold, skip=doc["id"],
        token=columns["similar_token"], model=model,
    )  # fmt: skip
    return hits, threshold


def parent_threshold() -> float:
    """The least cosine a likely parent shows with (`PARENT_THRESHOLD`, or the setting's)."""
    return float(getattr(settings, "CHARTER_SEARCH_PARENT_THRESHOLD", PARENT_THRESHOLD))


def likely_parents(
    *,
    actor: Actor,
    title: str,
    purpose: str = "",
    cycle_id: int | None = None,
    exclude_id=None,
    limit: int = 5,
) -> list[tuple[SearchDocument, float]]:
    """Goals of the cycle most likely to be the parent of a goal being written, each with its cosine to
    the draft (at least `parent_threshold()`); ranked centred (`_goal_hits`)."""
    emb = embedding.get_embedder()
    if emb is None or not (title.strip() or purpose.strip()):
        return []
    # The draft's text as its goal's document would be embedded (`services._embed_text`): its full stop
    # kept (stripping it moved true parents down: the mentoring draft's from 3rd to 4th).
    vector = _embedded(emb, f"{title}. {purpose}".strip())
    return _goal_hits(
        actor,
        vector,
        cycle_id=cycle_id,
        exclude={exclude_id} - {None},
        limit=limit,
        threshold=parent_threshold(),
        model=(emb.name, emb.dimension),
        centre=True,
    )


@dataclass(frozen=True)
class MeaningStatus:
    """Whether meaning search is on, with which model, and if not, why."""

    on: bool
    model: str = ""
    reason: str = ""


def meaning_status() -> MeaningStatus:
    emb, reason = embedding.load()
    return MeaningStatus(True, emb.name) if emb is not None else MeaningStatus(False, reason=reason)


def stored_vectors(*, actor: Actor, type: str, object_ids=None, cycle_id: int | None = None) -> dict:
    """object id -> the stored unit vector (float32) of the organization's documents of `type` (of
    `object_ids`, or of the cycle), made by the current embedder; empty without one. Stored vectors only:
    the model is not loaded (the lint's meaning rules read the goals' and the mission's)."""
    model = embedding.identity()
    if model is None:
        return {}
    name, dimension = model
    rows = SearchDocument.objects.for_org(actor.organization).filter(
        type=type, embedding__model=name, embedding__dimension=dimension
    )
    if object_ids is not None:
        rows = rows.filter(object_id__in=list(object_ids))
    if cycle_id is not None:
        rows = rows.filter(cycle_id=cycle_id)
    return {
        object_id: np.frombuffer(bytes(data), dtype=np.float32, count=dimension)
        for object_id, data in rows.order_by().values_list("object_id", "embedding__vector")
    }


def embed_texts(texts: list[str]) -> np.ndarray | None:
    """Unit vectors (one row per text) of texts that are not in the index (a goals file, a labelled set),
    by the current embedder; None without one."""
    emb = embedding.get_embedder()
    return None if emb is None else emb.embed(list(texts))
