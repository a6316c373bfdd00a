"""Each lint rule on hand-built data: it fires on the problem and stays quiet otherwise."""

from datetime import UTC, date, datetime, timedelta

import pytest

from charter.lint import registry
from charter.lint.registry import (
    BackBriefData,
    Context,
    CycleData,
    GoalData,
    KeyResultData,
    OrgData,
    TeamData,
)

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
RUNNING = CycleData(date(2026, 10, 1), date(2026, 12, 31), True)
INTENT = {"purpose": "Why.", "end_state": "Done looks like this.", "constraints": "No.", "freedoms": "Yes."}
KR = KeyResultData("Reduce onboarding days from 9 to 2", "decrease", 9, 2)


def goal(**kwargs) -> GoalData:
    values = {
        "id": 1,
        "title": "Customers stay",
        "owner_id": 7,
        "key_results": (KR,),
        "last_check_in_at": NOW - timedelta(days=1),
        **INTENT,
        **kwargs,
    }
    return GoalData(**values)


def codes(goals, org=None, disabled=(), thresholds=None, cycle=RUNNING) -> list[str]:
    context = Context(now=NOW, stale_days=14, cycle=cycle, thresholds=thresholds or {})
    goals = goals if isinstance(goals, list) else [goals]
    return [f.code for f in registry.run(goals, context, org, disabled)]


def test_a_good_goal_has_no_findings():
    assert codes(goal()) == []


def test_there_are_at_least_twelve_rules_with_codes_severities_messages_and_hints():
    assert len(registry.RULES) >= 12
    for code, r in registry.RULES.items():
        assert code == r.code and r.severity in registry.SEVERITIES and r.message and r.hint and r.name


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"key_results": ()}, "CH001"),
        ({"key_results": (KeyResultData("NPS", "increase", None, 50),)}, "CH002"),
        ({"key_results": (KeyResultData("NPS", "increase", 30, None),)}, "CH002"),
        ({"key_results": (KeyResultData("Launch the new onboarding", "milestone", None, None),)}, "CH003"),
        ({"key_results": (KeyResultData("Implement single sign-on", "increase", 0, 1),)}, "CH003"),
        ({"key_results": (KR,) * 6}, "CH004"),
        ({"level": "team", "has_parent": False}, "CH005"),
        ({"purpose": ""}, "CH006"),
        ({"end_state": "  "}, "CH006"),
        ({"freedoms": ""}, "CH007"),
        ({"last_check_in_at": NOW - timedelta(days=15)}, "CH008"),
        ({"key_results": (KeyResultData("A 1", weight=0), KeyResultData("B 2", weight=0))}, "CH010"),
        ({"key_results": (KeyResultData("A 1", weight=9), KeyResultData("B 2", weight=1))}, "CH010"),
        ({"key_results": (KeyResultData("NPS", "increase", 40, 40),)}, "CH011"),
    ],
)
def test_goal_rules_fire(changes, code):
    if code is None:
        return
    assert code in codes(goal(**changes))


@pytest.mark.parametrize(
    "changes",
    [
        {
            "key_results": (KeyResultData("Launch in 3 markets", "increase", 0, 3),)
        },  # a task verb, but a number
        {
            "key_results": (KeyResultData("Churn below 2%", "milestone", None, None),)
        },  # a milestone, no task verb
        {"key_results": (KR,) * 5},
        {"level": "team", "has_parent": True},
        {"level": "strategic", "has_parent": False},
        {"last_check_in_at": NOW - timedelta(days=13)},
        {"last_check_in_at": None, "created_at": NOW - timedelta(days=3)},
        {"last_check_in_at": NOW - timedelta(days=40), "progress": 1.0},
        {"key_results": (KeyResultData("A 1", weight=2), KeyResultData("B 2", weight=1))},
    ],
)
def test_goal_rules_stay_quiet(changes):
    assert codes(goal(**changes)) == []


def test_no_intent_does_not_also_report_incomplete_intent():
    assert codes(goal(purpose="", constraints="")) == ["CH006"]


def test_stale_only_in_a_running_cycle():
    old = goal(last_check_in_at=NOW - timedelta(days=60))
    assert "CH008" in codes(old)
    assert "CH008" not in codes(old, cycle=CycleData(date(2026, 1, 1), date(2026, 3, 31), False))


def test_owner_with_too_many_goals_in_the_cycle():
    goals = [goal(id=i, title=f"G{i}") for i in range(6)]
    assert codes(goals).count("CH009") == 6
    assert codes(goals[:5]) == []
    assert codes(goals, thresholds={"CH009": {"max_goals_per_owner": 6}}) == []


def test_thresholds_and_disabled_rules():
    many = goal(key_results=(KR,) * 6)
    assert codes(many, thresholds={"CH004": {"max_key_results": 6}}) == []
    assert codes(many, disabled=["CH004"]) == []


# ---- micro-management -----------------------------------------------------------------------------

TEAMS = (
    TeamData(1, "Product", None, leads=((7, "Ana"),), levels=(3, 4)),
    TeamData(2, "Growth", 1, levels=(3,)),
    TeamData(3, "Onboarding", 2, levels=(3,)),
)


def _team_goals(owner_id):
    krs = tuple(KeyResultData(f"Metric {i}", owner_id=owner_id) for i in range(3))
    return [goal(id=10, team_id=3, owner_id=9, key_results=krs, level="team", has_parent=True)]


def test_leader_who_owns_most_key_results_below():
    assert "CH101" in codes(_team_goals(7), OrgData(TEAMS))
    assert "CH101" not in codes(_team_goals(9), OrgData(TEAMS))
    # below the minimum number of key results, no judgement
    assert "CH101" not in codes(_team_goals(7), OrgData(TEAMS), thresholds={"CH101": {"min_key_results": 4}})


def test_low_delegation_everywhere():
    low = OrgData((TeamData(1, "Ops", levels=(1, 2, 2)),))
    assert codes([], low) == ["CH102"]
    assert codes([], OrgData((TeamData(1, "Ops", levels=(1, 3)),))) == []
    assert codes([], OrgData((TeamData(1, "Ops", levels=()),))) == []  # no domains: nothing to judge


def test_most_decisions_escalated():
    assert codes([], OrgData((TeamData(1, "Ops", levels=(5,), decisions=4, escalated=3),))) == ["CH103"]
    assert codes([], OrgData((TeamData(1, "Ops", levels=(5,), decisions=4, escalated=2),))) == []
    assert codes([], OrgData((TeamData(1, "Ops", levels=(5,), decisions=3, escalated=3),))) == []


def test_back_brief_unconfirmed_for_too_long():
    waiting = OrgData(back_briefs=(BackBriefData(5, "Onboard in a day", "Growth", NOW - timedelta(days=8)),))
    found = registry.run([], Context(now=NOW), waiting)
    assert [(f.code, f.goal_id) for f in found] == [("CH104", 5)]
    fresh = OrgData(back_briefs=(BackBriefData(5, "Onboard", "Growth", NOW - timedelta(days=6)),))
    assert codes([], fresh) == []
