"""Goals pages: rendering, forms with errors beside fields, htmx check-in rows, isolation, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.goals import rules
from charter.goals.models import Goal, KeyResult
from charter.goals.services import check_in_record, key_result_create
from charter.goals.tests.factories import drop_cycles, make_cycle, make_goal, make_key_result
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team

pytestmark = pytest.mark.django_db

INTENT = {
    "purpose": "Customers leave because onboarding is slow; faster onboarding keeps them.",
    "end_state": "A new customer uses the product on day one without calling support.",
    "constraints": "No new headcount.",
    "freedoms": "The team picks tools and order of work.",
}


# ---- helpers --------------------------------------------------------------------------------------


def _grow(owner, cycle, team, goals: list, until: int) -> None:
    """Add goals (each with two key results and check-ins) until there are `until`, in a tree.

    The root gets a new check-in and a new child per step, so its page grows with the data too.
    """
    while len(goals) < until:
        i = len(goals)
        parent = None if i == 0 else goals[0] if i % 2 else goals[(i - 1) // 2]
        goal = make_goal(
            owner, cycle, f"Goal {i:03}", team_id=team.pk if i % 3 else None, parent_id=parent and parent.pk
        )
        for kind in ("increase", "decrease"):
            kr = make_key_result(
                owner,
                goal,
                kind=kind,
                start=0 if kind == "increase" else 100,
                target=100 if kind == "increase" else 0,
            )
            check_in_record(actor=owner, key_result_id=kr.pk, value=40, confidence=6, note="on the way")
        goals.append(goal)
        if i:
            root_kr = goals[0].key_results.first()
            check_in_record(actor=owner, key_result_id=root_kr.pk, value=i % 100, confidence=7)


def _count(client, url) -> int:
    client.get(url)  # the first request of a session writes the session; measure a warm one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# ---- query counts do not grow with the data -------------------------------------------------------


def test_query_counts_do_not_grow_with_goals(owner, cycle, login, django_assert_num_queries):
    client = login(owner)
    team = make_team(owner, "Growth", parent=make_team(owner, "Product"))
    goals: list[Goal] = []
    _grow(owner, cycle, team, goals, 10)
    urls = [
        reverse("strategy_map"),
        reverse("strategy_map") + f"?team={team.pk}&status=at_risk",
        reverse("goal_list"),
        reverse("goal_list") + "?cycle=all",
        reverse("goal_list") + "?page=2&status=on_track",
        reverse("goal_list") + "?cycle=all&status=at_risk",
        reverse("goal_detail", args=[goals[0].pk]),
        reverse("check_in_week"),
    ]
    counts = {url: _count(client, url) for url in urls}
    _grow(owner, cycle, team, goals, 100)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            response = client.get(url)
        assert response.status_code == 200
    assert "Goal 099" in client.get(reverse("goal_list"), {"page": 2}).content.decode()


# ---- pages render with data ----------------------------------------------------------------------


@pytest.fixture
def goal_tree(owner, cycle):
    team = make_team(owner, "Onboarding")
    parent = make_goal(owner, cycle, "Customers stay", purpose="Churn eats our growth.")
    child = make_goal(owner, cycle, "Onboard in a day", team_id=team.pk, parent_id=parent.pk, **INTENT)
    kr = make_key_result(
        owner, child, "Median onboarding days", kind="decrease", start=9, target=2, unit="days"
    )
    check_in_record(actor=owner, key_result_id=kr.pk, value=5.5, confidence=6, note="halfway")
    return {"team": team, "parent": parent, "child": child, "kr": kr}


def test_strategy_map_shows_mission_tree_and_key_results(owner, login, goal_tree):
    html = login(owner).get(reverse("strategy_map")).content.decode()
    assert "Customers stay" in html and "Onboard in a day" in html
    assert "Median onboarding days" in html
    assert html.index("Customers stay") < html.index("Onboard in a day")
    assert "<details open" in html
    assert "Expand all" in html


def test_strategy_map_status_filter_keeps_ancestors_of_matches(owner, login, goal_tree):
    status = Goal.objects.for_org(owner.organization).get(pk=goal_tree["child"].pk).status
    html = login(owner).get(reverse("strategy_map"), {"status": status}).content.decode()
    assert "Onboard in a day" in html and "Customers stay" in html


def test_strategy_map_team_filter_shows_that_teams_subtree(owner, login, goal_tree):
    html = login(owner).get(reverse("strategy_map"), {"team": goal_tree["team"].pk}).content.decode()
    assert "Onboard in a day" in html and "Customers stay" not in html


def test_strategy_map_without_cycle_says_what_to_do(owner, login):
    drop_cycles(owner)
    html = login(owner).get(reverse("strategy_map")).content.decode()
    assert "Create a cycle" in html


def test_goal_list_filters_by_team(owner, login, goal_tree):
    client = login(owner)
    html = client.get(reverse("goal_list"), {"team": goal_tree["team"].pk}).content.decode()
    assert ">Onboard in a day</a>" in html and ">Customers stay</a>" not in html
    html = client.get(reverse("goal_list"), {"owner": owner.user_id}).content.decode()
    assert "Customers stay" in html


def test_goal_page_shows_intent_parent_intent_key_results_chart_and_history(owner, login, goal_tree):
    html = login(owner).get(reverse("goal_detail", args=[goal_tree["child"].pk])).content.decode()
    assert INTENT["purpose"] in html and "Churn eats our growth." in html  # own and parent's intent
    assert "Median onboarding days" in html and "halfway" in html
    assert 'id="progress-data"' in html and "progress-chart" in html
    assert "echarts.min.js" in html and "<script>" not in html.replace("<script src", "")
    assert reverse("goal_edit", args=[goal_tree["child"].pk]) in html


def test_goal_page_shows_contributing_and_supported_goals(owner, login, cycle, goal_tree):
    """Children with their status and progress; supported goals both ways, by title, with their team."""
    other = make_team(owner, "Billing")
    helper = make_goal(owner, cycle, "Invoices explain themselves", team_id=other.pk)
    make_goal(owner, cycle, "Ask support first", supports_ids=[goal_tree["parent"].pk])
    helper_b = make_goal(owner, cycle, "Accounts open in a minute")
    from charter.goals.services import goal_update

    goal_update(actor=owner, goal_id=goal_tree["parent"].pk, supports_ids=[helper.pk, helper_b.pk])
    html = login(owner).get(reverse("goal_detail", args=[goal_tree["parent"].pk])).content.decode()
    contributing = html[html.index("Contributing goals") : html.index(">Supports<")]
    assert "Onboard in a day" in contributing and "status-" in contributing and "%" in contributing
    supports = html[html.index(">Supports<") : html.index(">Supported by<")]
    assert supports.index("Accounts open in a minute") < supports.index("Invoices explain themselves")
    assert "· Billing" in supports and "Ask support first" not in supports
    supported_by = html[html.index(">Supported by<") : html.index("</section>", html.index(">Supported by<"))]
    assert "Ask support first" in supported_by and "Invoices" not in supported_by


def test_goal_page_shows_progress_above_100_percent(owner, login, cycle):
    goal = make_goal(owner, cycle, "Beat it")
    kr = make_key_result(owner, goal, "Signups", start=0, target=100)
    check_in_record(actor=owner, key_result_id=kr.pk, value=150, confidence=10)
    html = login(owner).get(reverse("goal_detail", args=[goal.pk])).content.decode()
    assert "150%" in html


def test_goal_page_hides_edit_for_people_who_may_not_edit(owner, login, goal_tree):
    member = make_person(owner, Role.MEMBER, team=make_team(owner, "Elsewhere"))
    html = login(member).get(reverse("goal_detail", args=[goal_tree["child"].pk])).content.decode()
    assert reverse("goal_edit", args=[goal_tree["child"].pk]) not in html
    assert login(member).get(reverse("goal_edit", args=[goal_tree["child"].pk])).status_code == 403
    assert login(member).get(reverse("key_result_create", args=[goal_tree["child"].pk])).status_code == 403
    assert login(member).get(reverse("key_result_edit", args=[goal_tree["kr"].pk])).status_code == 403


def test_cycle_list_and_forms(owner, login, cycle):
    client = login(owner)
    assert cycle.name in client.get(reverse("cycle_list")).content.decode()
    response = client.post(
        reverse("cycle_create"),
        {"name": "2027 Q1", "starts_on": "2027-01-01", "ends_on": "2027-03-31", "state": "planning"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("cycle_edit", args=[cycle.pk]),
        {"name": "2027 Q1", "starts_on": "2027-01-01", "ends_on": "2026-03-31", "state": "active"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_name_error"' in html and "already a cycle" in html
    assert 'id="id_ends_on_error"' in html


# ---- goal and key result forms -------------------------------------------------------------------


def test_create_goal_with_intent_and_two_key_results_through_the_forms(owner, login, cycle):
    client = login(owner)
    assert client.get(reverse("goal_create")).status_code == 200
    response = client.post(
        reverse("goal_create"),
        {
            "title": "Onboard in a day",
            "cycle_id": cycle.pk,
            "team_id": "",
            "owner_id": owner.user_id,
            "parent_id": "",
            "weight": "1",
            **INTENT,
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.for_org(owner.organization).get(title="Onboard in a day")
    assert response["Location"] == reverse("goal_detail", args=[goal.pk])
    assert goal.purpose == INTENT["purpose"] and goal.freedoms == INTENT["freedoms"]
    response = client.post(
        reverse("key_result_create", args=[goal.pk]),
        {
            "title": "Median onboarding days",
            "kind": "decrease",
            "start": "9",
            "target": "2",
            "unit": "days",
            "weight": "1",
            "add_another": "1",
        },
    )
    assert response["Location"] == reverse("key_result_create", args=[goal.pk])
    response = client.post(
        reverse("key_result_create", args=[goal.pk]),
        {
            "title": "Self-serve live",
            "kind": "milestone",
            "weight": "1",
        },
    )
    assert response["Location"] == reverse("goal_detail", args=[goal.pk])
    assert [kr.title for kr in goal.key_results.all()] == ["Median onboarding days", "Self-serve live"]


@pytest.mark.parametrize("kind", ["increase", "decrease"])
def test_key_result_form_refuses_a_target_equal_to_its_start_beside_the_target(owner, login, goal_tree, kind):
    goal = goal_tree["child"]
    response = login(owner).post(
        reverse("key_result_create", args=[goal.pk]),
        {"title": "Flat", "kind": kind, "start": "4", "target": "4", "weight": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    error = html[html.index('id="id_target_error"') :]
    assert error.index("The target equals the start (4)") < error.index("</div>")
    assert not goal.key_results.filter(title="Flat").exists()


def test_goal_form_puts_errors_beside_fields(owner, login, cycle):
    response = login(owner).post(
        reverse("goal_create"), {"title": "", "cycle_id": cycle.pk, "owner_id": owner.user_id, "weight": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_title_error"' in html and 'aria-invalid="true"' in html
    assert Goal.objects.for_org(owner.organization).count() == 0


def test_goal_form_shows_good_and_bad_examples(owner, login, cycle):
    html = login(owner).get(reverse("goal_create")).content.decode()
    assert "faster onboarding keeps them" in html and "Do onboarding." in html


def test_goal_edit_refuses_a_loop_beside_the_parent_field(owner, login, goal_tree):
    parent, child = goal_tree["parent"], goal_tree["child"]
    response = login(owner).post(
        reverse("goal_edit", args=[parent.pk]),
        {
            "title": parent.title,
            "cycle_id": parent.cycle_id,
            "owner_id": owner.user_id,
            "parent_id": child.pk,
            "weight": "1",
        },
    )
    assert response.status_code == 422
    assert 'id="id_parent_id_error"' in response.content.decode()


def test_goal_edit_does_not_move_a_members_goal_to_a_team_they_may_not_create_goals_for(owner, login, cycle):
    """Finding 15 on the web: the form offers only the member's teams and refuses another one posted."""
    mine, theirs = make_team(owner, "Mine"), make_team(owner, "Theirs")
    member = make_person(owner, Role.MEMBER, team=mine)
    goal = make_goal(member, cycle, "Ours", team_id=mine.pk)
    client = login(member)
    form = client.get(reverse("goal_edit", args=[goal.pk])).content.decode()
    assert ">Mine</option>" in form and ">Theirs</option>" not in form
    response = client.post(
        reverse("goal_edit", args=[goal.pk]),
        {
            "title": goal.title,
            "cycle_id": cycle.pk,
            "team_id": theirs.pk,
            "owner_id": member.user_id,
            "weight": "1",
            "version": goal.version,
        },
    )
    assert response.status_code == 422
    assert 'id="id_team_id_error"' in response.content.decode()
    goal.refresh_from_db()
    assert goal.team_id == mine.pk and goal.version == 1


def test_live_validation_answers_with_the_form_and_saves_nothing(owner, login, cycle):
    response = login(owner).post(
        reverse("goal_create"), {"title": "", "_validate": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="field-title"' in response.content.decode()
    assert Goal.objects.for_org(owner.organization).count() == 0


def test_key_result_form_puts_service_errors_beside_fields(owner, login, cycle):
    goal = make_goal(owner, cycle, "Grow")
    client = login(owner)
    response = client.post(
        reverse("key_result_create", args=[goal.pk]),
        {"title": "Users", "kind": "increase", "start": "10", "target": "5", "weight": "1"},
    )
    assert response.status_code == 422
    assert 'id="id_target_error"' in response.content.decode()
    response = client.post(
        reverse("key_result_create", args=[goal.pk]),
        {"title": "Latency", "kind": "range", "start": "2", "target": "0.2", "weight": "1"},
    )
    assert 'id="id_target_max_error"' in response.content.decode()
    assert not goal.key_results.exists()


def test_key_result_edit_and_delete(owner, login, cycle):
    goal = make_goal(owner, cycle, "Grow")
    kr = make_key_result(owner, goal, "Users")
    client = login(owner)
    response = client.post(
        reverse("key_result_edit", args=[kr.pk]),
        {
            "title": "Active users",
            "kind": "increase",
            "start": "0",
            "target": "200",
            "weight": "1",
            "version": kr.version,
        },
    )
    assert response.status_code == 302
    assert KeyResult.objects.for_org(owner.organization).get(pk=kr.pk).target == 200
    assert client.post(reverse("key_result_delete", args=[kr.pk])).status_code == 302
    assert not goal.key_results.exists()


def test_goal_delete_asks_then_deletes(owner, login, cycle):
    goal = make_goal(owner, cycle, "Temporary")
    client = login(owner)
    assert "Delete the goal" in client.get(reverse("goal_delete", args=[goal.pk])).content.decode()
    assert client.post(reverse("goal_delete", args=[goal.pk]))["Location"] == reverse("goal_list")
    assert not Goal.objects.for_org(owner.organization).filter(pk=goal.pk).exists()


# ---- weekly check-in -----------------------------------------------------------------------------


def test_check_in_page_lists_my_key_results_prefilled(owner, login, goal_tree):
    html = login(owner).get(reverse("check_in_week")).content.decode()
    assert "Median onboarding days" in html
    assert 'value="5.5"' in html  # the current value
    assert 'value="6"' in html  # the last confidence
    assert reverse("check_in_create", args=[goal_tree["kr"].pk]) in html


def test_a_first_check_in_starts_without_a_confidence_and_states_the_at_risk_rule(owner, login, goal_tree):
    """No invented confidence: a key result never checked in offers an empty field (its last confidence
    once it has one), the at-risk rule beside it; saved empty, it is refused there, nothing recorded."""
    fresh = make_key_result(owner, goal_tree["parent"], "Referrals a month", start=0, target=10)
    client = login(owner)
    html = client.get(reverse("check_in_week")).content.decode()
    row = html[html.index(f'id="check-in-{fresh.pk}"') :]
    row = row[: row.index("</form>")]
    assert 'name="confidence" value="" min="0" max="10"' in row
    assert f'id="kr{fresh.pk}_confidence_helptext">6 or lower marks it at risk, 3 or lower off track.<' in row
    response = client.post(
        reverse("check_in_create", args=[fresh.pk]), {"value": "3", "confidence": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert f'id="kr{fresh.pk}_confidence_error"' in html and "Give a confidence from 0" in html
    assert "6 or lower marks it at risk" in html  # the rule stays beside the refused field
    assert not fresh.check_ins.exists()


def test_check_in_row_by_htmx_updates_progress(owner, login, goal_tree):
    kr = goal_tree["kr"]
    response = login(owner).post(
        reverse("check_in_create", args=[kr.pk]),
        {"value": "2", "confidence": "9", "note": "done"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saved" in html and "100%" in html and "<html" not in html
    assert f'id="check-in-{kr.pk}"' in html
    kr = KeyResult.objects.for_org(owner.organization).get(pk=kr.pk)
    assert kr.current == 2 and kr.confidence == 9 and kr.progress == 1


def test_check_in_row_shows_errors_in_the_row(owner, login, goal_tree):
    kr = goal_tree["kr"]
    response = login(owner).post(
        reverse("check_in_create", args=[kr.pk]), {"value": "abc", "confidence": "11"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="kr{kr.pk}_value_error"' in html and f'id="kr{kr.pk}_confidence_error"' in html
    assert "Saved" not in html
    assert kr.check_ins.count() == 1


def test_check_in_without_htmx_redirects(owner, login, goal_tree):
    response = login(owner).post(
        reverse("check_in_create", args=[goal_tree["kr"].pk]), {"value": "3", "confidence": "7"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("check_in_week")


# ---- isolation -----------------------------------------------------------------------------------


def test_another_organizations_goal_is_404(owner, other_owner, login, cycle):
    theirs = make_goal(other_owner, make_cycle(other_owner), "Their secret")
    kr = key_result_create(actor=other_owner, goal_id=theirs.pk, title="Their KR", start=0, target=10)
    client = login(owner)
    for url in (
        reverse("goal_detail", args=[theirs.pk]),
        reverse("goal_edit", args=[theirs.pk]),
        reverse("key_result_create", args=[theirs.pk]),
        reverse("key_result_edit", args=[kr.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Their secret" not in response.content.decode()
    response = client.post(
        reverse("check_in_create", args=[kr.pk]), {"value": "5", "confidence": "5"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404
    assert kr.check_ins.count() == 0


def test_filters_offer_teams_under_their_parent_and_people_with_the_chosen_one_selected(
    owner, login, cycle, goal_tree
):
    child_team = make_team(owner, "Clinics <east>", parent=goal_tree["team"])
    client = login(owner)
    html = client.get(reverse("goal_list"), {"team": child_team.pk, "owner": owner.user_id}).content.decode()
    assert f'<option value="{child_team.pk}" selected>Onboarding › Clinics &lt;east&gt;</option>' in html
    assert f'<option value="{owner.user_id}" selected>' in html
    map_html = client.get(reverse("strategy_map")).content.decode()
    assert f'<option value="{child_team.pk}" >Onboarding › Clinics &lt;east&gt;</option>' in map_html
    assert 'id="filter-owner"' not in map_html


# The session, then the user with the actor; the goal with its mission statement, check-ins and every
# panel's reads (lint, back-brief, comments, decisions, ideas, metrics with sources, similar goals,
# revisions) in one query; its key results; its links (tests/test_goal_page_queries.py shows that the
# count stays with rows of every kind).
GOAL_PAGE_QUERIES = 5


def test_the_goal_page_reads_in_five_queries(owner, cycle, login, django_assert_num_queries):
    goal = make_goal(owner, cycle, "Onboard in a day", **INTENT)
    kr = make_key_result(owner, goal, "Median onboarding days", kind="decrease", start=9, target=2)
    check_in_record(actor=owner, key_result_id=kr.pk, value=5, confidence=7)
    client = login(owner)
    url = reverse("goal_detail", args=[goal.pk])
    client.get(url)  # the first request after signing in saves the session
    with django_assert_num_queries(GOAL_PAGE_QUERIES):
        assert client.get(url).status_code == 200


# ---- a first cycle from the goal form --------------------------------------------------------------


def test_goal_form_without_an_open_cycle_creates_one_in_place_keeping_the_goal(owner, login):
    from django.utils import timezone

    from charter.goals.models import Cycle

    drop_cycles(owner)
    client = login(owner)
    html = client.get(reverse("goal_create")).content.decode()
    assert 'name="cycle_id"' not in html  # no empty required list
    name = rules.quarter_of(timezone.localdate())[0]
    assert 'id="new-cycle"' in html and f'name="new_cycle-name" value="{name}"' in html
    typed = {
        "title": "Customers onboard in a day",
        "owner_id": owner.user_id,
        "weight": "1",
        "purpose": "Slow onboarding loses customers.",
        "end_state": "Set up on day one.",
    }
    refused = client.post(reverse("goal_create"), typed)  # saved before the cycle: told where to go
    assert refused.status_code == 422 and "Create the goal's cycle first" in refused.content.decode()
    response = client.post(
        reverse("goal_create"),
        {
            **typed,
            "new_cycle-name": "Launch quarter",
            "new_cycle-starts_on": "2026-10-01",
            "new_cycle-ends_on": "2026-12-31",
            "create_cycle": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    cycle = Cycle.objects.for_org(owner.organization).get()
    assert (cycle.name, cycle.state) == ("Launch quarter", "active")
    assert 'value="Customers onboard in a day"' in html and "Slow onboarding loses customers." in html
    assert f'<option value="{cycle.pk}" selected>Launch quarter</option>' in html
    assert 'id="new-cycle"' not in html and "is-invalid" not in html
    created = client.post(reverse("goal_create"), {**typed, "cycle_id": cycle.pk})
    assert created.status_code == 302
    assert Goal.objects.for_org(owner.organization).get().cycle_id == cycle.pk


def test_goal_form_new_cycle_errors_stay_beside_its_fields(owner, login):
    drop_cycles(owner)
    response = login(owner).post(
        reverse("goal_create"),
        {
            "title": "Kept",
            "new_cycle-name": "Backwards",
            "new_cycle-starts_on": "2026-10-01",
            "new_cycle-ends_on": "2026-09-01",
            "create_cycle": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422 and 'id="id_new_cycle-ends_on_error"' in html
    assert 'value="Kept"' in html


def test_goal_form_tells_a_member_who_may_not_make_cycles_whom_to_ask(owner, login):
    drop_cycles(owner)
    member = make_person(owner, Role.MEMBER)
    html = login(member).get(reverse("goal_create")).content.decode()
    assert "Ask an owner or admin" in html and 'name="create_cycle"' not in html
