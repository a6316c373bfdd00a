"""The mission brief on hand-built data: chain of intent, authority, key results; JSON and Markdown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charter.agents.brief import brief_markdown, mission_brief, my_brief
from charter.core.errors import NotFound
from charter.delegation.tests.factories import make_cast, record, set_level
from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.mission.services import mission_update
from charter.organizations.tests.factories import refresh_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(owner, cycle):
    cast = make_cast(owner)
    mission_update(
        actor=owner,
        statement="Make healthcare kind.",
        vision="Every patient feels heard.",
        values=[{"name": "Candour", "meaning": "Say it plainly."}],
        reason="First version.",
    )
    set_level(owner, cast.product, cast.domain, 6)
    top = make_goal(owner, cycle, "Win the clinics", team_id=cast.company.pk, purpose="Clinics trust us.")
    goal = make_goal(
        owner, cycle, "Ship the booking app", team_id=cast.product.pk, parent_id=top.pk,
        purpose="Patients book alone.", end_state="Half the bookings online.",
        constraints="No dark patterns.", freedoms="Pick any stack.",
    )  # fmt: skip
    kr = make_key_result(owner, goal, "Online bookings", start=0, target=50, unit="%")
    check_in_record(actor=owner, key_result_id=kr.pk, value=20, confidence=7, note="Good start")
    return cast, top, goal, kr


def test_brief_has_the_chain_of_intent_the_key_results_and_the_authority(world):
    cast, top, goal, kr = world
    bob = refresh_actor(cast.bob.user, cast.owner.organization)
    brief = mission_brief(actor=bob, goal_id=goal.pk)
    assert brief.mission.statement == "Make healthcare kind."
    assert [link.title for link in brief.intent_chain] == ["Ship the booking app", "Win the clinics"]
    assert brief.intent_chain[0].constraints == "No dark patterns."
    assert brief.key_results[0].current == 20 and brief.key_results[0].check_ins[0].note == "Good start"
    [pricing] = brief.authority
    assert (pricing.domain, pricing.level, pricing.you) == ("Pricing", 6, "decide")
    assert brief.agent_decision_cap is None
    data = brief.model_dump(mode="json")
    assert data["goal"]["title"] == "Ship the booking app"


def test_markdown_short_and_full(world):
    cast, top, goal, kr = world
    brief = mission_brief(actor=cast.owner, goal_id=goal.pk)
    short, full = brief_markdown(brief, full=False), brief_markdown(brief, full=True)
    assert "# Goal" in short and "Win the clinics" in short and "Online bookings" in short
    assert "Pricing" in short and "Candour" not in short and "## Open proposals" not in short
    assert "Candour" in full and "Good start" in full and "## Lint warnings" in full


def test_brief_keeps_a_constant_number_of_queries(world, owner):
    cast, top, goal, kr = world
    with CaptureQueriesContext(connection) as few:
        mission_brief(actor=owner, goal_id=goal.pk)
    for n in range(10):
        k = make_key_result(owner, goal, f"More {n}")
        check_in_record(actor=owner, key_result_id=k.pk, value=n, confidence=5)
        record(cast.ana, cast.product, cast.domain, f"Decision {n}")
    with CaptureQueriesContext(connection) as many:
        brief = mission_brief(actor=owner, goal_id=goal.pk)
    assert len(brief.key_results) == 11 and len(brief.recent_decisions) == 10
    assert len(many) == len(few) <= 30


def test_my_brief_lists_the_goals_of_my_teams(world):
    cast, top, goal, kr = world
    bob = refresh_actor(cast.bob.user, cast.owner.organization)
    brief = my_brief(actor=bob)
    assert [g.goal.title for g in brief.goals] == ["Ship the booking app"]
    assert "Product" in brief.authority
    assert "Ship the booking app" in brief_markdown(brief, full=False)


def test_another_organizations_goal_is_not_found(world, other_owner):
    cast, top, goal, kr = world
    with pytest.raises(NotFound):
        mission_brief(actor=other_owner, goal_id=goal.pk)
    make_cycle(other_owner)
    assert my_brief(actor=other_owner).goals == []


def test_my_brief_keeps_a_constant_number_of_queries(world, owner, cycle):
    cast, top, goal, kr = world
    bob = refresh_actor(cast.bob.user, cast.owner.organization)
    with CaptureQueriesContext(connection) as few:
        my_brief(actor=bob)
    for n in range(5):
        extra = make_goal(owner, cycle, f"Also {n}", team_id=cast.product.pk, parent_id=goal.pk)
        make_key_result(owner, extra, f"KR {n}")
    with CaptureQueriesContext(connection) as many:
        assert len(my_brief(actor=bob).goals) == 6
    assert len(many) == len(few)
