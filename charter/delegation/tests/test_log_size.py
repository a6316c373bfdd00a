"""The decision log of a large organization: the newest decisions only, and a goal filter of linked goals."""

import re

import pytest
from django.urls import reverse
from markupsafe import escape

from charter.core.templatetags.charter import AGENT_BADGE
from charter.delegation import log, partials, views
from charter.goals.tests.factories import make_goal
from charter.organizations.tests.factories import drawn

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
    assert drawn(response.context["goal_picker"]) == f'<option value="{linked.pk}" >Linked goal</option>'
    assert "narrow the filters" not in response.content.decode()


def test_log_rows_show_each_cell_escaped(owner, cycle, login):
    cast = make_cast(owner)
    goal = make_goal(cast.owner, cycle, "Grow <fast>", team_id=cast.product.pk)
    record(cast.bob, cast.product, cast.domain, "Price <b>up</b>", goal_ids=[goal.pk])
    record(cast.ana, cast.product, cast.domain, "Decided one")
    page = login(cast.bob).get(reverse("decision_log")).content.decode()
    assert "Price &lt;b&gt;up&lt;/b&gt;" in page and "→ Grow &lt;fast&gt;" in page
    assert "<td>Product · Pricing</td>" in page and "waiting for Ana Lead" in page
    assert '<span class="badge decision-proposed">Proposed</span>' in page
    assert '<span class="text-secondary">open 0\xa0minutes</span>' in page
    assert "<td>Bob Member</td>" in page and ">Agent</span>" not in page


def test_a_row_recorded_by_an_agent_carries_the_badge(owner, cycle):
    cast = make_cast(owner)
    record(cast.bob, cast.product, cast.domain, "By a bot")
    row = log.log_rows(actor=cast.bob, limit=1)[0]
    assert row["recorded_by"].kind == "person" and str(row["recorded_by"]) == "Bob Member"
    row["recorded_by"] = log.Person("Triage bot", "agent")
    assert "<td>Triage bot" + AGENT_BADGE + "</td>" in partials.decision_rows([row])


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
def test_log_rows_in_plain_sql_match_the_decision_list_filter_by_filter(
    owner, other_owner, cycle, zone, settings
):
    from datetime import date, timedelta

    from django.utils import timezone

    from charter.delegation import selectors
    from charter.delegation.models import Decision

    settings.TIME_ZONE = zone
    cast = make_cast(owner)
    grow = make_goal(cast.owner, cycle, "Grow", team_id=cast.product.pk)
    keep = make_goal(cast.owner, cycle, "Keep", team_id=cast.product.pk)
    now = timezone.now()
    for n in range(8):
        team = cast.product if n % 2 else cast.sales
        actor = cast.bob if n % 2 else cast.carl
        goals = [[grow.pk, keep.pk], [keep.pk], []][n % 3]
        made = record(actor, team, cast.domain, f"Call {n}", goal_ids=goals).decision
        moment = now - timedelta(hours=11 * n)
        Decision.objects.for_org(owner.organization).filter(pk=made.pk).update(proposed_at=moment)
    theirs = make_cast(other_owner)
    record(theirs.bob, theirs.product, theirs.domain, "Theirs")
    today = timezone.localdate()
    cases = [
        {},
        {"team_id": cast.product.pk},
        {"domain_id": cast.domain.pk, "status": "proposed"},
        {"goal_id": keep.pk},
        {"goal_id": grow.pk, "team_id": cast.sales.pk},
        {"date_from": today - timedelta(days=1)},
        {"date_to": today - timedelta(days=1)},
        {"date_from": today - timedelta(days=2), "date_to": today - timedelta(days=1)},
        {"date_from": date.min, "date_to": date.max},
        {"date_from": date.max},
        {"date_to": date.min},
    ]
    for filters in cases:
        expected = list(selectors.decision_list(actor=cast.bob, **filters)[:5])
        rows = log.log_rows(actor=cast.bob, limit=5, **filters)
        assert [r["id"] for r in rows] == [d.pk for d in expected], filters
        assert [r["goal_titles"] for r in rows] == [[g.title for g in d.goals.all()] for d in expected], (
            filters
        )
        assert [r["proposed_at"] for r in rows] == [d.proposed_at for d in expected], filters


def _cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland"])
def test_log_rows_partial_shows_each_cell(owner, cycle, zone, settings):
    """The decision row partial: each cell from the row, dates as Django's `date:"j M Y"` in the current
    time zone, latencies as its `timesince`, the badge the decision badge's own partial."""
    from datetime import timedelta

    from django.template.defaultfilters import date as date_filter
    from django.template.defaultfilters import timesince_filter
    from django.utils import timezone

    from charter.delegation.models import Decision
    from charter.delegation.templatetags.delegation_tags import decision_status_html

    settings.TIME_ZONE = zone
    cast = make_cast(owner)
    goal = make_goal(cast.owner, cycle, "Grow <fast> & far", team_id=cast.product.pk)
    now = timezone.now()
    spans = [timedelta(0), timedelta(minutes=5), timedelta(hours=30), timedelta(days=17), timedelta(days=400)]
    for n, span in enumerate(spans):
        for who, decided in ((cast.bob, False), (cast.ana, True)):
            made = record(who, cast.product, cast.domain, f"Call <{n}> & co", goal_ids=[goal.pk]).decision
            moment = now - span - timedelta(days=n)
            changes = {"proposed_at": moment}
            if decided:
                changes["decided_at"] = moment + span / 3
            Decision.objects.for_org(owner.organization).filter(pk=made.pk).update(**changes)
    # Bob's records wait for his lead (open), Ana's are decided.
    rows = log.log_rows(actor=cast.bob, limit=100)
    assert len(rows) == 2 * len(spans)
    drawn = partials.decision_rows(rows).split("</tr>")[:-1]
    assert len(drawn) == len(rows)
    for d, row in zip(rows, drawn, strict=True):
        cells = _cells(row)
        link = f'<a href="{reverse("decision_detail", args=[d["pk"]])}">{escape(d["title"])}</a>'
        assert cells[0] == link + '<div class="small text-secondary">→ Grow &lt;fast&gt; &amp; far</div>'
        assert cells[1] == "Product · Pricing"
        badge = decision_status_html(d["status"], str(d["status_label"]))
        waiting = (
            f'<div class="small text-secondary">waiting for {d["addressed_to"]}</div>' if d["is_open"] else ""
        )
        assert cells[2] == badge + waiting
        info = d["level_info"]
        assert (
            cells[3]
            == f'<span class="badge level-badge level-{info.number}">{info.number} {info.code}</span>'
        )
        assert cells[4] == str(d["recorded_by"])
        day = date_filter(timezone.localtime(d["proposed_at"]), "j M Y")
        assert cells[5] == f'<time datetime="{d["proposed_at"].isoformat()}">{day}</time>'
        if d["decided_at"]:
            assert cells[6] == timesince_filter(d["proposed_at"], d["decided_at"])
        else:
            assert (
                cells[6] == f'<span class="text-secondary">open {timesince_filter(d["proposed_at"])}</span>'
            )


def _prepared_plans(connection) -> dict[str, tuple[int, int]]:
    """The log's two prepared statements (the rows, the goal picker) with their generic and custom plans."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        return {
            ("rows" if statement.startswith("SELECT g.title, m.") else "picker"): (generic, custom)
            for statement, generic, custom in cursor.fetchall()
            if statement.startswith(("SELECT g.title, m.", "WITH linked AS (SELECT l.goal_id"))
            and "UPPER(" not in statement  # the picker's search is another statement
        }


def test_the_logs_queries_are_prepared_once_on_postgresql(owner, cycle, login):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements: PostgreSQL")
    cast = make_cast(owner)
    record(cast.bob, cast.product, cast.domain, "A call")
    client = login(cast.bob)
    for _ in range(2):  # prepared the second time this connection runs them (`prepare_threshold` 1)
        assert client.get(reverse("decision_log")).status_code == 200
    before = _prepared_plans(connection)
    for _ in range(3):
        assert client.get(reverse("decision_log")).status_code == 200
    after = _prepared_plans(connection)
    assert set(after) == {"rows", "picker"}, after
    for name, (generic, custom) in after.items():  # one generic plan for every request: none planned anew
        assert (generic - before[name][0], custom - before[name][1]) == (3, 0), (name, before, after)
