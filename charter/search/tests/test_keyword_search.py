"""The keyword half: meaningful words only, every word before any word, a bounded candidate set."""

import pytest
from django.db import connection

from charter.search import keyword
from charter.search.models import SearchDocument
from charter.search.vectors import touch

pytestmark = pytest.mark.django_db


def _docs(org_id, *texts):
    ids = []
    for n, (title, body) in enumerate(texts, 1):
        doc = SearchDocument.objects.unscoped().create(
            organization_id=org_id, type="goal", object_id=n, title=title, body=body
        )
        keyword.backend().write(doc.pk, title, body)
        ids.append(doc.pk)
    touch([org_id])
    return ids


def _search(org_id, q, limit=10):
    return [row[0] for row in keyword.search(org_id, q, types=None, team_id=None, cycle_id=None, limit=limit)]


def test_documents_with_every_word_come_before_those_with_some(owner):
    org = owner.organization.pk
    churn, both, customers, other = _docs(
        org,
        ("Reduce churn", "Churn is high. Churn again."),
        ("Keep customers", "Customer churn below 2%"),
        ("Customers first", "Talk to customers"),
        ("Hire engineers", "More of our people"),
    )
    found = _search(org, "customer churn")
    assert found[0] == both and set(found) == {churn, both, customers}


def test_words_without_meaning_find_nothing(owner):
    org = owner.organization.pk
    _docs(org, ("Make more of our work", "We get what we want"), ("Reduce churn", ""))
    assert _search(org, "make our more") == []
    assert len(_search(org, "how do we reduce churn")) == 1


def test_rows_carry_the_text_and_the_index_token(owner):
    org = owner.organization.pk
    (doc,) = _docs(org, ("Pass the SOC 2 audit", "Auditors observe our controls"))
    ((doc_id, title, body, token, *shown),) = keyword.search(
        org, "SOC 2", types=None, team_id=None, cycle_id=None, limit=5
    )
    assert (doc_id, title, body) == (doc, "Pass the SOC 2 audit", "Auditors observe our controls") and token
    assert shown == ["goal", 1, "", None, None]  # what a hit shows: type, object, url, team, cycle


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL ranks a bounded candidate set")
def test_postgres_ranks_at_most_the_candidates_of_each_step(owner, monkeypatch):
    org = owner.organization.pk
    _docs(org, *[(f"Churn report {n}", "") for n in range(5)])
    monkeypatch.setattr(keyword, "CANDIDATES", 2)
    assert len(_search(org, "churn")) == 2
    assert len(_search(org, "churn report")) == 2  # AND: 2 candidates; OR adds none beyond its own 2
