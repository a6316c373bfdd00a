"""The advice rules on hand-built decision histories: each kind, the thresholds' edges, too little history."""

from datetime import UTC, datetime, timedelta

from charter.delegation import rules
from charter.delegation.rules import AdviceThresholds, RecordFact

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
T = (
    AdviceThresholds()
)  # window 15, min 8, raise 0.8, clarify 0.3 and 3, escalate 0.4, bottleneck 4 / 3 d / 2x
LEAD, BOSS = 10, 20
_ids = iter(range(1, 100000))


def proposal(days_ago=10, *, wait=2.0, approved=True, level=3, team=1, domain=1, leader=LEAD, open_=False):
    """A team member's proposal the leader answered after `wait` days (approved, or escalated)."""
    at = NOW - timedelta(days=days_ago)
    if open_:
        return RecordFact(next(_ids), team, domain, level, rules.MEMBER, rules.PROPOSED, at, waited=True,
                          waiting_for=leader)  # fmt: skip
    return RecordFact(
        next(_ids), team, domain, level, rules.MEMBER, rules.DECIDED if approved else rules.ESCALATED, at,
        waited=True, decided=approved, escalated=not approved, answered_at=at + timedelta(days=wait),
        answered_by=leader if approved else None,
    )  # fmt: skip


def own_decision(days_ago=10, *, superseded_by="", level=6, team=1, domain=1):
    """A decision the team took itself (level 6 or 7), perhaps superseded since."""
    at = NOW - timedelta(days=days_ago)
    status = rules.SUPERSEDED if superseded_by else rules.DECIDED
    return RecordFact(next(_ids), team, domain, level, rules.MEMBER, status, at, decided=True,
                      superseded_by=superseded_by)  # fmt: skip


def verdict(facts, level=3, t=T):
    window = rules.window_of(facts, team_id=1, domain_id=1, level=level, size=t.window)
    return rules.cell_advice(window, team_id=1, domain_id=1, level=level, now=NOW, t=t)


# ---- raise ----------------------------------------------------------------------------------------


def test_raise_when_the_leader_approves_proposals_unchanged():
    facts = [proposal(i, wait=2.0 + i / 100) for i in range(1, 15)] + [proposal(20, approved=False)]
    v = verdict(facts)
    (advice,) = v.advice
    assert advice.kind == rules.RAISE and (advice.level, advice.suggested_level) == (3, 4)
    assert advice.render(team="Platform", domain="Budget under 10k") == (
        "Budget under 10k, Platform: 14 of the last 15 proposals approved unchanged, median wait 2.1 days: "
        "consider level 4."
    )
    assert v.history.approved == 14 and v.history.proposals == 15 and v.history.escalated == 1


def test_raise_share_edge_80_percent_advises_and_just_below_does_not():
    at_edge = [proposal(i) for i in range(1, 13)] + [proposal(i, approved=False) for i in range(13, 16)]
    assert [a.kind for a in verdict(at_edge).advice] == [rules.RAISE]  # 12 of 15 = 0.8
    below = [proposal(i) for i in range(1, 12)] + [proposal(i, approved=False) for i in range(12, 16)]
    assert verdict(below).advice == ()  # 11 of 15
    assert verdict(below).not_enough == ""  # enough history: simply nothing to advise


def test_the_window_reads_the_newest_records_at_the_current_level_only():
    old_rejections = [proposal(40 + i, approved=False) for i in range(10)]  # older than the window
    other_level = [proposal(i, approved=False, level=2) for i in range(1, 10)]
    facts = [proposal(i) for i in range(1, 16)] + old_rejections + other_level
    assert [a.kind for a in verdict(facts).advice] == [rules.RAISE]


def test_not_enough_history_says_so_plainly_and_gives_no_advice():
    v = verdict([proposal(i) for i in range(1, 8)])  # 7 records, 8 needed
    assert v.advice == ()
    assert v.not_enough == "Not enough history for advice: 7 record(s) at level 3, 8 needed."
    assert [a.kind for a in verdict([proposal(i) for i in range(1, 9)]).advice] == [rules.RAISE]  # 8: enough


def test_open_proposals_count_in_the_wait_but_not_as_answered():
    facts = [proposal(i) for i in range(1, 8)] + [proposal(i, open_=True) for i in range(30, 33)]
    v = verdict(facts)
    assert v.advice == () and "7 answered proposal(s)" in v.not_enough
    assert v.history.median_wait == 2.0  # 7 waits of 2 days, 3 open for 30-32 days: median 2


def test_no_raise_at_level_6_where_nothing_waits_for_the_leader():
    facts = [own_decision(i) for i in range(1, 16)]
    assert verdict(facts, level=6).advice == ()


def test_thresholds_are_the_organizations():
    facts = [proposal(i) for i in range(1, 6)]
    assert verdict(facts).advice == ()
    strict = rules.advice_thresholds({"min_history": 5, "raise_share": 1.0, "unknown": 3})
    assert [a.kind for a in verdict(facts, t=strict).advice] == [rules.RAISE]
    assert rules.threshold_errors({"raise_share": 1.5, "window": 2.5, "nope": 1, "min_history": "8"}) == {
        "raise_share": ["A share between 0 and 1 (0.8 is 80%)."],
        "window": ["A whole number, please."],
        "nope": ["There is no advice threshold called 'nope'."],
        "min_history": ["A number, please."],
    }


# ---- clarify or lower -----------------------------------------------------------------------------


def test_clarify_when_the_teams_decisions_are_superseded_again_and_again():
    facts = [own_decision(i) for i in range(1, 8)]
    facts += [own_decision(i, superseded_by=rules.MEMBER) for i in range(8, 10)]
    facts += [own_decision(10, superseded_by=rules.LEADER_ABOVE)]
    (advice,) = verdict(facts, level=6).advice  # 3 of 10 superseded: 0.3
    assert advice.kind == rules.CLARIFY and advice.suggested_level == 5
    assert advice.render(team="Platform", domain="Tech stack") == (
        "Tech stack, Platform: 3 of the team's last 10 decisions superseded (1 reversed by a leader): "
        "clarify the intent, or consider level 5."
    )


def test_clarify_edges_the_share_and_the_minimum_count():
    below_share = [own_decision(i) for i in range(1, 9)] + [
        own_decision(i, superseded_by=rules.MEMBER) for i in range(9, 12)
    ]  # 3 of 11 = 0.27
    assert verdict(below_share, level=6).advice == ()
    two = [own_decision(i) for i in range(1, 7)] + [
        own_decision(i, superseded_by=rules.MEMBER) for i in (7, 8)
    ]
    assert verdict(two, level=6).advice == ()  # 2 of 8 superseded: fewer than 3


def test_clarify_wins_over_raise_and_escalations_count():
    facts = [proposal(i) for i in range(1, 10)] + [proposal(i, approved=False) for i in range(10, 16)]
    (advice,) = verdict(facts).advice  # 6 of 15 escalated: 0.4
    assert advice.kind == rules.CLARIFY and "6 of the last 15 records escalated" in advice.text
    at_one = verdict([proposal(i, approved=False, level=1) for i in range(1, 9)], level=1).advice[0]
    assert at_one.suggested_level == 1 and at_one.text.endswith("clarify the intent.")


# ---- bottleneck -----------------------------------------------------------------------------------


def loads(facts):
    return rules.leader_loads(facts, now=NOW, since=NOW - timedelta(days=90))


def slow_boss(queue=4, waited=6):
    """BOSS: `queue` records waiting `waited` days in team 2, domain 1; LEAD answers in a day."""
    facts = [proposal(waited, team=2, leader=BOSS, open_=True) for _ in range(queue)]
    facts += [proposal(i, wait=1.0, team=1, leader=LEAD) for i in range(1, 6)]
    return facts


def test_bottleneck_a_leader_whose_queue_and_wait_stand_out():
    levels = {(1, 1): 3, (2, 1): 2}
    (advice,) = rules.bottleneck_advice(loads(slow_boss()), levels=levels, t=T)
    assert (advice.kind, advice.leader_id, advice.team_id, advice.suggested_level) == (
        rules.BOTTLENECK,
        BOSS,
        2,
        3,
    )
    assert advice.render(team="Sales", domain="Pricing", leader="Bea") == (
        "Bea: 4 records waiting, median wait 6.0 days (other leaders: 1 day); 4 of them wait in Pricing, "
        "Sales: consider level 3 there, so the team decides without waiting."
    )


def test_bottleneck_edges_queue_wait_and_factor():
    levels = {(1, 1): 3, (2, 1): 2}
    assert rules.bottleneck_advice(loads(slow_boss(queue=3)), levels=levels, t=T) == []
    assert rules.bottleneck_advice(loads(slow_boss(waited=2.9)), levels=levels, t=T) == []
    # another leader's median wait of 4 days: 6 days is not twice as long; of 3 days: exactly twice, advice
    boss = [proposal(6, team=2, leader=BOSS, open_=True) for _ in range(4)]
    slow = boss + [proposal(i, wait=4.0, team=3, leader=30) for i in range(1, 6)]
    assert rules.bottleneck_advice(loads(slow), levels=levels, t=T) == []
    twice = boss + [proposal(i, wait=3.0, team=3, leader=30) for i in range(1, 6)]
    assert [a.leader_id for a in rules.bottleneck_advice(loads(twice), levels=levels, t=T)] == [BOSS]
    alone = [proposal(6, team=2, leader=BOSS, open_=True) for _ in range(4)]
    assert len(rules.bottleneck_advice(loads(alone), levels=levels, t=T)) == 1  # nobody to compare with


def test_record_fact_reads_a_stored_row():
    at = NOW - timedelta(days=5)
    row = {
        "id": 1, "team_id": 1, "domain_id": 1, "level": 5, "relation": rules.MEMBER, "status": rules.DECIDED,
        "awaiting": "", "proposed_at": at, "decided_at": at + timedelta(days=3),
        "advised_at": at + timedelta(days=2), "escalated": False, "escalated_at": None,
        "decided_by_id": 7, "advised_by_id": LEAD, "recorded_by_id": 7, "addressed_to_id": 7,
        "superseded_by": None,
    }  # fmt: skip
    fact = rules.record_fact(row)
    assert fact.waited and fact.approved_unchanged and fact.answered_by == LEAD and fact.wait_days(NOW) == 2.0
    instant = rules.record_fact(
        {**row, "level": 6, "decided_at": at, "advised_at": None, "advised_by_id": None}
    )
    assert not instant.waited and instant.wait_days(NOW) is None and not instant.approved_unchanged
    waiting = rules.record_fact(
        {**row, "status": rules.PROPOSED, "awaiting": rules.LEADER_DECISION, "decided_at": None,
         "advised_at": None, "advised_by_id": None, "decided_by_id": None, "addressed_to_id": LEAD}
    )  # fmt: skip
    assert waiting.waiting_for == LEAD and waiting.wait_days(NOW) == 5.0
