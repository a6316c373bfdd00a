"""`core.queries`, the one door for hand-written SQL: named parameters only, the organization filter
required unless a query says why it needs none; a scoped query gives the asked organization's rows only."""

import pytest
from django.db import connection

from charter.core import queries
from charter.goals.models import Goal
from charter.goals.tests.factories import make_cycle, make_goal

GOALS = connection.ops.quote_name(Goal._meta.db_table)
SCOPED = f"SELECT title FROM {GOALS} WHERE organization_id = %(organization_id)s ORDER BY title"


def test_sql_without_the_organization_filter_is_refused_before_it_runs():
    with pytest.raises(queries.UnscopedQuery):
        queries.fetch_all(f"SELECT title FROM {GOALS}", {})
    with pytest.raises(queries.UnscopedQuery):  # the parameter without the filter in the text
        queries.fetch_all(f"SELECT title FROM {GOALS}", {"organization_id": 1})
    with pytest.raises(queries.UnscopedQuery):  # the filter without the organization
        queries.fetch_all(SCOPED, {"organization_id": None})
    with pytest.raises(queries.UnscopedQuery):
        queries.execute(f"DELETE FROM {GOALS}")


def test_positional_parameters_and_an_unscoped_query_without_a_reason_are_refused():
    with pytest.raises(TypeError, match="named"):
        queries.fetch_all(f"SELECT title FROM {GOALS} WHERE organization_id = %s", [1])
    with pytest.raises(queries.UnscopedQuery, match="reason"):
        queries.fetch_all(f"SELECT title FROM {GOALS}", {}, unscoped=" ")


@pytest.mark.django_db
def test_a_scoped_query_gives_the_asked_organizations_rows_only(owner, other_owner):
    make_goal(owner, make_cycle(owner, "Q1"), "Ours")
    make_goal(other_owner, make_cycle(other_owner, "Q1"), "Theirs")
    assert queries.fetch_all(SCOPED, {"organization_id": owner.organization_id}) == [("Ours",)]
    assert queries.fetch_one(SCOPED, {"organization_id": other_owner.organization_id}) == ("Theirs",)


@pytest.mark.django_db
def test_a_declared_unscoped_query_runs_and_named_parameters_repeat(owner):
    make_goal(owner, make_cycle(owner, "Q1"), "Ours")
    sql = f"SELECT COUNT(*) FROM {GOALS} WHERE title = %(title)s OR title = %(title)s"
    assert queries.fetch_one(sql, {"title": "Ours"}, unscoped="a test of the door") == (1,)
