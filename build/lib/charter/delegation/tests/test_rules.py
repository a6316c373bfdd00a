"""The delegation rules without a database: levels, inheritance, relations, outcomes, responses."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from charter.delegation import rules

levels = st.integers(min_value=1, max_value=7)
relations = st.sampled_from(rules.RELATIONS)


@given(levels, relations)
def test_every_outcome_says_what_happened_and_never_lets_an_outsider_decide(level, relation):
    outcome = rules.record_outcome(level, relation)
    message = outcome.render(domain="Pricing", team="Product", leader="Ana")
    assert message.startswith(f"Level {level} ({rules.LEVELS[level].code}) for Pricing:")
    assert "{" not in message
    if relation == rules.OUTSIDER:
        assert (outcome.status, outcome.escalated, outcome.addressee) == (rules.ESCALATED, True, "leader")
    assert (outcome.status == rules.DECIDED) == (outcome.awaiting == "")
    if outcome.awaiting:
        assert outcome.notify == rules.NEEDS_YOU and outcome.addressee


@given(levels)
def test_the_team_decides_from_level_6_and_the_leader_up_to_level_3(level):
    member = rules.record_outcome(level, rules.MEMBER)
    leader = rules.record_outcome(level, rules.LEADER_ABOVE)
    assert (member.status == rules.DECIDED) == (level >= 6)
    assert (leader.status == rules.DECIDED) == (level <= 3)
    assert rules.record_outcome(level, rules.LEAD) == member


def test_level_specifics():
    assert rules.record_outcome(3, rules.MEMBER).consulted
    assert not rules.record_outcome(2, rules.MEMBER).consulted
    assert rules.record_outcome(4, rules.MEMBER).awaiting == rules.LEADER_AGREEMENT
    assert rules.record_outcome(4, rules.LEADER_ABOVE).awaiting == rules.TEAM_AGREEMENT
    five = rules.record_outcome(5, rules.MEMBER)
    assert five.advice_requested and five.awaiting == rules.LEADER_ADVICE
    assert rules.record_outcome(6, rules.MEMBER).notify == rules.TOLD
    assert rules.record_outcome(7, rules.MEMBER).notify == ""


def test_bad_level_or_relation_is_refused():
    with pytest.raises(ValueError):
        rules.record_outcome(8, rules.MEMBER)
    with pytest.raises(ValueError):
        rules.record_outcome(3, "boss")


def test_inheritance_takes_the_nearest_set_ancestor_else_the_default():
    parent_of = {1: None, 2: 1, 3: 2, 4: None}
    set_levels = {(1, 10): 6, (3, 10): 2}
    assert rules.effective_level(3, 10, parent_of, set_levels) == (2, 3)
    assert rules.effective_level(2, 10, parent_of, set_levels) == (6, 1)
    assert rules.effective_level(4, 10, parent_of, set_levels) == (1, None)
    assert rules.effective_level(2, 11, parent_of, set_levels) == (1, None)
    loop = {1: 2, 2: 1}
    assert rules.effective_level(1, 10, loop, {}) == (1, None)
    assert len(rules.effective_levels(parent_of, set_levels, [10, 11])) == 8


def test_relations():
    chain = [{5}, {7}, set()]
    assert rules.relation_of(user_id=5, role="member", is_member=True, lead_chain=chain) == rules.LEAD
    assert (
        rules.relation_of(user_id=7, role="member", is_member=False, lead_chain=chain) == rules.LEADER_ABOVE
    )
    assert rules.relation_of(user_id=9, role="admin", is_member=False, lead_chain=chain) == rules.LEADER_ABOVE
    assert rules.relation_of(user_id=9, role="member", is_member=True, lead_chain=chain) == rules.MEMBER
    assert rules.relation_of(user_id=9, role="member", is_member=False, lead_chain=chain) == rules.OUTSIDER


def test_the_right_leader():
    chain, org = [{5}, set(), {7}], [1, 2]
    assert rules.next_leader(chain, org, after=None, exclude={9}) == 5  # a member: the team's lead
    assert rules.next_leader(chain, org, after=5, exclude={5}) == 7  # the lead: the next lead above
    assert rules.next_leader(chain, org, after=7, exclude={7}) == 1  # the top: an organization leader
    assert rules.next_leader(chain, org, after=1, exclude={1}) == 2  # never back down the tree
    assert rules.next_leader([set()], [], after=None, exclude=set()) is None


@pytest.mark.parametrize(
    ("action", "awaiting", "side", "allowed", "status"),
    [
        ("decide", rules.LEADER_DECISION, "leader", True, rules.DECIDED),
        ("decide", rules.LEADER_DECISION, "team", False, None),
        ("agree", rules.LEADER_AGREEMENT, "leader", True, rules.DECIDED),
        ("agree", rules.TEAM_AGREEMENT, "leader", False, None),
        ("decide", rules.TEAM_AGREEMENT, "team", False, None),
        ("advise", rules.LEADER_ADVICE, "leader", True, rules.PROPOSED),
        ("decide", rules.LEADER_ADVICE, "team", False, None),
        ("decide", rules.LEADER_ADVICE, "leader", False, None),
        ("decide", rules.TEAM_DECISION, "team", True, rules.DECIDED),
        ("escalate", rules.LEADER_DECISION, "leader", True, rules.ESCALATED),
        ("escalate", rules.LEADER_DECISION, "", False, None),
        ("decide", "", "leader", False, None),
        ("shrug", rules.LEADER_DECISION, "leader", False, None),
    ],
)
def test_responses(action, awaiting, side, allowed, status):
    step = rules.respond_step(action, awaiting, side, 4)
    assert step.allowed == allowed and step.message
    if allowed:
        assert step.status == status


def test_deciding_before_advice_says_so():
    step = rules.respond_step("decide", rules.LEADER_ADVICE, "team", 5)
    assert "only after the leader's advice" in step.message


def test_sides():
    assert rules.side_of(rules.LEADER_DECISION, rules.LEAD, True) == "leader"  # the addressed lead
    assert rules.side_of(rules.LEADER_DECISION, rules.LEAD, False) == "team"
    assert rules.side_of(rules.TEAM_AGREEMENT, rules.LEADER_ABOVE, False) == "leader"
    assert rules.side_of(rules.TEAM_DECISION, rules.MEMBER, False) == "team"
    assert rules.side_of(rules.LEADER_DECISION, rules.OUTSIDER, False) == ""
