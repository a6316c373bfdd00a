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
