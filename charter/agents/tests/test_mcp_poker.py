"""Delegation poker through MCP: the tools call the same services as REST, hide every card but one's own
before the cards turn, and refuse as REST refuses."""

import pytest

from charter.delegation import services
from charter.delegation.models import DelegationLevel
from charter.delegation.tests.factories import make_cast
from charter.organizations.services import token_create

from .test_mcp import fail, ok

pytestmark = pytest.mark.django_db


def token_for(actor) -> str:
    return token_create(actor=actor, name="mcp")[1]


def test_mcp_tools_hide_cards_before_the_reveal_and_pick_like_rest(owner):
    cast = make_cast(owner)
    session = services.poker_open(actor=cast.owner, team_id=cast.product.pk, domain_ids=[cast.domain.pk])
    bob, ana = token_for(cast.bob), token_for(cast.ana)
    picked = ok(bob, "pick_in_poker", poker_id=session.pk, domain_id=cast.domain.pk, level=4)
    assert picked["rows"][0]["my_level"] == 4
    seen = ok(ana, "get_poker_session", poker_id=session.pk)
    assert all(c["level"] is None for c in seen["rows"][0]["cards"]) and seen["rows"][0]["picked"] == 1
    assert ok(ana, "list_poker_sessions")[0]["invited"] is True
    error = fail(
        token_for(cast.carl), "pick_in_poker", poker_id=session.pk, domain_id=cast.domain.pk, level=3
    )
    assert error["code"] == "permission_denied"
    ok(ana, "pick_in_poker", poker_id=session.pk, domain_id=cast.domain.pk, level=5)
    ok(token_for(cast.owner), "pick_in_poker", poker_id=session.pk, domain_id=cast.domain.pk, level=5)
    turned = ok(ana, "get_poker_session", poker_id=session.pk)  # the last card turned them all
    assert turned["state"] == "revealed" and sorted(c["level"] for c in turned["rows"][0]["cards"]) == [
        4,
        5,
        5,
    ]
    assert not DelegationLevel.objects.for_org(cast.owner.organization).exists()
