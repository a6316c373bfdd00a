"""The vector matrix: rows grouped by type give the same neighbours as a brute-force scan of every row."""

import itertools

import numpy as np
import pytest

from charter.search.vectors import _build, _matrix, pack


@pytest.fixture
def rows():
    rng = np.random.default_rng(7)
    types = ["decision", "goal", "idea", "key_result"]
    made = []
    for doc_id in range(1, 401):
        vector = rng.normal(size=16)
        made.append(
            (
                doc_id,
                types[doc_id % 4],
                doc_id % 3 or None,
                doc_id % 5 + 1,
                pack(vector / np.linalg.norm(vector)),
            )
        )
    return sorted(made, key=lambda r: (r[1], r[0]))  # as the matrix reads them: by type, then id


def _brute(rows, query, limit, types, team_id, cycle_id):
    scored = [
        (float(np.frombuffer(r[4], dtype=np.float32) @ query), r[0])
        for r in rows
        if (not types or r[1] in types)
        and (not team_id or r[2] == team_id)
        and (not cycle_id or r[3] == cycle_id)
    ]
    return [doc_id for _, doc_id in sorted(scored, key=lambda s: (-s[0], s[1]))[:limit]]


def test_nearest_matches_a_scan_of_every_row_under_every_filter(rows):
    m = _matrix(_build(iter(rows), 16))
    assert m.vectors.shape == (400, 16) and set(m.blocks) == {"decision", "goal", "idea", "key_result"}
    query = np.frombuffer(rows[17][4], dtype=np.float32)
    filters = itertools.product([None, ["goal"], ["idea", "goal"], ["unknown"]], [None, 1, 2], [None, 3])
    for types, team_id, cycle_id in filters:
        near = m.nearest(query, limit=7, types=types, team_id=team_id, cycle_id=cycle_id)
        assert [d for d, _ in near] == _brute(rows, query, 7, types, team_id, cycle_id)
        assert all(a[1] >= b[1] for a, b in itertools.pairwise(near))
    assert m.nearest(query, limit=3)[0] == (rows[17][0], pytest.approx(1.0, abs=1e-5))


def test_an_empty_index_has_no_neighbours():
    m = _matrix(_build(iter([]), 16))
    assert m.vectors.shape == (0, 16)
    assert m.nearest(np.ones(16, dtype=np.float32), limit=5) == []
    assert m.nearest(np.ones(16, dtype=np.float32), limit=5, types=["goal"]) == []


def test_a_repeated_text_is_embedded_once_per_process_and_its_vector_stays_unchanged():
    from charter.search.selectors import _embedded

    class Counting:
        calls = 0

        def embed(self, texts):
            self.calls += 1
            return np.ones((len(texts), 4), dtype=np.float32) / 2

    model = Counting()
    first = _embedded(model, "churn in onboarding")
    again = _embedded(model, "churn in onboarding")
    _embedded(model, "another query")
    assert model.calls == 2 and first is again
    with pytest.raises(ValueError):
        first[0] = 0  # shared by every later search: read-only


def _topics(count, dimension=384, topics=300, seed=11):
    """Unit vectors in topics, as text embeddings are: each a topic's centre plus noise of its own
    (a row's cosine to its topic's centre about 0.6, to another topic's about 0)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((topics, dimension)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    topic = rng.integers(0, topics, count)
    noise = rng.standard_normal((count, dimension)).astype(np.float32) * np.float32(1.3 / np.sqrt(dimension))
    vectors = centres[topic] + noise
    return centres, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _large(count=120_000, dimension=384):
    """A matrix past `EXACT_ROWS`: the sign codes choose the rows scored."""
    _, made = _topics(count, dimension)
    types = np.array(["decision", "goal", "idea", "key_result"])[np.arange(count) % 4]
    rows = sorted(
        ((i + 1, str(types[i]), i % 7 or None, i % 3 + 1, made[i].tobytes()) for i in range(count)),
        key=lambda r: (r[1], r[0]),
    )
    return rows, _matrix(_build(iter(rows), dimension))


def _full_scan(m, query, limit, types=None, team_id=None, cycle_id=None):
    keep = np.ones(len(m.ids), dtype=bool)
    if types:
        of_types = np.zeros(len(m.ids), dtype=bool)
        for t in types:
            of_types[m.blocks[t]] = True
        keep &= of_types
    if team_id:
        keep &= m.teams == team_id
    if cycle_id:
        keep &= m.cycles == cycle_id
    idx = np.flatnonzero(keep)
    scores = m.vectors[idx] @ query
    order = np.lexsort((m.ids[idx], -scores))[:limit]
    return [int(m.ids[idx[i]]) for i in order]


def test_above_the_exact_rows_the_sign_codes_keep_the_full_scans_top_ten_on_topics():
    from charter.search import vectors

    _, m = _large()
    assert len(m.ids) > vectors.EXACT_ROWS and m.codes.shape == (6, len(m.ids))
    rng = np.random.default_rng(5)
    centres, _ = _topics(1)
    filters = [(None, None, None), (["goal", "key_result"], None, None), (None, None, 2), (["idea"], 3, None)]
    for n in range(40):
        # a query near a topic, as a question about it is: its centre plus noise of its own
        query = centres[rng.integers(len(centres))] + rng.standard_normal(384).astype(np.float32) * 0.08
        query = (query / np.linalg.norm(query)).astype(np.float32)
        types, team_id, cycle_id = filters[n % len(filters)]
        near = m.nearest(query, limit=10, types=types, team_id=team_id, cycle_id=cycle_id)
        assert [d for d, _ in near] == _full_scan(m, query, 10, types, team_id, cycle_id)


def test_sign_codes_pad_short_vectors_to_whole_words():
    from charter.search.vectors import sign_codes

    codes = sign_codes(np.array([[1, -1] * 8, [-1] * 16], dtype=np.float32))
    assert codes.shape == (1, 2) and codes.dtype == np.uint64
    assert np.bitwise_count(codes[0, 0] ^ codes[0, 1]) == 8
