"""The decision log's goal filter: the goals decisions are linked to, bounded whatever their number, the
goals of the newest decisions and the chosen one first, a search endpoint, only the organization's goals."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from charter.delegation.log import GOAL_PICKER_SHOWN, goal_picker
from charter.delegation.models import Decision
from charter.goals.models import Goal
from charter.goals.tests.factories import make_cycle, make_goal
from charter.organizations.tests.factories import drawn

from .factories import make_cast, record

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="(\d*)"')


def _values(html: str) -> list[str]:
    return OPTION.findall(html)


def _linked_goals(cast, cycle, n: int, prefix: str = "Linked", days_ago: int = 30) -> list[Goal]:
    """`n` goals of the cast's organization, by title, all linked to one decision `days_ago` old."""
    template = make_goal(cast.owner, cycle, f"{prefix} template", team_id=cast.product.pk)
    fields = {
        f.attname: getattr(template, f.attname) for f in Goal._meta.concrete_fields if not f.primary_key
    }
    goals = Goal.objects.bulk_create(Goal(**{**fields, "title": f"{prefix} {i:03}"}) for i in range(n))
    decision = record(cast.bob, cast.product, cast.domain, f"About {prefix}").decision
    Decision.objects.for_org(cast.owner.organization).filter(pk=decision.pk).update(
        proposed_at=timezone.now() - timedelta(days=days_ago)
    )
    decision.goals.add(*goals)
    return sorted(goals, key=lambda g: g.title)


def test_a_few_linked_goals_are_all_listed_by_title_escaped_and_unlinked_ones_not(owner, cycle):
    cast = make_cast(owner)
    grow = make_goal(owner, cycle, "Grow <fast> & far", team_id=cast.product.pk)
    keep = make_goal(owner, cycle, "Keep customers", team_id=cast.product.pk)
    make_goal(owner, cycle, "Quiet goal", team_id=cast.product.pk)
    record(cast.bob, cast.product, cast.domain, "Both", goal_ids=[grow.pk, keep.pk])
    picker = goal_picker(actor=cast.bob, selected=keep.pk)
    assert not picker.partial and picker.total == 2
    assert drawn(picker) == (
        f'<option value="{grow.pk}" >Grow &lt;fast&gt; &amp; far</option>'
        f'<option value="{keep.pk}" selected>Keep customers</option>'
    )


def test_many_linked_goals_give_a_bounded_list_with_the_newest_decisions_goals_and_the_chosen_one(
    owner, cycle
):
    cast = make_cast(owner)
    old = _linked_goals(cast, cycle, GOAL_PICKER_SHOWN + 20)
    fresh = make_goal(owner, cycle, "Fresh goal", team_id=cast.product.pk)
    record(cast.bob, cast.product, cast.domain, "Today's call", goal_ids=[fresh.pk])
    chosen = old[-1]
    picker = goal_picker(actor=cast.bob)
    assert picker.partial and picker.total == GOAL_PICKER_SHOWN + 21
    values = _values(drawn(picker))
    assert len(values) == GOAL_PICKER_SHOWN and str(fresh.pk) in values
    picker = goal_picker(actor=cast.bob, selected=chosen.pk)
    values = _values(drawn(picker))
    assert len([v for v in values if v]) == GOAL_PICKER_SHOWN and str(chosen.pk) in values
    assert f'<option value="{chosen.pk}" selected>{chosen.title}</option>' in drawn(picker)


def test_a_search_finds_linked_goals_by_title_bounded_and_escapes_what_it_echoes(owner, cycle):
    cast = make_cast(owner)
    goals = _linked_goals(cast, cycle, GOAL_PICKER_SHOWN + 40)
    make_goal(owner, cycle, "Linked but not 042", team_id=cast.product.pk)  # not linked to any decision
    assert _values(drawn(goal_picker(actor=cast.bob, q="  linked   042 "))) == [str(goals[42].pk)]
    every = goal_picker(actor=cast.bob, q="linked", selected=goals[-1].pk)
    values = _values(drawn(every))
    assert len(values) == GOAL_PICKER_SHOWN + 1 and values[-1] == "" and str(goals[-1].pk) in values
    assert "More goals match" in drawn(every) and every.q == "linked"
    for wildcard in ("%", "_"):
        assert _values(drawn(goal_picker(actor=cast.bob, q=wildcard))) == [""]
    none = goal_picker(actor=cast.bob, q="<nothing>")
    assert _values(drawn(none)) == [""] and "&lt;nothing&gt;" in drawn(none) and none.partial


def test_another_organizations_goal_is_never_listed(owner, other_owner, cycle):
    cast, theirs = make_cast(owner), make_cast(other_owner)
    other_cycle = make_cycle(other_owner, "Theirs")
    _linked_goals(cast, cycle, GOAL_PICKER_SHOWN + 5)
    stranger = make_goal(other_owner, other_cycle, "Linked stranger", team_id=theirs.product.pk)
    record(theirs.bob, theirs.product, theirs.domain, "Theirs", goal_ids=[stranger.pk])
    for q in ("", "linked", "stranger"):
        picker = goal_picker(actor=cast.bob, selected=stranger.pk, q=q)
        assert str(stranger.pk) not in _values(drawn(picker)), q
    assert goal_picker(actor=cast.bob).total == GOAL_PICKER_SHOWN + 5


def test_the_search_endpoint_answers_the_organizations_matching_goals_only(owner, other_owner, cycle, login):
    cast, theirs = make_cast(owner), make_cast(other_owner)
    other_cycle = make_cycle(other_owner, "Theirs")
    goals = _linked_goals(cast, cycle, GOAL_PICKER_SHOWN + 10)
    stranger = make_goal(other_owner, other_cycle, "Linked 007 elsewhere", team_id=theirs.product.pk)
    record(theirs.bob, theirs.product, theirs.domain, "Theirs", goal_ids=[stranger.pk])
    client = login(cast.bob)
    url = reverse("decision_goal_options")
    html = client.get(url, {"goal_q": "Linked 007", "goal": goals[3].pk}).content.decode()
    assert _values(html) == [str(goals[3].pk), str(goals[7].pk)]
    assert f'<option value="{goals[3].pk}" selected>' in html and str(stranger.pk) not in html
    response = client.get(url, {"goal": "x'; --", "goal_q": "Linked" * 1000})
    assert response.status_code == 200 and "selected" not in response.content.decode()
    assert client.get(url, {"goal": "²"}).status_code == 200


def test_the_search_endpoint_needs_a_signed_in_member(client):
    response = client.get(reverse("decision_goal_options"), {"goal_q": "a"})
    assert response.status_code in (302, 403)


def test_the_log_page_shows_the_search_and_without_scripts_searching_lists_the_matches(owner, cycle, login):
    cast = make_cast(owner)
    goals = _linked_goals(cast, cycle, GOAL_PICKER_SHOWN + 10)
    client = login(cast.bob)
    page = client.get(reverse("decision_log")).content.decode()
    assert 'name="goal_q"' in page and f"Find among {GOAL_PICKER_SHOWN + 10} goals" in page
    assert f'hx-get="{reverse("decision_goal_options")}"' in page
    page = client.get(reverse("decision_log"), {"goal_q": "Linked 069", "goal": goals[1].pk}).content.decode()
    select = page[page.index('id="f-goal"') :]
    select = select[: select.index("</select>")]
    assert _values(select) == ["", str(goals[1].pk), str(goals[69].pk)]
    assert 'value="Linked 069"' in page
    # The filter itself still narrows the log by ?goal=ID.
    assert "About Linked" in page
