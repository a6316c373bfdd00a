"""The index follows every write, reindexes after a model change, and keyword search works without a model."""

import numpy as np
import pytest
from django.db.models import Exists, OuterRef

from charter.discussion.services import comment_add, comment_delete
from charter.goals.services import goal_delete, goal_update
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.search import embedder, selectors, services, vectors
from charter.search.models import SearchDocument, SearchIndexState, SearchVector
from charter.search.vectors import unpack


def _lacks_current_vectors(organization_id: int) -> bool:
    """Some document has no vector of the embedder in use (what a model change leaves behind)."""
    emb = embedder.get_embedder()
    if emb is None:
        return False
    current = SearchVector.objects.for_org(organization_id).filter(
        document=OuterRef("pk"), model=emb.name, dimension=emb.dimension
    )
    return SearchDocument.objects.for_org(organization_id).filter(~Exists(current)).exists()


class FakeEmbedder:
    """Another model: 8 dimensions from the text's hash (stable within a test)."""

    name = "fake-8"
    dimension = 8

    def embed(self, texts):
        rows = [np.random.default_rng(abs(hash(t)) % 2**32).normal(size=8) for t in texts]
        return np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32)


def _docs(actor, **filters):
    return SearchDocument.objects.for_org(actor.organization).filter(**filters)


def test_writes_and_deletes_keep_the_index_current(owner, cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        goal = make_goal(owner, cycle, title="Reduce churn to 3%", purpose="Customers stay with us.")
        make_key_result(owner, goal, title="Monthly churn below 3%")
    doc = _docs(owner, type="goal", object_id=goal.pk).get()
    assert doc.cycle_id == cycle.pk and "Customers stay" in doc.body
    meaning = doc.embedding
    assert meaning.model == "all-MiniLM-L6-v2" and meaning.dimension == 384
    assert meaning.organization_id == doc.organization_id
    assert np.isclose(np.linalg.norm(unpack(meaning.vector, 384)), 1.0, atol=1e-4)
    assert _docs(owner, type="key_result").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        goal_update(actor=owner, goal_id=goal.pk, title="Halve customer attrition")
    assert _docs(owner, type="goal", object_id=goal.pk).get().title == "Halve customer attrition"
    assert [h.doc.object_id for h in selectors.search(actor=owner, q="attrition", mode="keyword").hits] == [
        goal.pk
    ]
    assert not selectors.search(actor=owner, q="churn", types=["goal"], mode="keyword").hits

    with django_capture_on_commit_callbacks(execute=True):
        goal_delete(actor=owner, goal_id=goal.pk)
    assert not _docs(owner).exists()
    assert not SearchVector.objects.for_org(owner.organization).exists()  # gone with their documents
    assert not selectors.search(actor=owner, q="attrition", mode="keyword").hits


def test_a_deleted_comment_leaves_the_index(owner, cycle, django_capture_on_commit_callbacks):
    goal = make_goal(owner, cycle, title="Ship the mobile app")
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_add(actor=owner, target_type="goal", target_id=goal.pk, body="Beta testers love it")
    hit = selectors.search(actor=owner, q="testers", mode="keyword").hits[0]
    assert hit.doc.type == "comment" and hit.doc.url.endswith(f"/goals/{goal.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        comment_delete(actor=owner, comment_id=comment.pk)
    assert not _docs(owner, type="comment").exists()


def test_indexing_twice_is_harmless(owner, cycle):
    goal = make_goal(owner, cycle, title="Open a hiring office")
    for _ in range(2):
        assert services.index_item(type_="goal", object_id=goal.pk) == "indexed"
    assert _docs(owner, type="goal").count() == 1
    assert services.index_item(type_="goal", object_id=10**9) == "removed"


def test_a_model_change_reindexes_and_search_skips_other_models(owner, cycle):
    goal = make_goal(owner, cycle, title="Reduce churn to 3%")
    services.reindex(organization_id=owner.organization.pk)
    with embedder.use(FakeEmbedder()):
        assert _lacks_current_vectors(owner.organization.pk)
        results = selectors.search(actor=owner, q="keep clients from leaving", mode="meaning")
        assert results.meaning_on and not results.hits  # the stored vectors are of another model
        assert services.reindex(organization_id=owner.organization.pk) >= 1
        meaning = _docs(owner, type="goal", object_id=goal.pk).get().embedding
        assert (meaning.model, meaning.dimension, len(meaning.vector)) == ("fake-8", 8, 32)
        assert not _lacks_current_vectors(owner.organization.pk)
    assert _lacks_current_vectors(owner.organization.pk)


def test_without_the_model_keyword_search_still_works(owner, cycle):
    make_goal(owner, cycle, title="Reduce churn to 3%")
    services.reindex(organization_id=owner.organization.pk)
    assert SearchVector.objects.for_org(owner.organization).exists()
    with embedder.use(None, "the ONNX model not found"):
        services.reindex(organization_id=owner.organization.pk)
        assert not SearchVector.objects.for_org(owner.organization).exists()  # no model, no vectors
        results = selectors.search(actor=owner, q="churn")
        assert not results.meaning_on and results.meaning_off_reason == "the ONNX model not found"
        assert [h.doc.title for h in results.hits] == ["Reduce churn to 3%"]
        assert "<mark>churn</mark>" in results.hits[0].title_html


def test_snippets_escape_before_marking(owner, cycle):
    make_goal(owner, cycle, title="<b>Churn</b> & more", purpose="<script>churn</script>")
    services.reindex(organization_id=owner.organization.pk)
    hit = selectors.search(actor=owner, q="churn", mode="keyword").hits[0]
    assert hit.title_html == "&lt;b&gt;<mark>Churn</mark>&lt;/b&gt; &amp; more"
    assert "&lt;script&gt;<mark>churn</mark>" in hit.snippet_html


def test_filters_and_bad_input(owner, cycle, other_owner):
    make_goal(owner, cycle, title="Reduce churn to 3%")
    services.reindex(organization_id=owner.organization.pk)
    assert selectors.search(actor=owner, q="churn", cycle_id=cycle.pk).hits
    assert not selectors.search(actor=owner, q="churn", cycle_id=cycle.pk + 1000).hits
    assert not selectors.search(actor=owner, q="churn", types=["decision"]).hits
    assert not selectors.search(actor=other_owner, q="churn").hits
    with pytest.raises(Exception, match="Unknown types: nope"):
        selectors.search(actor=owner, q="churn", types=["nope"])


def test_similar_goals_and_likely_parents(owner, cycle, settings):
    a = make_goal(owner, cycle, title="Reduce customer churn to 3%", purpose="", end_state="")
    b = make_goal(owner, cycle, title="Reduce churn of customers to 3 percent", purpose="", end_state="")
    make_goal(owner, cycle, title="Hire five senior engineers", purpose="", end_state="")
    services.reindex(organization_id=owner.organization.pk)
    assert [d.object_id for d, _ in selectors.similar_goals(actor=owner, goal_id=a.pk)] == [b.pk]
    settings.CHARTER_SEARCH_SIMILAR_THRESHOLD = 0.999
    assert selectors.similar_goals(actor=owner, goal_id=a.pk) == []
    parents = selectors.likely_parents(actor=owner, title="Keep clients from leaving", cycle_id=cycle.pk)
    assert parents[0][0].object_id in {a.pk, b.pk}


def test_the_vector_matrix_is_kept_until_a_document_of_its_organization_changes(owner, cycle, other_owner):
    org_id = owner.organization.pk
    goal = make_goal(owner, cycle, title="Reduce churn to 3%")
    services.reindex(organization_id=org_id)
    emb = embedder.get_embedder()

    def current():
        return vectors.matrix(org_id, emb.name, emb.dimension)

    first = current()
    assert current() is first
    theirs = make_goal(other_owner, make_cycle(other_owner, "Theirs"), title="Theirs")
    services.index_item(type_="goal", object_id=theirs.pk)
    assert current() is first  # another organization's write
    services.index_item(type_="goal", object_id=make_goal(owner, cycle, title="Hire five engineers").pk)
    second = current()
    assert second.live_rows() == first.live_rows() + 1
    goal_id = goal.pk
    goal.delete()
    assert services.index_item(type_="goal", object_id=goal_id) == "removed"
    assert current().live_rows() == first.live_rows()
    SearchIndexState.objects.for_org(owner.organization).delete()  # documents written without the services
    assert current() is not second and SearchIndexState.objects.for_org(owner.organization).exists()


def test_workers_share_the_matrix_through_files_named_by_the_token(
    owner, cycle, settings, tmp_path, django_assert_num_queries
):
    settings.CHARTER_VECTOR_DIR = str(tmp_path / "vectors")
    org_id = owner.organization.pk
    for title in ("Reduce churn to 3%", "Hire five engineers"):
        make_goal(owner, cycle, title=title)
    services.reindex(organization_id=org_id)
    emb = embedder.get_embedder()
    in_memory = vectors._matrix(
        vectors._build(
            SearchDocument.objects.for_org(owner.organization)
            .order_by("type", "id")
            .values_list("id", "type", "team_id", "cycle_id", "embedding__vector"),
            emb.dimension,
        )
    )
    built = vectors.matrix(org_id, emb.name, emb.dimension)
    assert isinstance(built.vectors, np.memmap) and built.blocks == in_memory.blocks
    assert np.array_equal(built.vectors, in_memory.vectors) and np.array_equal(built.ids, in_memory.ids)
    assert isinstance(built.codes, np.memmap) and np.array_equal(built.codes, in_memory.codes)
    vectors._cache.clear()  # another worker: the token, then the file (no document read)
    with django_assert_num_queries(1):
        again = vectors.matrix(org_id, emb.name, emb.dimension)
    assert np.array_equal(again.vectors, built.vectors)
    folder = tmp_path / "vectors"
    written = {p.name for p in folder.iterdir()}
    services.index_item(type_="goal", object_id=make_goal(owner, cycle, title="Open an office").pk)
    with django_assert_num_queries(2):  # the changes since the kept matrix, then the changed rows only
        grown = vectors.matrix(org_id, emb.name, emb.dimension)
    assert grown.live_rows() == built.live_rows() + 1 and grown.vectors is again.vectors
    assert {p.name for p in folder.iterdir()} == written  # a write rewrites no file
    vectors._cache.clear()  # a worker started after the write: the older file, then the changes
    with django_assert_num_queries(2):
        late = vectors.matrix(org_id, emb.name, emb.dimension)
    query = np.ones(emb.dimension, dtype=np.float32) / np.sqrt(emb.dimension)
    assert late.live_rows() == 3 and late.nearest(query, limit=5) == grown.nearest(query, limit=5)
    token = SearchIndexState.objects.for_org(owner.organization).get().token
    assert late.token == token and {name.split("-")[-1].split(".")[0] for name in written} != {token}


def test_hits_carry_their_documents_whether_words_or_meaning_found_them(
    owner, cycle, django_assert_num_queries
):
    for title in ("Reduce customer churn", "Keep clients from leaving us", "Hire five engineers"):
        make_goal(owner, cycle, title=title, purpose="", end_state="")
    services.reindex(organization_id=owner.organization.pk)
    results = selectors.search(actor=owner, q="churn")
    assert {h.found_by for h in results.hits} >= {"both", "meaning"}
    stored = SearchDocument.objects.for_org(owner.organization)
    for hit in results.hits:
        row = stored.values("organization_id", *selectors.HIT_FIELDS).get(pk=hit.doc.pk)
        assert {name: getattr(hit.doc, name) for name in row} == row
    with django_assert_num_queries(1):  # keyword hits only: their rows are not read again
        hits = selectors.search(actor=owner, q="churn", mode="keyword").hits
    assert [h.doc.title for h in hits] == ["Reduce customer churn"]
