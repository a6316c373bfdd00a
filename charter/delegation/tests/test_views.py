"""Delegation pages: board, history, authority, domains, log, decision page, record form, panels."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.goals.tests.factories import make_goal
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team

from .factories import make_cast, make_domain, record, set_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(owner):
    return make_cast(owner)


def _count(client, url) -> int:
    client.get(url)  # the first request of a session writes the session; measure a warm one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow_decisions(cast, goal, until):
    from charter.delegation.models import Decision

    while Decision.objects.for_org(cast.owner.organization).count() < until:
        record(cast.bob, cast.product, cast.domain, goal_ids=[goal.pk])
        record(cast.boss, cast.product, cast.domain)


def test_the_decision_log_and_goal_page_do_not_grow_with_rows(cast, cycle, login):
    client = login(cast.owner)
    goal = make_goal(cast.owner, cycle, "Win the market", team_id=cast.product.pk)
    _grow_decisions(cast, goal, 10)
    urls = [reverse("decision_log"), reverse("goal_detail", args=[goal.pk]), reverse("home")]
    small = [_count(client, u) for u in urls]
    _grow_decisions(cast, goal, 100)
    assert [_count(client, u) for u in urls] == small


def test_the_board_does_not_grow_with_teams_and_domains(cast, login):
    client = login(cast.ana)
    url = reverse("delegation_board")
    small = _count(client, url)
    for i in range(10):
        team = make_team(cast.owner, f"Squad {i}", parent=cast.product)
        domain = make_domain(cast.owner, f"Area {i}")
        set_level(cast.owner, team, domain, 1 + i % 7)
    assert _count(client, url) == small


def test_board_shows_levels_inheritance_and_the_legend(cast, login):
    set_level(cast.owner, cast.company, cast.domain, 5)
    set_level(cast.owner, cast.sales, cast.domain, 2)
    page = login(cast.bob).get(reverse("delegation_board")).content.decode()
    assert "5 advise" in page and "from Company" in page and "2 sell" in page
    assert "The seven delegation levels" in page
    assert "How to read and use the board" in page
    assert reverse("delegation_edit", args=[cast.product.pk, cast.domain.pk]) not in page  # members only read


def test_a_leader_sets_a_cell_with_a_reason(cast, login):
    client = login(cast.owner)
    url = reverse("delegation_edit", args=[cast.product.pk, cast.domain.pk])
    form = client.get(url, headers={"HX-Request": "true"})
    assert form.status_code == 200 and 'id="level-form"' in form.content.decode()
    refused = client.post(url, {"level": "6", "reason": ""})
    assert refused.status_code == 422 and "Say why" in refused.content.decode()
    assert client.post(url, {"level": "6", "reason": "They know pricing"}).status_code == 302
    history = client.get(
        reverse("delegation_history", args=[cast.product.pk, cast.domain.pk])
    ).content.decode()
    assert "They know pricing" in history and "6 inquire" in history
    assert login(cast.bob).get(url).status_code == 403


def test_a_teams_own_level_is_cleared_with_inherit_again(cast, login):
    """Finding 5, on the web: the edit page's "Inherit again" clears the team's own level."""
    set_level(cast.owner, cast.company, cast.domain, 6)
    client = login(cast.owner)
    url = reverse("delegation_edit", args=[cast.product.pk, cast.domain.pk])
    assert "Inherit again" not in client.get(url).content.decode()  # nothing of its own to clear
    set_level(cast.owner, cast.product, cast.domain, 2)
    assert 'name="inherit"' in client.get(url).content.decode()
    refused = client.post(url, {"inherit": "1", "reason": ""})
    assert refused.status_code == 422 and "Say why" in refused.content.decode()
    done = client.post(url, {"inherit": "1", "reason": "Back in line"}, follow=True).content.decode()
    assert "Product inherits its level for Pricing again." in done
    history = client.get(reverse("delegation_history", args=[cast.product.pk, cast.domain.pk])).content
    assert "cleared: inherits" in history.decode() and "inherited from Company" in history.decode()
    assert client.post(url, {"reason": "No level chosen"}).status_code == 422


def test_what_may_my_team_decide(cast, login):
    set_level(cast.owner, cast.product, cast.domain, 6)
    make_domain(cast.owner, "Hiring")
    page = login(cast.bob).get(reverse("team_authority", args=[cast.product.pk])).content.decode()
    assert "You decide, then tell your leader." in page and "Your leader decides and tells you." in page


def test_domains_crud(cast, login):
    client = login(cast.owner)
    assert client.post(reverse("decision_domain_create"), {"name": ""}).status_code == 422
    assert (
        client.post(
            reverse("decision_domain_create"), {"name": "Hiring", "examples": "New roles"}
        ).status_code
        == 302
    )
    page = client.get(reverse("decision_domain_list")).content.decode()
    assert "Hiring" in page and "New roles" in page
    assert login(cast.bob).get(reverse("decision_domain_create")).status_code == 403


def test_recording_tells_the_outcome_before_and_after(cast, login):
    set_level(cast.owner, cast.product, cast.domain, 3)
    client = login(cast.bob)
    preview = client.get(
        reverse("decision_preview"), {"team_id": cast.product.pk, "domain_id": cast.domain.pk}
    )
    assert "This will be a proposal." in preview.content.decode()
    assert "Choose the team" in client.get(reverse("decision_preview")).content.decode()
    form = client.get(reverse("decision_create"), {"domain": cast.domain.pk})
    assert form.status_code == 200 and "your leader Ana Lead decides" in form.content.decode()
    bad = client.post(reverse("decision_create"), {"team_id": cast.product.pk, "title": ""})
    assert bad.status_code == 422
    response = client.post(
        reverse("decision_create"),
        {"team_id": cast.product.pk, "domain_id": cast.domain.pk, "title": "Raise", "decision": "+5%"},
        follow=True,
    )
    page = response.content.decode()
    assert "Level 3 (consult) for Pricing: your leader Ana Lead decides" in page
    assert "Waiting for the leader&#x27;s decision" in page or "Waiting for the leader's decision" in page


def test_respond_on_the_decision_page(cast, login):
    set_level(cast.owner, cast.product, cast.domain, 5)
    d = record(cast.bob, cast.product, cast.domain).decision
    url = reverse("decision_respond", args=[d.pk])
    early = login(cast.bob).post(url, {"action": "decide"})
    assert early.status_code == 409 and "has not given it yet" in early.content.decode()
    advised = login(cast.ana).post(url, {"action": "advise", "note": "Test with 10 customers"}, follow=True)
    assert "Advice given" in advised.content.decode()
    decided = login(cast.bob).post(url, {"action": "decide"}, follow=True).content.decode()
    assert "Decided." in decided and "Test with 10 customers" in decided


def test_an_owner_acts_for_the_lead_through_the_select_and_the_history_shows_both(cast, login):
    d = record(cast.bob, cast.product, cast.domain).decision  # level 1: waits for Ana
    owner = login(cast.owner)
    page = owner.get(reverse("decision_detail", args=[d.pk])).content.decode()
    assert 'name="acting_for_id"' in page and "Ana Lead" in page and "Bea Boss" in page
    assert "Carl" not in page.split('name="acting_for_id"')[1].split("</select>")[0]  # not in the chain
    url = reverse("decision_respond", args=[d.pk])
    refused = owner.post(url, {"action": "decide"})
    assert refused.status_code == 409 and "not yours to answer" in refused.content.decode()
    done = owner.post(url, {"action": "decide", "acting_for_id": cast.ana.user_id}, follow=True)
    page = done.content.decode()
    assert "Decided. You acted for Ana Lead." in page and "for Ana Lead</span>" in page
    assert 'name="acting_for_id"' in owner.get(reverse("decision_create")).content.decode()
    member_page = login(cast.boss).get(reverse("decision_detail", args=[d.pk])).content.decode()
    assert 'name="acting_for_id"' not in member_page  # only owners and admins act for someone


def test_the_proposer_withdraws_from_the_decision_page(cast, login):
    d = record(cast.bob, cast.product, cast.domain).decision
    assert (
        'value="withdraw"'
        not in login(cast.ana).get(reverse("decision_detail", args=[d.pk])).content.decode()
    )
    bob = login(cast.bob)
    assert 'value="withdraw"' in bob.get(reverse("decision_detail", args=[d.pk])).content.decode()
    page = bob.post(reverse("decision_respond", args=[d.pk]), {"action": "withdraw"}, follow=True)
    assert "Withdrawn: it waits for nobody now." in page.content.decode()
    d.refresh_from_db()
    assert d.status == "withdrawn"


def test_home_lists_decisions_waiting_for_me(cast, login):
    record(cast.bob, cast.product, cast.domain, "Pick a price")
    page = login(cast.ana).get(reverse("home")).content.decode()
    assert "Decisions waiting for you" in page and "Pick a price" in page
    assert "Pick a price" not in login(cast.carl).get(reverse("home")).content.decode()


def test_log_filters(cast, cycle, login):
    goal = make_goal(cast.owner, cycle, "Grow", team_id=cast.product.pk)
    record(cast.bob, cast.product, cast.domain, "Linked", goal_ids=[goal.pk])
    record(cast.boss, cast.sales, cast.domain, "Sales one")
    client = login(cast.bob)
    page = client.get(reverse("decision_log"), {"goal": goal.pk}).content.decode()
    assert "Linked" in page and "Sales one" not in page
    page = client.get(reverse("decision_log"), {"status": "decided", "from": "2000-01-01"}).content.decode()
    assert "Sales one" in page and "Linked" not in page
    viewer = make_person(cast.owner, Role.VIEWER)
    assert login(viewer).get(reverse("decision_log")).status_code == 200


def test_another_organizations_decision_and_domain_are_404(cast, other_owner, login):
    d = record(cast.bob, cast.product, cast.domain).decision
    client = login(other_owner)
    assert client.get(reverse("decision_detail", args=[d.pk])).status_code == 404
    assert client.get(reverse("decision_domain_edit", args=[cast.domain.pk])).status_code == 404
    assert client.post(reverse("decision_respond", args=[d.pk]), {"action": "decide"}).status_code == 404


def test_decisions_take_comments(cast, login):
    from charter.discussion.services import comment_add

    d = record(cast.bob, cast.product, cast.domain).decision
    comment_add(actor=cast.ana, target_type="decision", target_id=d.pk, body="Which customers first?")
    page = login(cast.bob).get(reverse("decision_detail", args=[d.pk])).content.decode()
    assert "Which customers first?" in page


def test_the_decision_log_reads_in_six_queries_filtered_or_not(cast, cycle, login):
    """The session, the actor, the rows with their goals, the team picker, the goal picker, the domains;
    the goal search: the session, the actor, the picker."""
    client = login(cast.owner)
    goal = make_goal(cast.owner, cycle, "Win the market", team_id=cast.product.pk)
    _grow_decisions(cast, goal, 6)
    url = reverse("decision_log")
    assert _count(client, url) == 6
    filtered = f"{url}?team={cast.product.pk}&goal={goal.pk}&status=proposed&from=2000-01-01&to=2999-01-01"
    assert _count(client, filtered) == 6
    assert _count(client, f"{url}?goal_q=win&team_q=prod") == 6
    assert _count(client, f"{reverse('decision_goal_options')}?goal_q=win&goal={goal.pk}") == 3


def test_home_panel_sql_gives_what_the_waiting_for_filter_gives(cast):
    """`decisions_waiting_for` (plain SQL) and `waiting_for` (the queryset REST and MCP filter with) agree:
    the same decisions, in the same order, for people with and without records waiting."""
    from charter.delegation import selectors
    from charter.delegation.models import Decision

    record(cast.bob, cast.product, cast.domain, "Pick a price")
    record(cast.bob, cast.product, cast.domain, "Pick a name")
    record(cast.boss, cast.sales, cast.domain, "Decided alone")
    withdrawn = record(cast.bob, cast.product, cast.domain, "Withdrawn").decision
    Decision.objects.for_org(cast.owner.organization).filter(pk=withdrawn.pk).update(status="withdrawn")
    for actor in (cast.ana, cast.bob, cast.boss, cast.carl, cast.owner):
        decisions = Decision.objects.for_org(actor.organization)
        expected = selectors.waiting_for(decisions, actor.user_id).order_by("proposed_at", "id")
        got = selectors.decisions_waiting_for(actor=actor)
        assert [(d.pk, d.team.name) for d in got] == [(d.pk, d.team.name) for d in expected]
    titles = [d.title for d in selectors.decisions_waiting_for(actor=cast.ana)]
    assert titles == ["Pick a price", "Pick a name"]
