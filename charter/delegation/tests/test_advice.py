"""Delegation advice through the services, the API, MCP and the pages, on histories played for real."""

import json

import pytest
from django.urls import reverse

from charter.core.errors import Conflict, PermissionDenied, ValidationError
from charter.core.models import AuditEvent
from charter.delegation import rules, selectors, services
from charter.delegation.models import DelegationChange, DelegationLevel
from charter.organizations.models import Role
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_person, make_team

from .advice_history import advice_world, proposals, superseded_decisions, waiting
from .factories import make_domain, set_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(owner):
    return advice_world(owner)


def _raise_history(w, n=15, approved=14):
    proposals(w["max"], w["lea"], w["platform"], w["budget"], n, approved=approved, wait_days=2.1)


def test_raise_advice_for_the_leader_who_approves_unchanged(world):
    _raise_history(world)
    (item,) = selectors.advice_list(actor=world["owner"])
    assert (item.kind, item.level, item.suggested_level) == (rules.RAISE, 3, 4)
    assert item.leader_id == world["lea"].user_id and item.leader_name == "Lea Lead"
    assert item.evidence == (
        "Budget under 10k, Platform: 14 of the last 15 proposals approved unchanged, median wait 2.1 days: "
        "consider level 4."
    )
    assert selectors.advice_list(actor=world["lea"], for_me=True) == [item]
    assert selectors.advice_list(actor=world["max"], for_me=True) == []


def test_not_enough_history_gives_no_advice_and_says_so(world):
    proposals(world["max"], world["lea"], world["platform"], world["budget"], 5)
    cell = selectors.cell_advice(
        actor=world["owner"], team_id=world["platform"].pk, domain_id=world["budget"].pk
    )
    assert cell["advice"] == []
    assert cell["verdict"].not_enough == "Not enough history for advice: 5 record(s) at level 3, 8 needed."


def test_accept_sets_the_level_with_the_evidence_as_reason_and_is_audited(world):
    _raise_history(world)
    w = world
    answer = services.advice_accept(
        actor=w["lea"], team_id=w["platform"].pk, domain_id=w["budget"].pk, kind="raise"
    )
    level = DelegationLevel.objects.for_org(w["owner"].organization).get(
        team=w["platform"], domain=w["budget"]
    )
    assert level.level == 4
    change = DelegationChange.objects.for_org(w["owner"].organization).filter(team=w["platform"]).first()
    assert answer.change == change and change.reason.startswith(
        "Delegation advice accepted (raise the level): "
    )
    assert "14 of the last 15 proposals approved unchanged" in change.reason
    audit = AuditEvent.objects.unscoped().filter(action="delegation_advice.accept").get()
    assert audit.changes["level"] == [3, 4]
    # At the new level the history starts again: no advice, and accepting again is a conflict.
    assert selectors.advice_list(actor=w["owner"]) == []
    with pytest.raises(Conflict, match="no longer holds"):
        services.advice_accept(
            actor=w["lea"], team_id=w["platform"].pk, domain_id=w["budget"].pk, kind="raise"
        )


def test_dismiss_needs_a_reason_keeps_it_and_hides_the_advice_until_newer_records(world):
    _raise_history(world)
    w, ids = world, {"team_id": world["platform"].pk, "domain_id": world["budget"].pk}
    with pytest.raises(ValidationError) as refused:
        services.advice_dismiss(actor=w["lea"], **ids, kind="raise", reason="  ")
    assert refused.value.errors == {"reason": ["Say why you dismiss the advice: the reason is kept with it."]}
    answer = services.advice_dismiss(actor=w["lea"], **ids, kind="raise", reason="A new budget owner.")
    assert (answer.answer, answer.reason, answer.level) == ("dismissed", "A new budget owner.", 3)
    assert AuditEvent.objects.unscoped().filter(action="delegation_advice.dismiss").count() == 1
    assert selectors.advice_list(actor=w["owner"]) == []
    level = DelegationLevel.objects.for_org(w["owner"].organization).get(
        team=w["platform"], domain=w["budget"]
    )
    assert level.level == 3
    # New records after the dismissal count again (made from a few minutes on).
    proposals(w["max"], w["lea"], w["platform"], w["budget"], 8, start_days=-0.01)
    assert [a.kind for a in selectors.advice_list(actor=w["owner"])] == [rules.RAISE]


def test_only_who_may_set_levels_answers_advice(world):
    _raise_history(world)
    w, ids = world, {"team_id": world["platform"].pk, "domain_id": world["budget"].pk}
    with pytest.raises(PermissionDenied):
        services.advice_accept(actor=w["max"], **ids, kind="raise")
    with pytest.raises(PermissionDenied):
        services.advice_dismiss(actor=w["max"], **ids, kind="raise", reason="No.")


def test_clarify_advice_when_the_teams_decisions_are_superseded(world):
    w = world
    tech = make_domain(w["owner"], "Tech stack")
    set_level(w["owner"], w["platform"], tech, 7)
    superseded_decisions(w["max"], w["platform"], tech, 9, superseded=4)
    (item,) = selectors.advice_list(actor=w["owner"], domain_id=tech.pk)
    assert (item.kind, item.suggested_level) == (rules.CLARIFY, 6)
    assert item.evidence == (
        "Tech stack, Platform: 4 of the team's last 9 decisions superseded: clarify the intent, or consider "
        "level 6."
    )


def test_bottleneck_advice_for_a_leader_whose_queue_stands_out(world):
    w = world
    sales = make_team(w["owner"], "Sales", parent=w["company"])
    slow = make_person(w["owner"], Role.LEADER, team=sales, is_lead=True, full_name="Sam Slow")
    seller = make_person(w["owner"], Role.MEMBER, team=sales, full_name="Sue Seller")
    pricing = make_domain(w["owner"], "Pricing")
    set_level(w["owner"], sales, pricing, 2)
    proposals(w["max"], w["lea"], w["platform"], w["budget"], 5, wait_days=1)  # Lea answers in a day
    waiting(seller, sales, pricing, 5, days_ago=9)
    bottlenecks = [a for a in selectors.advice_list(actor=w["owner"]) if a.kind == rules.BOTTLENECK]
    (item,) = bottlenecks
    assert (item.leader_id, item.team_id, item.domain_id, item.suggested_level) == (
        slow.user_id,
        sales.pk,
        pricing.pk,
        3,
    )
    assert item.evidence.startswith(
        "Sam Slow: 5 records waiting, median wait 9.0 days (other leaders: 1 day)"
    )


def test_another_organizations_cell_is_not_found(world, other_owner):
    from charter.core.errors import NotFound

    _raise_history(world)
    with pytest.raises(NotFound):
        selectors.cell_advice(actor=other_owner, team_id=world["platform"].pk, domain_id=world["budget"].pk)
    with pytest.raises(NotFound):
        services.advice_accept(
            actor=other_owner, team_id=world["platform"].pk, domain_id=world["budget"].pk, kind="raise"
        )


# ---- REST and MCP: the same services, the same permissions ----------------------------------------


def _api(client, actor, method, url, body=None):
    _, raw = token_create(actor=actor, name="test")
    headers = {"Authorization": f"Bearer {raw}"}
    if method == "GET":
        return client.get(f"/api/v1{url}", headers=headers)
    return client.generic(
        method, f"/api/v1{url}", data=json.dumps(body or {}), content_type="application/json", headers=headers
    )


def test_rest_lists_accepts_and_dismisses_like_the_web(client, world):
    _raise_history(world)
    w = world
    cell = f"/delegation-board/teams/{w['platform'].pk}/domains/{w['budget'].pk}"
    listed = _api(client, w["max"], "GET", "/delegation-advice").json()
    assert [(a["kind"], a["suggested_level"], a["leader_name"]) for a in listed] == [("raise", 4, "Lea Lead")]
    assert _api(client, w["lea"], "GET", "/delegation-advice?for_me=true").json() == listed
    detail = _api(client, w["max"], "GET", cell + "/advice").json()
    assert detail["history"]["approved"] == 14 and detail["not_enough_history"] == ""
    denied = _api(client, w["max"], "POST", cell + "/advice/raise/accept")
    assert denied.status_code == 403
    refused = _api(client, w["lea"], "POST", cell + "/advice/raise/dismiss", {"reason": ""})
    assert refused.status_code == 422 and "reason" in refused.json()["errors"]
    unknown = _api(client, w["lea"], "POST", cell + "/advice/sideways/accept")
    assert unknown.status_code == 404
    accepted = _api(client, w["lea"], "POST", cell + "/advice/raise/accept")
    assert accepted.status_code == 200 and accepted.json()["answer"] == "accepted"
    assert accepted.json()["change_id"] is not None
    again = _api(client, w["lea"], "POST", cell + "/advice/raise/accept")
    assert again.status_code == 409


def test_rest_thresholds_per_organization(client, world):
    w = world
    assert _api(client, w["max"], "GET", "/delegation-advice/settings").json()["min_history"] == 8
    assert (
        _api(
            client, w["max"], "PUT", "/delegation-advice/settings", {"thresholds": {"min_history": 4}}
        ).status_code
        == 403
    )
    bad = _api(client, w["owner"], "PUT", "/delegation-advice/settings", {"thresholds": {"raise_share": 2}})
    assert bad.status_code == 422 and "raise_share" in bad.json()["errors"]
    ok = _api(client, w["owner"], "PUT", "/delegation-advice/settings", {"thresholds": {"min_history": 4}})
    assert ok.status_code == 200 and ok.json()["min_history"] == 4 and ok.json()["window"] == 15
    proposals(w["max"], w["lea"], w["platform"], w["budget"], 5)
    assert [a.kind for a in selectors.advice_list(actor=w["owner"])] == [rules.RAISE]


# ---- pages ----------------------------------------------------------------------------------------


def test_the_board_cell_and_the_cell_page_show_the_advice_and_accept_it(world, login):
    _raise_history(world)
    w = world
    client = login(w["lea"])
    board = client.get(reverse("delegation_board")).content.decode()
    assert "Raise the level: 4" in board
    url = reverse("delegation_history", args=[w["platform"].pk, w["budget"].pk])
    page = client.get(url).content.decode()
    assert "14 of the last 15 proposals approved unchanged" in page and "Accept: set level 4" in page
    dismiss = reverse("delegation_advice_dismiss", args=[w["platform"].pk, w["budget"].pk, "raise"])
    refused = client.post(dismiss, {"reason": ""})
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.content.decode()
    accept = reverse("delegation_advice_accept", args=[w["platform"].pk, w["budget"].pk, "raise"])
    response = client.post(accept, follow=True)
    assert (
        "Advice accepted: Platform is now at level 4 (agree) for Budget under 10k."
        in response.content.decode()
    )
    assert "Raise the level" in response.content.decode()  # in the answers kept on the page
    assert "Not enough history for advice: 0 record(s) at level 4, 8 needed." in response.content.decode()


def test_home_and_profile_load_the_leaders_advice(world, login):
    _raise_history(world)
    client = login(world["lea"])
    mine = reverse("delegation_advice_mine")
    assert f'hx-get="{mine}"' in client.get(reverse("home")).content.decode()
    assert f'hx-get="{mine}"' in client.get(reverse("insights_profile")).content.decode()
    panel = client.get(mine).content.decode()
    assert "Delegation advice for you" in panel and "14 of the last 15" in panel
    member = login(world["max"])
    assert f'hx-get="{mine}"' not in member.get(reverse("home")).content.decode()
    assert member.get(mine).content.decode().strip() == ""


def test_advice_pages_keep_their_query_count_as_history_grows(world, login, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = world
    client = login(w["lea"])
    pages = [
        reverse("delegation_board"),
        reverse("delegation_history", args=[w["platform"].pk, w["budget"].pk]),
        reverse("delegation_advice"),
        reverse("delegation_advice_mine"),
    ]
    counts = []
    for n in (8, 16):  # with advice both times (names read once), more records and more teams the second
        proposals(w["max"], w["lea"], w["platform"], w["budget"], n, start_days=120 - n * 3)
        other = make_team(w["owner"], f"Team {n}", parent=w["platform"])
        set_level(w["owner"], other, w["budget"], 2)
        for url in pages:
            client.get(url)
        row = []
        for url in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            row.append(len(ctx))
        counts.append(row)
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 14, counts  # the board: its own reads and the advice's six


def test_admins_set_the_thresholds_on_the_advice_page(world, login):
    w = world
    client = login(w["owner"])
    page = client.get(reverse("delegation_advice")).content.decode()
    assert "Thresholds of this organization" in page and "No advice right now." in page
    url = reverse("delegation_advice_settings")
    values = {name: getattr(rules.AdviceThresholds(), name) for name in rules.THRESHOLD_WORDS}
    refused = client.post(url, {**values, "raise_share": 0})
    assert refused.status_code == 422 and "A share between 0 and 1" in refused.content.decode()
    assert client.post(url, {**values, "min_history": 4}).status_code == 302
    assert selectors.advice_thresholds(actor=w["owner"]).min_history == 4
    assert AuditEvent.objects.unscoped().filter(action="delegation_advice.settings").count() == 1
    assert (
        "Thresholds of this organization"
        not in login(w["lea"]).get(reverse("delegation_advice")).content.decode()
    )
    assert login(w["lea"]).post(url, values).status_code == 403
