"""Pure rules of back-briefs: when one is asked for, and who writes and reviews it."""

from charter.backbriefs import rules

LEADS_NOTHING = frozenset()


def who(user_id=1, role="member", teams=(), leads=()):
    return rules.Who(user_id, role, frozenset(teams), frozenset(leads))


def test_a_goal_given_from_outside_the_team_asks_for_a_back_brief():
    assert rules.needs_back_brief(5, frozenset({1, 2}))
    assert not rules.needs_back_brief(5, frozenset({5}))
    assert not rules.needs_back_brief(None, frozenset())


def test_every_text_is_required_and_named():
    assert set(rules.text_errors({})) == {"intent", "plan", "concerns", "needs"}
    assert rules.text_errors({"intent": "a", "plan": "b", "concerns": "c", "needs": " "}).keys() == {"needs"}


def test_members_of_the_team_write_it_a_lead_above_does_not():
    assert rules.may_submit(who(teams={5}), 5)
    assert not rules.may_submit(who(teams={4}, leads={4, 5}), 5)


def test_the_accountable_person_and_leaders_above_review_never_the_writer():
    assert rules.may_review(who(user_id=7, teams={5}), 5, goal_owner_id=7, submitted_by_id=8)
    assert not rules.may_review(who(user_id=7, teams={5}), 5, goal_owner_id=7, submitted_by_id=7)
    assert rules.may_review(who(teams={4}, leads={4, 5}), 5, goal_owner_id=9, submitted_by_id=8)
    assert rules.may_review(who(role="leader"), 5, goal_owner_id=9, submitted_by_id=8)
    assert not rules.may_review(who(role="leader", teams={5}), 5, goal_owner_id=9, submitted_by_id=8)
    assert not rules.may_review(who(teams={5}), 5, goal_owner_id=9, submitted_by_id=8)
