"""Fixtures of the review tests: a team with goals in a reviewing cycle, and the next cycle."""

from types import SimpleNamespace

import pytest

from charter.goals.services import check_in_record
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team


@pytest.fixture
def rv(owner):
    cycle = make_cycle(owner, "2026 Q3", days_before=90, days_after=1, state="reviewing")
    next_cycle = make_cycle(owner, "2026 Q4", days_before=-2, days_after=90, state="planning")
    team = make_team(owner, "Onboarding")
    member = make_person(owner, Role.MEMBER, team=team, full_name="Mia Member")
    goal = make_goal(
        owner,
        cycle,
        "Faster onboarding",
        team_id=team.pk,
        owner_id=member.user_id,
        constraints="No new headcount.",
        freedoms="Tools.",
    )
    kr = make_key_result(owner, goal, "Days to first use", kind="decrease", start=10, target=2, unit="days")
    check_in_record(actor=owner, key_result_id=kr.pk, value=4, confidence=6)
    other = make_goal(owner, cycle, "Docs site", team_id=team.pk)
    make_key_result(owner, other, "Pages", start=0, target=10)
    return SimpleNamespace(
        cycle=cycle, next_cycle=next_cycle, team=team, member=member, goal=goal, kr=kr, other=other
    )
