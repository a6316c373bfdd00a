"""The decision log of a large organization: the newest decisions only, and a goal filter of linked goals."""

import pytest
from django.urls import reverse

from charter.delegation import views
from charter.goals.tests.factories import make_goal

from .factories import make_cast, record

pytestmark = pytest.mark.django_db


def test_log_shows_the_newest_and_says_the_filters_narrow_the_rest(owner, cycle, login, monkeypatch):
    cast = make_cast(owner)
    monkeypatch.setattr(views, "LOG_SHOWN", 2)
    for title in ("First call", "Second call", "Third call"):
        record(cast.bob, cast.product, cast.domain, title)
    page = login(cast.bob).get(reverse("decision_log")).content.decode()
    assert "Third call" in page and "Second call" in page and "First call" not in page
    assert "narrow the filters" in page


def test_goal_filter_offers_only_goals_with_decisions(owner, cycle, login):
    cast = make_cast(owner)
    linked = make_goal(cast.owner, cycle, "Linked goal", team_id=cast.product.pk)
    make_goal(cast.owner, cycle, "Quiet goal", team_id=cast.product.pk)
    record(cast.bob, cast.product, cast.domain, "About the linked goal", goal_ids=[linked.pk])
    response = login(cast.bob).get(reverse("decision_log"))
    assert [title for _, title in response.context["goals"]] == ["Linked goal"]
    assert "narrow the filters" not in response.content.decode()
