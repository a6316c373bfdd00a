"""Delegation poker through REST: the same services, the same errors, and no card shown to anyone but its
owner before the cards turn (MCP: charter/agents/tests/test_mcp_poker.py)."""

import pytest
from django.test import Client

from charter.delegation import services
from charter.organizations.services import token_create

from .factories import make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(owner):
    return make_cast(owner)


class _Api:
    """The API at /api/v1 with the actor's personal token and JSON bodies."""

    def __init__(self, actor):
        _, raw = token_create(actor=actor, name="test")
        self.client = Client(headers={"Authorization": f"Bearer {raw}"})

    def get(self, path):
        return self.client.get("/api/v1" + path)

    def post(self, path, data=None):
        return self.client.post("/api/v1" + path, data or {}, content_type="application/json")

    def put(self, path, data=None):
        return self.client.put("/api/v1" + path, data or {}, content_type="application/json")


def _api(actor) -> _Api:
    return _Api(actor)


def test_open_pick_reveal_and_set_a_level_over_rest(cast):
    leader, bob, ana = _api(cast.owner), _api(cast.bob), _api(cast.ana)
    refused = bob.post("/delegation-poker", {"team_id": cast.product.pk, "domain_ids": [cast.domain.pk]})
    assert refused.status_code == 403
    opened = leader.post("/delegation-poker", {"team_id": cast.product.pk, "domain_ids": [cast.domain.pk]})
    assert opened.status_code == 201, opened.content
    session = opened.json()
    assert session["state"] == "picking" and len(session["participants"]) == 3
    pick = f"/delegation-poker/{session['id']}/domains/{cast.domain.pk}/pick"
    mine = bob.put(pick, {"level": 6}).json()
    assert mine["rows"][0]["my_level"] == 6
    theirs = ana.get(f"/delegation-poker/{session['id']}").json()
    row = theirs["rows"][0]
    assert row["picked"] == 1 and row["my_level"] is None and row["spread"] is None
    assert all(card["level"] is None for card in row["cards"])
    assert "6" not in [str(c["level"]) for c in row["cards"]]
    assert _api(cast.carl).put(pick, {"level": 3}).json()["code"] == "permission_denied"
    assert bob.put(pick, {"level": 9}).status_code == 422
    early = leader.put(f"/delegation-poker/{session['id']}/domains/{cast.domain.pk}/level", {"level": 5})
    assert early.status_code == 409
    turned = leader.post(f"/delegation-poker/{session['id']}/reveal").json()
    assert turned["state"] == "revealed" and turned["revealed_how"] == "leader"
    assert [c["level"] for c in turned["rows"][0]["cards"] if c["picked"]] == [6]
    assert turned["rows"][0]["spread"]["counts"]["6"] == 1
    assert leader.post(f"/delegation-poker/{session['id']}/reveal").status_code == 409
    assert bob.put(pick, {"level": 2}).status_code == 409
    done = leader.put(
        f"/delegation-poker/{session['id']}/domains/{cast.domain.pk}/level", {"level": 6, "reason": "Agreed."}
    ).json()
    assert done["rows"][0]["level_set"] == 6 and done["rows"][0]["change_id"]
    history = leader.get(f"/delegation-board/teams/{cast.product.pk}/domains/{cast.domain.pk}/history").json()
    assert history[0]["id"] == done["rows"][0]["change_id"] and "Delegation poker" in history[0]["reason"]
    assert [s["id"] for s in ana.get("/delegation-poker").json()] == [session["id"]]


def test_another_organization_gets_404(cast, other_owner):
    session = services.poker_open(actor=cast.owner, team_id=cast.product.pk, domain_ids=[cast.domain.pk])
    assert _api(other_owner).get(f"/delegation-poker/{session.pk}").status_code == 404
