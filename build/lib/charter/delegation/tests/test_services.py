"""The decision service walked through every level for every relation: status, addressee, who is told."""

import pytest

from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.delegation import rules, selectors, services
from charter.delegation.models import DelegationChange
from charter.notifications.models import Notification
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team

from .factories import make_cast, make_domain, record, set_level

pytestmark = pytest.mark.django_db

# level -> relation -> (status, awaiting, who is addressed, event sent to the addressee)
EXPECTED = {
    **{
        level: {
            "member": ("proposed", "leader_decision", "ana", "decision.needs_you"),
            "lead": ("proposed", "leader_decision", "boss", "decision.needs_you"),
            "leader_above": ("decided", "", None, None),
            "outsider": ("escalated", "leader_decision", "ana", "decision.needs_you"),
        }
        for level in (1, 2, 3)
    },
    4: {
        "member": ("proposed", "leader_agreement", "ana", "decision.needs_you"),
        "lead": ("proposed", "leader_agreement", "boss", "decision.needs_you"),
        "leader_above": ("proposed", "team_agreement", "ana", "decision.needs_you"),
        "outsider": ("escalated", "leader_decision", "ana", "decision.needs_you"),
    },
    5: {
        "member": ("proposed", "leader_advice", "ana", "decision.needs_you"),
        "lead": ("proposed", "leader_advice", "boss", "decision.needs_you"),
        "leader_above": ("proposed", "team_decision", "ana", "decision.needs_you"),
        "outsider": ("escalated", "leader_decision", "ana", "decision.needs_you"),
    },
    6: {
        "member": ("decided", "", "ana", "decision.told"),
        "lead": ("decided", "", "boss", "decision.told"),
        "leader_above": ("proposed", "team_decision", "ana", "decision.needs_you"),
        "outsider": ("escalated", "leader_decision", "ana", "decision.needs_you"),
    },
    7: {
        "member": ("decided", "", None, None),
        "lead": ("decided", "", None, None),
        "leader_above": ("proposed", "team_decision", "ana", "decision.needs_you"),
        "outsider": ("escalated", "leader_decision", "ana", "decision.needs_you"),
    },
}
CASES = [(level, relation) for level in range(1, 8) for relation in rules.RELATIONS]


@pytest.fixture
def cast(owner):
    return make_cast(owner)


def _notified(cast) -> set[tuple[str, int]]:
    rows = Notification.objects.for_org(cast.owner.organization).values_list("event", "recipient_id")
    return set(rows)


@pytest.mark.parametrize(("level", "relation"), CASES)
def test_record_at_every_level_for_every_relation(cast, level, relation):
    set_level(cast.owner, cast.product, cast.domain, level)
    actor = cast.by_relation(relation)
    result = record(actor, cast.product, cast.domain, "Raise prices")
    status, awaiting, addressee, event = EXPECTED[level][relation]
    d = result.decision
    assert (d.status, d.awaiting, d.relation, d.level) == (status, awaiting, relation, level)
    person = getattr(cast, addressee) if addressee else None
    if awaiting:
        assert d.addressed_to_id == person.user_id
    assert result.message.startswith(f"Level {level} ({rules.LEVELS[level].code}) for Pricing:")
    assert _notified(cast) == ({(event, person.user_id)} if event else set())
    assert (d.decided_at is not None) == (status == "decided")
    assert d.escalated == (relation == "outsider")
    if status == "decided":
        assert d.latency.total_seconds() == 0 and d.decided_by_id == actor.user_id


def test_level_3_member_message_names_the_leader_and_records_consultation(cast):
    set_level(cast.owner, cast.product, cast.domain, 3)
    result = record(cast.bob, cast.product, cast.domain)
    assert result.message == (
        "Level 3 (consult) for Pricing: your leader Ana Lead decides; your record is a proposal addressed "
        "to Ana Lead, with the team's input recorded as consulted."
    )
    assert result.decision.consulted


@pytest.mark.parametrize("level", [1, 2, 3])
def test_the_leader_decides_a_proposal(cast, level):
    set_level(cast.owner, cast.product, cast.domain, level)
    d = record(cast.bob, cast.product, cast.domain).decision
    with pytest.raises(Conflict, match="waits for the leader's decision"):
        services.decision_respond(actor=cast.carl, decision_id=d.pk, action="decide")
    result = services.decision_respond(actor=cast.ana, decision_id=d.pk, action="decide")
    assert result.decision.status == "decided" and result.decision.decided_by_id == cast.ana.user_id
    assert ("decision.decided", cast.bob.user_id) in _notified(cast)


@pytest.mark.parametrize(("recorder", "agreer"), [("bob", "ana"), ("ana", "boss"), ("boss", "bob")])
def test_level_4_needs_the_other_side_to_agree(cast, recorder, agreer):
    set_level(cast.owner, cast.product, cast.domain, 4)
    d = record(getattr(cast, recorder), cast.product, cast.domain).decision
    with pytest.raises(Conflict, match="both sides must agree"):
        services.decision_respond(actor=getattr(cast, agreer), decision_id=d.pk, action="decide")
    with pytest.raises(Conflict, match="not for you"):
        services.decision_respond(actor=getattr(cast, recorder), decision_id=d.pk, action="agree")
    result = services.decision_respond(actor=getattr(cast, agreer), decision_id=d.pk, action="agree")
    assert result.decision.status == "decided"
    assert ("decision.decided", getattr(cast, recorder).user_id) in _notified(cast)


def test_level_5_the_team_decides_only_after_advice(cast):
    set_level(cast.owner, cast.product, cast.domain, 5)
    d = record(cast.bob, cast.product, cast.domain).decision
    assert d.advice_requested
    with pytest.raises(Conflict, match="only after the leader's advice; Ana Lead has not given it yet"):
        services.decision_respond(actor=cast.bob, decision_id=d.pk, action="decide")
    with pytest.raises(ValidationError):
        services.decision_respond(actor=cast.ana, decision_id=d.pk, action="advise", note=" ")
    with pytest.raises(Conflict, match="give your advice instead"):
        services.decision_respond(actor=cast.ana, decision_id=d.pk, action="decide")
    advised = services.decision_respond(actor=cast.ana, decision_id=d.pk, action="advise", note="Test first.")
    assert (
        advised.decision.awaiting == "team_decision" and advised.decision.addressed_to_id == cast.bob.user_id
    )
    assert ("decision.needs_you", cast.bob.user_id) in _notified(cast)
    decided = services.decision_respond(actor=cast.bob, decision_id=d.pk, action="decide")
    assert decided.decision.status == "decided" and decided.decision.advice == "Test first."


def test_escalation_goes_up_the_tree_then_to_the_organizations_leaders(cast):
    d = record(cast.bob, cast.product, cast.domain).decision  # default level 1: to Ana
    up = services.decision_respond(actor=cast.ana, decision_id=d.pk, action="escalate", note="Too big for me")
    assert up.decision.addressed_to_id == cast.boss.user_id and up.decision.status == "escalated"
    assert up.message == "Escalated to Bea Boss, who decides."
    top = services.decision_respond(actor=cast.boss, decision_id=d.pk, action="escalate")
    assert top.decision.addressed_to_id == cast.owner.user_id
    assert [e.kind for e in d.events.all()] == ["recorded", "escalate", "escalate"]


def test_a_leader_role_is_a_leader_above(cast):
    leader = make_person(cast.owner, Role.LEADER)
    assert record(leader, cast.product, cast.domain).decision.status == "decided"


def test_a_team_without_leads_sends_proposals_to_the_organizations_leaders(owner):
    team, domain = make_team(owner, "Alone"), make_domain(owner, "Hiring")
    member = make_person(owner, Role.MEMBER, team=team)
    d = record(member, team, domain).decision
    assert d.addressed_to_id == owner.user_id


def test_viewers_may_not_record(cast):
    viewer = make_person(cast.owner, Role.VIEWER, team=cast.product)
    with pytest.raises(PermissionDenied):
        record(viewer, cast.product, cast.domain)


def test_bad_input_names_each_field_and_changes_nothing(cast):
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            actor=cast.bob, team_id=None, domain_id=999, title=" ", decision="", goal_ids=[9]
        )
    assert set(exc.value.errors) == {"team_id", "domain_id", "title", "decision", "goal_ids"}
    assert not selectors.decision_list(actor=cast.bob).exists()


def test_a_newer_decision_supersedes_an_older_one(cast):
    old = record(cast.boss, cast.product, cast.domain).decision
    new = record(cast.boss, cast.product, cast.domain, supersedes_id=old.pk).decision
    old.refresh_from_db()
    assert old.status == "superseded" and new.supersedes_id == old.pk


def test_levels_are_inherited_from_the_parent_team_unless_set(cast):
    set_level(cast.owner, cast.company, cast.domain, 6)
    board = selectors.delegation_board(actor=cast.owner)
    cells = {(c.team_id, c.domain_id): c for row in board["rows"] for c in row["cells"]}
    product = cells[(cast.product.pk, cast.domain.pk)]
    assert (product.level, product.source, product.inherited) == (6, cast.company, True)
    set_level(cast.owner, cast.product, cast.domain, 2)
    assert record(cast.bob, cast.product, cast.domain).decision.level == 2
    other = make_domain(cast.owner, "Hiring")
    default = selectors.delegation_board(actor=cast.owner)["rows"][0]["cells"]
    assert any(c.domain_id == other.pk and c.level == 1 and c.source is None for c in default)


def test_every_level_change_is_kept_with_its_reason(cast):
    set_level(cast.owner, cast.product, cast.domain, 3, reason="New team")
    set_level(cast.owner, cast.product, cast.domain, 5, reason="They proved themselves")
    changes = selectors.delegation_cell(actor=cast.owner, team_id=cast.product.pk, domain_id=cast.domain.pk)
    rows = [(c.level, c.previous_level, c.reason, c.author_id) for c in changes["changes"]]
    assert rows == [
        (5, 3, "They proved themselves", cast.owner.user_id),
        (3, None, "New team", cast.owner.user_id),
    ]
    with pytest.raises(ValidationError) as exc:
        set_level(cast.owner, cast.product, cast.domain, 8, reason="")
    assert set(exc.value.errors) == {"level", "reason"}
    assert DelegationChange.objects.for_org(cast.owner.organization).count() == 2


def test_members_may_not_set_levels(cast):
    with pytest.raises(PermissionDenied):
        set_level(cast.ana, cast.product, cast.domain, 7)


def test_another_organizations_domain_and_decision_are_not_found(cast, other_owner):
    d = record(cast.bob, cast.product, cast.domain).decision
    with pytest.raises(NotFound):
        selectors.decision_get(actor=other_owner, decision_id=d.pk)
    with pytest.raises(NotFound):
        selectors.domain_get(actor=other_owner, domain_id=cast.domain.pk)
    with pytest.raises(NotFound):
        services.decision_respond(actor=other_owner, decision_id=d.pk, action="decide")
    with pytest.raises(ValidationError):
        services.decision_record(
            actor=other_owner, team_id=cast.product.pk, domain_id=cast.domain.pk, title="x", decision="y"
        )


def test_domains_with_decisions_stay(cast):
    record(cast.bob, cast.product, cast.domain)
    with pytest.raises(Conflict):
        services.domain_delete(actor=cast.owner, domain_id=cast.domain.pk)
    with pytest.raises(ValidationError):
        make_domain(cast.owner, "pricing")
