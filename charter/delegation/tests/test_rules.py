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


def test_relations_follow_the_team_tree_never_the_role():
    chain = [{5}, {7}, set()]
    assert rules.relation_of(user_id=5, is_member=True, lead_chain=chain) == rules.LEAD
    assert rules.relation_of(user_id=7, is_member=False, lead_chain=chain) == rules.LEADER_ABOVE
    assert rules.relation_of(user_id=9, is_member=True, lead_chain=chain) == rules.MEMBER
    # An owner, admin or leader outside the chain is an outsider: relation_of takes no role at all.
    assert rules.relation_of(user_id=9, is_member=False, lead_chain=chain, top=[9]) == rules.OUTSIDER


def test_a_root_lead_answers_to_the_owners_and_with_nobody_above_is_the_top():
    assert rules.relation_of(user_id=5, is_member=True, lead_chain=[{5}], top=[1]) == rules.LEAD
    assert rules.relation_of(user_id=5, is_member=True, lead_chain=[{5}], top=[5]) == rules.LEADER_ABOVE
    assert rules.relation_of(user_id=5, is_member=True, lead_chain=[{5}], top=[]) == rules.LEADER_ABOVE
    assert rules.in_leader_chain(7, [{5}, {7}]) and not rules.in_leader_chain(1, [{5}, {7}])


def test_the_right_leader():
    chain, org = [{5}, set(), {7}], [1, 2]
    assert rules.next_leader(chain, org, after=None, exclude={9}) == 5  # a member: the team's lead
    assert rules.next_leader(chain, org, after=5, exclude={5}) == 7  # the lead: the next lead above
    assert rules.next_leader(chain, org, after=7, exclude={7}) == 1  # the top: an owner
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
    relation = {"leader": rules.LEADER_ABOVE, "team": rules.MEMBER, "": rules.OUTSIDER}[side]
    step = rules.respond_step(action, awaiting, 4, rules.Position(relation))
    assert step.allowed == allowed and step.message
    if allowed:
        assert step.status == status


def test_deciding_before_advice_says_so():
    step = rules.respond_step("decide", rules.LEADER_ADVICE, 5, rules.Position(rules.MEMBER))
    assert "only after the leader's advice" in step.message


def test_an_outsider_is_told_the_decision_is_not_theirs_whatever_their_role():
    step = rules.respond_step("decide", rules.LEADER_DECISION, 1, rules.Position(rules.OUTSIDER))
    assert not step.allowed and "not yours to answer, whatever your role" in step.message
    # Addressed to them (an owner at the top of the tree), they answer for the side it waits for.
    addressed = rules.Position(rules.OUTSIDER, is_addressee=True)
    assert rules.respond_step("decide", rules.LEADER_DECISION, 1, addressed).status == rules.DECIDED


def test_only_the_proposer_withdraws_an_open_record():
    mine, theirs = (
        rules.Position(rules.MEMBER, is_proposer=True),
        rules.Position(rules.LEAD, is_addressee=True),
    )
    step = rules.respond_step("withdraw", rules.LEADER_DECISION, 1, mine)
    assert (step.allowed, step.status, step.awaiting) == (True, rules.WITHDRAWN, "")
    assert not rules.respond_step("withdraw", rules.LEADER_DECISION, 1, theirs).allowed
    assert not rules.respond_step("withdraw", "", 1, mine).allowed  # closed


@pytest.mark.parametrize(
    ("action", "awaiting", "level", "cap", "allowed"),
    [
        ("decide", rules.TEAM_DECISION, 7, 0, False),  # finding 3: cap 0 and a level-7 proposal
        ("decide", rules.TEAM_DECISION, 5, 4, False),  # after the advice, above the cap
        ("decide", rules.TEAM_DECISION, 5, 5, True),
        ("agree", rules.TEAM_AGREEMENT, 4, 3, False),  # agreeing would make it decided
        ("agree", rules.TEAM_AGREEMENT, 4, 4, True),
        ("escalate", rules.TEAM_DECISION, 7, 0, True),  # handing it up decides nothing
    ],
)
def test_an_agents_cap_bounds_every_step_that_decides(action, awaiting, level, cap, allowed):
    step = rules.respond_step(action, awaiting, level, rules.Position(rules.MEMBER, agent_cap=cap))
    assert step.allowed is allowed, step.message
    if not allowed:
        assert f"only up to level {cap}" in step.message


def test_an_agents_record_above_its_cap_is_a_proposal():
    decided = rules.record_outcome(7, rules.MEMBER)
    capped = rules.agent_capped(decided, 7, 6)
    assert (capped.status, capped.awaiting) == (rules.PROPOSED, rules.LEADER_DECISION)
    assert rules.agent_capped(decided, 6, 6) == decided


def test_superseding_needs_the_authority_to_make_the_old_decision():
    decided, proposed = rules.record_outcome(7, rules.MEMBER), rules.record_outcome(1, rules.MEMBER)
    escalated = rules.record_outcome(7, rules.OUTSIDER)
    assert rules.supersede_refusal(decided, same_team_and_domain=False) == ""
    assert rules.supersede_refusal(proposed, same_team_and_domain=True) == ""
    assert "from here" in rules.supersede_refusal(proposed, same_team_and_domain=False)
    assert "not yours to take" in rules.supersede_refusal(escalated, same_team_and_domain=True)


def test_sides():
    assert rules.side_of(rules.LEADER_DECISION, rules.LEAD, True) == "leader"  # the addressed lead
    assert rules.side_of(rules.LEADER_DECISION, rules.LEAD, False) == "team"
    assert rules.side_of(rules.TEAM_AGREEMENT, rules.LEADER_ABOVE, False) == "leader"
    assert rules.side_of(rules.TEAM_DECISION, rules.MEMBER, False) == "team"
    assert rules.side_of(rules.LEADER_DECISION, rules.OUTSIDER, False) == ""
