"""The vector matrix follows writes by the rows they changed: after any sequence of adds, updates and
deletes it answers exactly as a matrix built afresh from the table (SQLite and PostgreSQL)."""

import itertools

import numpy as np
import pytest
from django.db import transaction

from charter.search import vectors
from charter.search.models import SearchChange, SearchDocument, SearchIndexState, SearchVector

pytestmark = pytest.mark.django_db(transaction=False)

DIM = 16
MODEL = "test-model"
TYPES = ["decision", "goal", "idea", "key_result"]


class Index:
    """Documents with vectors written as the services write them: rows, then `touch` with their ids."""

    def __init__(self, org_id, seed=3):
        self.org_id, self.rng, self.objects = org_id, np.random.default_rng(seed), {}

    def _vector(self):
        v = self.rng.normal(size=DIM)
        return vectors.pack(v / np.linalg.norm(v))

    def put(self, object_id, *, type_=None, vector=True):
        """Add or update one object's document (a new vector, team and cycle each time)."""
        type_ = type_ or TYPES[object_id % 4]
        fields = {
            "title": f"Object {object_id}",
            "team_id": int(self.rng.integers(1, 4)) if self.rng.random() < 0.7 else None,
            "cycle_id": int(self.rng.integers(1, 3)),
        }
        doc, _ = SearchDocument.objects.unscoped().update_or_create(
            organization_id=self.org_id, type=type_, object_id=object_id, defaults=fields
        )
        if vector:
            SearchVector.objects.unscoped().update_or_create(
                document=doc,
                defaults={
                    "organization_id": self.org_id,
                    "vector": self._vector(),
                    "model": MODEL,
                    "dimension": DIM,
                },
            )
        else:
            SearchVector.objects.unscoped().filter(document=doc).delete()
        vectors.touch({self.org_id: [doc.pk]})
        self.objects[object_id] = doc.pk

    def drop(self, object_id):
        doc_id = self.objects.pop(object_id)
        SearchDocument.objects.unscoped().filter(pk=doc_id).delete()
        vectors.touch({self.org_id: [doc_id]})


def fresh(org_id) -> vectors.Matrix:
    rows = (
        SearchVector.objects.for_org(org_id)
        .filter(model=MODEL, dimension=DIM)
        .order_by("document__type", "document_id")
        .values_list("document_id", "document__type", "document__team_id", "document__cycle_id", "vector")
    )
    return vectors._matrix(vectors._build(list(rows), DIM))


def current(org_id) -> vectors.Matrix:
    return vectors.matrix(org_id, MODEL, DIM)


def canonical(m: vectors.Matrix) -> dict:
    """Each type's live rows in the order of their ids: ids, teams, cycles, vectors, sign codes."""
    arrays = vectors._merged(m)
    out = {}
    for name, (start, stop) in zip(arrays["block_names"], arrays["block_bounds"].tolist(), strict=True):
        rows = slice(start, stop)
        out[str(name)] = (
            arrays["ids"][rows].tolist(),
            arrays["teams"][rows].tolist(),
            arrays["cycles"][rows].tolist(),
            arrays["vectors"][rows].tobytes(),
            arrays["codes"][:, rows].tobytes(),
        )
    return out


def assert_same(incremental: vectors.Matrix, built: vectors.Matrix, seed: int) -> None:
    assert canonical(incremental) == canonical(built)
    assert incremental.live_rows() == built.live_rows() == len(built.ids)
    rng = np.random.default_rng(seed)
    queries = [built.vectors[i] for i in rng.integers(0, len(built.ids), 3)] if len(built.ids) else []
    queries += [v / np.linalg.norm(v) for v in rng.normal(size=(3, DIM)).astype(np.float32)]
    filters = itertools.product([None, ["goal"], ["idea", "key_result"]], [None, 1, 3], [None, 2])
    for query, (types, team_id, cycle_id), exact in itertools.product(queries, filters, [False, True]):
        args = {"limit": 7, "types": types, "team_id": team_id, "cycle_id": cycle_id, "exact": exact}
        assert incremental.nearest(query, **args) == built.nearest(query, **args)
    for type_ in TYPES:
        assert incremental.count(type_) == built.count(type_)
        mean, expected = incremental.mean(type_), built.mean(type_)
        assert (mean is None and expected is None) or mean.tobytes() == expected.tobytes()
    some = built.ids[::3].tolist() + [10**9]
    if queries:
        assert sorted(incremental.cosines_of(some, queries[0])) == sorted(built.cosines_of(some, queries[0]))
        assert incremental.cosines("goal", some, queries[0]) == built.cosines("goal", some, queries[0])


def test_adds_updates_and_deletes_give_the_matrix_a_fresh_build_gives(
    owner, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(vectors, "EXACT_ROWS", 40)  # the sign codes' path too (filtered searches stay exact)
    monkeypatch.setattr(vectors, "candidates", lambda limit: 30)  # a cut among the sign codes' distances
    monkeypatch.setattr(vectors, "MERGE_ROWS", 25)  # and the delta merged into a new base on the way
    org_id = owner.organization.pk
    index = Index(org_id)
    for object_id in range(1, 121):
        index.put(object_id)
    start = current(org_id)
    assert start.delta is None and start.live_rows() == 120
    rng = np.random.default_rng(5)
    behind = start  # a process that searched last before all these writes
    merged = False
    for step in range(40):
        for _ in range(int(rng.integers(1, 4))):
            action = rng.random()
            known = sorted(index.objects)
            if action < 0.35:
                index.put(int(rng.integers(1000, 5000)))  # a new document
            elif action < 0.7:
                index.put(int(rng.choice(known)))  # an updated one (new vector, team, cycle)
            elif action < 0.8:
                index.put(int(rng.choice(known)), vector=False)  # one that lost its vector
            else:
                index.drop(int(rng.choice(known)))
        before = vectors._cache[(org_id, MODEL)]
        with django_assert_num_queries(2):  # the changes since, then the changed rows only
            m = current(org_id)
        assert m.counter == SearchIndexState.objects.for_org(org_id).get().counter
        merged |= m.delta is None and before.delta is not None
        assert_same(m, fresh(org_id), seed=step)
    assert merged
    caught = vectors._caught_up(behind, org_id, MODEL, DIM)  # another process, many writes behind
    assert caught is not None
    assert_same(caught, fresh(org_id), seed=99)
    with django_assert_num_queries(1):  # nothing written since: only the state is read
        assert current(org_id) is m


def test_a_matrix_that_cannot_follow_the_changes_is_read_again(owner, other_owner, monkeypatch):
    org_id = owner.organization.pk
    index = Index(org_id)
    for object_id in range(1, 11):
        index.put(object_id)
    m = current(org_id)
    # a write that saw its own document, then rolled back: its number is given again to another write
    with pytest.raises(RuntimeError), transaction.atomic():
        index.put(11)
        assert current(org_id).live_rows() == 11
        raise RuntimeError
    index.objects.pop(11)
    index.put(12)
    assert_same(current(org_id), fresh(org_id), seed=1)
    # changes pruned beyond the matrix's counter
    m = current(org_id)
    index.put(13)
    SearchChange.objects.for_org(org_id).filter(counter__lte=m.counter).delete()
    assert vectors._caught_up(m, org_id, MODEL, DIM) is None
    assert_same(current(org_id), fresh(org_id), seed=2)
    # a write that did not name its documents
    m = current(org_id)
    SearchDocument.objects.unscoped().filter(organization_id=org_id, object_id=1).delete()
    vectors.touch([org_id])
    assert vectors._caught_up(m, org_id, MODEL, DIM) is None
    assert_same(current(org_id), fresh(org_id), seed=3)
    # the index made afresh under the same numbers (its state deleted)
    m = current(org_id)
    SearchIndexState.objects.for_org(org_id).delete()
    SearchChange.objects.for_org(org_id).delete()
    index.put(2)
    assert vectors._caught_up(m, org_id, MODEL, DIM) is None
    assert_same(current(org_id), fresh(org_id), seed=4)
    # more changes than reading the whole matrix again would cost (a reindex)
    monkeypatch.setattr(vectors, "REBUILD_ROWS", 3)
    m = current(org_id)
    for object_id in range(20, 23):
        index.put(object_id)
    assert vectors._caught_up(m, org_id, MODEL, DIM) is not None
    index.put(23)
    assert vectors._caught_up(m, org_id, MODEL, DIM) is None
    assert_same(current(org_id), fresh(org_id), seed=5)
    # another organization's writes are not this one's changes
    m = current(org_id)
    Index(other_owner.organization.pk).put(1)
    assert current(org_id) is m


def test_old_changes_are_pruned(owner, monkeypatch):
    monkeypatch.setattr(vectors, "PRUNE_EVERY", 4)
    monkeypatch.setattr(vectors, "KEEP_CHANGES", 6)
    org_id = owner.organization.pk
    index = Index(org_id)
    for object_id in range(1, 14):
        index.put(object_id)
    counters = sorted(SearchChange.objects.for_org(org_id).values_list("counter", flat=True))
    assert counters == list(range(7, 14))  # pruned at 12: changes up to 6 went
