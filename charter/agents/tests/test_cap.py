"""The organization's agent decision cap: above it an agent's record becomes a proposal to the leader."""

import pytest
from django.urls import reverse

from charter.agents.brief import my_brief
from charter.core.errors import Conflict
from charter.delegation import rules, services
from charter.delegation.tests.factories import make_cast, record, set_level
from charter.notifications.models import Notification
from charter.organizations.models import Membership, Organization
from charter.organizations.tests.factories import refresh_actor

from .factories import make_agent

pytestmark = pytest.mark.django_db


def _agent_actor(owner, cast, cap):
    Organization.objects.filter(pk=owner.organization_id).update(agent_decision_cap=cap)
    owner.organization.refresh_from_db()
    agent = make_agent(owner, cast.product.pk, sponsor=cast.bob, name="Pricing bot")
    return refresh_actor(agent.user, owner.organization)


def test_at_cap_0_an_agent_only_proposes_and_the_lead_is_told(owner):
    cast = make_cast(owner)
    set_level(owner, cast.product, cast.domain, 7)
    bot = _agent_actor(owner, cast, 0)
    result = record(bot, cast.product, cast.domain, "Raise the price")
    assert result.decision.status == rules.PROPOSED
    assert result.decision.addressed_to_id == cast.ana.user_id
    assert (
        result.message
        == "As an agent you decide alone only up to level 0: your record is a proposal for Ana Lead."
    )
    notified = Notification.objects.for_org(owner.organization).filter(recipient_id=cast.ana.user_id)
    assert notified.filter(event=rules.NEEDS_YOU).exists()


def test_at_cap_6_an_agent_decides_at_6_and_proposes_at_7(owner):
    cast = make_cast(owner)
    set_level(owner, cast.product, cast.domain, 6)
    bot = _agent_actor(owner, cast, 6)
    assert record(bot, cast.product, cast.domain).decision.status == rules.DECIDED
    set_level(owner, cast.product, cast.domain, 7)
    assert record(bot, cast.product, cast.domain).decision.status == rules.PROPOSED


def test_people_are_not_capped(owner):
    cast = make_cast(owner)
    set_level(owner, cast.product, cast.domain, 7)
    assert record(cast.bob, cast.product, cast.domain).decision.status == rules.DECIDED


def test_the_brief_tells_the_agent_what_it_may_decide(owner, cycle):
    from charter.agents.brief import brief_markdown

    cast = make_cast(owner)
    set_level(owner, cast.product, cast.domain, 6)
    bot = _agent_actor(owner, cast, 0)
    [pricing] = my_brief(actor=bot).authority["Product"]
    assert pricing.you == "propose" and "level 0" in pricing.you_in_words
    assert "you may decide alone only up to delegation level 0" in brief_markdown(
        my_brief(actor=bot), full=False
    )
    bot6 = _agent_actor(owner, cast, 6)
    assert my_brief(actor=bot6).authority["Product"][0].you == "decide"


def test_admins_set_the_cap_in_the_settings(client, login, owner):
    login(owner)
    data = {"name": "Acme", "stale_days": 14, "attainment_mark": 0.7, "agent_decision_cap": 6}
    assert client.post(reverse("organization_settings"), data).status_code == 302
    owner.organization.refresh_from_db()
    assert owner.organization.agent_decision_cap == 6
    refused = client.post(reverse("organization_settings"), {**data, "agent_decision_cap": 9})
    assert refused.status_code == 200 and "agent_decision_cap" in refused.content.decode()


def test_at_cap_0_an_agent_cannot_decide_by_responding(owner):
    """Finding 3: with the organization's cap at 0, an agent with the `decide` scope neither decides a
    level-7 proposal by answering it nor a level-5 record after the advice arrives."""
    cast = make_cast(owner)
    bot = _agent_actor(owner, cast, 0)
    set_level(owner, cast.product, cast.domain, 7)
    leaders_proposal = record(cast.boss, cast.product, cast.domain).decision  # to the team
    with pytest.raises(Conflict, match="As an agent you decide alone only up to level 0"):
        services.decision_respond(actor=bot, decision_id=leaders_proposal.pk, action="decide")
    set_level(owner, cast.product, cast.domain, 5)
    own = record(bot, cast.product, cast.domain).decision  # asks Ana's advice
    services.decision_respond(actor=cast.ana, decision_id=own.pk, action="advise", note="Go ahead.")
    with pytest.raises(Conflict, match="this decision is at level 5 \\(advise\\)"):
        services.decision_respond(actor=bot, decision_id=own.pk, action="decide")
    own.refresh_from_db()
    assert own.status == rules.PROPOSED
    assert services.decision_respond(actor=bot, decision_id=own.pk, action="escalate").decision.escalated


def test_an_agents_own_cap_counts_never_above_the_organizations(owner):
    """Finding 4: each agent has its own cap; the lower of its own and the organization's counts."""
    cast = make_cast(owner)
    set_level(owner, cast.product, cast.domain, 6)
    bot = _agent_actor(owner, cast, 7)
    membership = Membership.objects.for_org(owner.organization).filter(user_id=bot.user_id)
    membership.update(decision_cap=5)
    assert record(bot, cast.product, cast.domain).decision.status == rules.PROPOSED
    assert my_brief(actor=bot).agent_decision_cap == 5
    membership.update(decision_cap=7)
    Organization.objects.filter(pk=owner.organization_id).update(agent_decision_cap=6)
    bot = refresh_actor(bot.user, Organization.objects.get(pk=owner.organization_id))
    assert record(bot, cast.product, cast.domain).decision.status == rules.DECIDED  # 6 ≤ min(7, 6)
    assert my_brief(actor=bot).agent_decision_cap == 6
