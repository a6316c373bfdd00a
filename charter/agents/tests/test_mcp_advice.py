"""Delegation advice through MCP: the same services and permissions as REST and the web."""

import json

import pytest

from charter.agents.mcp import tools
from charter.core.errors import Conflict, PermissionDenied
from charter.delegation.models import AdviceAnswer
from charter.delegation.tests.advice_history import advice_world
from charter.delegation.tests.advice_history import raise_history as _raise_history
from charter.organizations.services import token_create

from .test_mcp import call, fail

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(owner):
    return advice_world(owner)


def test_mcp_tools_answer_like_rest(world):
    _raise_history(world)
    w, ids = world, {"team_id": world["platform"].pk, "domain_id": world["budget"].pk}
    (listed,) = tools.list_delegation_advice(w["lea"], for_me=True)
    assert listed["kind"] == "raise" and listed["evidence"].startswith("Budget under 10k, Platform: 14 of")
    with pytest.raises(PermissionDenied):
        tools.dismiss_delegation_advice(w["max"], **ids, kind="raise", reason="No.")
    dismissed = tools.dismiss_delegation_advice(w["lea"], **ids, kind="raise", reason="Not yet.")
    assert dismissed["answer"] == "dismissed" and dismissed["reason"] == "Not yet."
    with pytest.raises(Conflict):
        tools.accept_delegation_advice(w["lea"], **ids, kind="raise")


def test_mcp_server_refuses_a_member_and_serves_a_lead(world):
    _raise_history(world)
    w = world
    args = {"team_id": w["platform"].pk, "domain_id": w["budget"].pk, "kind": "raise"}
    member_token = token_create(actor=w["max"], name="m")[1]
    assert fail(member_token, "accept_delegation_advice", **args)["code"] == "permission_denied"
    lead_token = token_create(actor=w["lea"], name="l")[1]
    is_error, text = call(lead_token, "accept_delegation_advice", **args)
    assert not is_error and json.loads(text)["suggested_level"] == 4
    assert AdviceAnswer.objects.for_org(w["owner"].organization).get().answer == "accepted"
