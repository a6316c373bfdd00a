"""The API gives the same outcome as the service for every level and relation, and the board reads."""

import json

import pytest

from charter.delegation import rules
from charter.notifications.models import Notification
from charter.organizations.services import token_create

from .factories import make_cast, record, set_level
from .test_services import CASES, EXPECTED

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(owner):
    return make_cast(owner)


def _api(client, actor, method, url, body=None):
    _, raw = token_create(actor=actor, name="test")
    headers = {"Authorization": f"Bearer {raw}"}
    if method == "GET":
        return client.get(f"/api/v1{url}", headers=headers)
    data = json.dumps(body or {})
    return client.generic(
        method, f"/api/v1{url}", data=data, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize(("level", "relation"), CASES)
def test_create_answers_like_the_service(client, cast, level, relation):
    set_level(cast.owner, cast.product, cast.domain, level)
    actor = cast.by_relation(relation)
    body = {
        "team_id": cast.product.pk,
        "domain_id": cast.domain.pk,
        "title": "Raise prices",
        "decision": "+5%",
    }
    response = _api(client, actor, "POST", "/decisions", body)
    assert response.status_code == 201, response.content
    data = response.json()
    status, awaiting, addressee, event = EXPECTED[level][relation]
    assert (data["outcome"], data["decision"]["awaiting"], data["decision"]["relation"]) == (
        status,
        awaiting,
        relation,
    )
    if awaiting:
        assert data["decision"]["addressed_to_id"] == getattr(cast, addressee).user_id
    service = record(actor, cast.product, cast.domain, "Raise prices", decision="+5%")
    assert data["message"] == service.message
    sent = Notification.objects.for_org(cast.owner.organization).values_list("event", flat=True)
    assert len(sent) == (2 if event else 0)


@pytest.mark.parametrize("level", [3, 4, 5])
def test_respond_through_the_api(client, cast, level):
    set_level(cast.owner, cast.product, cast.domain, level)
    d = record(cast.bob, cast.product, cast.domain).decision
    refused = _api(client, cast.carl, "POST", f"/decisions/{d.pk}/respond", {"action": "decide"})
    assert refused.status_code == 409 and "not yours to answer" in refused.json()["detail"]
    first = {3: "decide", 4: "agree", 5: "advise"}[level]
    response = _api(client, cast.ana, "POST", f"/decisions/{d.pk}/respond", {"action": first, "note": "ok"})
    assert response.status_code == 200, response.content
    expected = rules.PROPOSED if level == 5 else rules.DECIDED
    assert response.json()["decision"]["status"] == expected


def test_board_domains_and_history(client, cast):
    set_level(cast.owner, cast.company, cast.domain, 6, reason="Trusted")
    board = _api(client, cast.bob, "GET", "/delegation-board").json()
    assert [lv["code"] for lv in board["levels"]] == [lv.code for lv in rules.LEVELS.values()]
    cell = next(c for c in board["cells"] if c["team_id"] == cast.product.pk)
    assert (cell["level"], cell["inherited"], cell["source_team_id"]) == (6, True, cast.company.pk)
    url = f"/delegation-board/teams/{cast.product.pk}/domains/{cast.domain.pk}"
    assert _api(client, cast.bob, "PUT", url, {"level": 7, "reason": "x"}).status_code == 403
    missing_reason = _api(client, cast.owner, "PUT", url, {"level": 7, "reason": " "})
    assert missing_reason.status_code == 422 and "reason" in missing_reason.json()["errors"]
    saved = _api(client, cast.owner, "PUT", url, {"level": 7, "reason": "They own it"}).json()
    assert (saved["level"], saved["previous_level"], saved["reason"]) == (7, None, "They own it")
    history = _api(client, cast.bob, "GET", url + "/history").json()
    assert [h["level"] for h in history] == [7]
    created = _api(client, cast.owner, "POST", "/decision-domains", {"name": "Hiring"})
    assert created.status_code == 201
    names = [d["name"] for d in _api(client, cast.bob, "GET", "/decision-domains").json()["items"]]
    assert names == ["Hiring", "Pricing"]


def test_list_filters_and_foreign_ids(client, cast, other_owner):
    d = record(cast.bob, cast.product, cast.domain).decision
    record(cast.carl, cast.sales, cast.domain)
    items = _api(client, cast.bob, "GET", f"/decisions?team_id={cast.product.pk}").json()["items"]
    assert [i["id"] for i in items] == [d.pk]
    assert _api(client, other_owner, "GET", f"/decisions/{d.pk}").status_code == 404
    assert _api(client, other_owner, "GET", "/decisions").json()["count"] == 0


def test_a_level_is_cleared_with_null_to_inherit_again(client, cast):
    """Finding 5, over REST: `PUT … {"level": null}` clears the team's own level."""
    set_level(cast.owner, cast.company, cast.domain, 6)
    set_level(cast.owner, cast.product, cast.domain, 2)
    url = f"/delegation-board/teams/{cast.product.pk}/domains/{cast.domain.pk}"
    cleared = _api(client, cast.owner, "PUT", url, {"level": None, "reason": "Back in line"})
    assert cleared.status_code == 200, cleared.content
    assert (cleared.json()["level"], cleared.json()["previous_level"]) == (None, 2)
    board = _api(client, cast.bob, "GET", "/delegation-board").json()
    cell = next(c for c in board["cells"] if c["team_id"] == cast.product.pk)
    assert (cell["level"], cell["inherited"], cell["source_team_id"]) == (6, True, cast.company.pk)
    again = _api(client, cast.owner, "PUT", url, {"level": None, "reason": "Again"})
    assert again.status_code == 409 and "already inherits" in again.json()["detail"]


def test_waiting_for_me_act_for_supersede_and_withdraw(client, cast):
    d = record(cast.bob, cast.product, cast.domain).decision  # level 1: waits for Ana
    mine = _api(client, cast.ana, "GET", "/decisions?waiting_for_me=true").json()["items"]
    assert [i["id"] for i in mine] == [d.pk]
    assert _api(client, cast.boss, "GET", "/decisions?waiting_for_me=true").json()["count"] == 0
    url = f"/decisions/{d.pk}/respond"
    denied = _api(client, cast.boss, "POST", url, {"action": "decide", "acting_for_id": cast.ana.user_id})
    assert denied.status_code == 403 and "Only owners and admins" in denied.json()["detail"]
    wrong = _api(client, cast.owner, "POST", url, {"action": "decide", "acting_for_id": cast.carl.user_id})
    assert wrong.status_code == 422 and "leader chain" in wrong.json()["errors"]["acting_for_id"][0]
    acted = _api(client, cast.owner, "POST", url, {"action": "decide", "acting_for_id": cast.ana.user_id})
    assert acted.status_code == 200 and acted.json()["message"] == "Decided. You acted for Ana Lead."
    body = {"team_id": cast.sales.pk, "domain_id": cast.domain.pk, "title": "Undo", "decision": "No"}
    refused = _api(client, cast.carl, "POST", "/decisions", body | {"supersedes_id": d.pk})
    assert refused.status_code == 422 and "supersedes_id" in refused.json()["errors"]
    proposal = record(cast.bob, cast.product, cast.domain).decision
    url = f"/decisions/{proposal.pk}/respond"
    assert _api(client, cast.ana, "POST", url, {"action": "withdraw"}).status_code == 409
    withdrawn = _api(client, cast.bob, "POST", url, {"action": "withdraw"})
    assert withdrawn.status_code == 200 and withdrawn.json()["decision"]["status"] == "withdrawn"
