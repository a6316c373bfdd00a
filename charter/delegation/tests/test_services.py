"""The decision service walked through every level for every relation: status, addressee, who is told."""

import pytest

from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.core.models import AuditEvent
from charter.delegation import rules, selectors, services
from charter.delegation.models import DelegationChange
from charter.notifications.models import Notification
from charter.organizations.models import Role
from charter.organizations.services import team_member_set
from charter.organizations.tests.factories import make_person, make_team, refresh_actor

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


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMIN, Role.OWNER])
def test_an_organization_role_gives_no_authority_over_a_team(cast, role):
    """Finding 1: the lead of another team, with the `leader` role (or an admin, an owner), records a
    level-1 decision for Product: an escalation to Product's lead, not a decision; and cannot answer
    a proposal waiting on Product's lead."""
    other_lead = make_person(cast.owner, role, team=cast.sales, is_lead=True, full_name="Gus Growth")
    d = record(other_lead, cast.product, cast.domain).decision
    assert (d.status, d.relation, d.addressed_to_id) == ("escalated", "outsider", cast.ana.user_id)
    waiting = record(cast.bob, cast.product, cast.domain).decision
    with pytest.raises(Conflict, match="neither in Product nor above it.*whatever your role"):
        services.decision_respond(actor=other_lead, decision_id=waiting.pk, action="decide")
    waiting.refresh_from_db()
    assert waiting.status == "proposed"


def test_a_team_without_leads_sends_proposals_to_the_owners_who_answer_when_addressed(owner):
    team, domain = make_team(owner, "Alone"), make_domain(owner, "Hiring")
    member = make_person(owner, Role.MEMBER, team=team)
    make_person(owner, Role.ADMIN, full_name="Ada Admin")
    d = record(member, team, domain).decision
    assert d.addressed_to_id == owner.user_id
    assert (
        services.decision_respond(actor=owner, decision_id=d.pk, action="decide").decision.status == "decided"
    )


def test_the_root_teams_lead_answers_to_the_owners_and_the_only_owner_leading_it_is_the_top(cast):
    d = record(cast.boss, cast.company, cast.domain).decision  # level 1, Bea leads the root team
    assert (d.status, d.relation, d.addressed_to_id) == ("proposed", "lead", cast.owner.user_id)
    cleo = make_person(cast.owner, Role.MEMBER, team=cast.company, full_name="Cleo Member")
    proposal = record(cleo, cast.company, cast.domain).decision
    assert proposal.addressed_to_id == cast.boss.user_id
    with pytest.raises(Conflict, match="neither in Company nor above it"):
        services.decision_respond(actor=cast.owner, decision_id=proposal.pk, action="decide")
    # An owner who leads the root team, with no other owner, is the top: they decide at level 1.
    top = make_team(cast.owner, "Board")
    team_member_set(actor=cast.owner, team_id=top.pk, user_id=cast.owner.user_id, is_lead=True)
    top_owner = refresh_actor(cast.owner.user, cast.owner.organization)
    assert record(top_owner, top, cast.domain).decision.status == "decided"


def test_any_lead_of_the_team_answers_its_members_proposals_but_not_a_fellow_leads(cast):
    ann = make_person(cast.owner, Role.MEMBER, team=cast.product, is_lead=True, full_name="Ann Colead")
    d = record(cast.bob, cast.product, cast.domain).decision  # level 1: to a lead of Product
    lead = cast.ana if d.addressed_to_id == cast.ana.user_id else ann
    other = ann if lead is cast.ana else cast.ana
    assert (
        services.decision_respond(actor=other, decision_id=d.pk, action="decide").decision.status == "decided"
    )
    own = record(lead, cast.product, cast.domain).decision  # a lead's proposal goes to the lead above
    assert own.addressed_to_id == cast.boss.user_id
    with pytest.raises(Conflict, match="not for you"):
        services.decision_respond(actor=other, decision_id=own.pk, action="decide")


def test_an_owner_acts_for_an_absent_lead_explicitly_and_the_history_keeps_both(cast):
    d = record(cast.bob, cast.product, cast.domain).decision  # level 1: waits for Ana
    with pytest.raises(Conflict):
        services.decision_respond(actor=cast.owner, decision_id=d.pk, action="decide")
    result = services.decision_respond(
        actor=cast.owner, decision_id=d.pk, action="decide", acting_for_id=cast.ana.user_id
    )
    assert result.decision.status == "decided" and result.decision.decided_by_id == cast.owner.user_id
    assert result.message == "Decided. You acted for Ana Lead."
    event = d.events.get(kind="decide")
    assert (event.actor_id, event.acting_for_id) == (cast.owner.user_id, cast.ana.user_id)
    audited = AuditEvent.objects.for_org(cast.owner.organization).get(action="decision.decide")
    assert (audited.actor_id, audited.changes["acting_for"]) == (cast.owner.user_id, cast.ana.user_id)
    assert {("decision.decided", cast.bob.user_id), ("decision.told", cast.ana.user_id)} <= _notified(cast)


def test_acting_for_is_for_owners_and_admins_and_only_for_the_leader_chain(cast):
    d = record(cast.bob, cast.product, cast.domain).decision
    with pytest.raises(PermissionDenied, match="Only owners and admins"):
        services.decision_respond(
            actor=cast.boss, decision_id=d.pk, action="decide", acting_for_id=cast.ana.user_id
        )
    with pytest.raises(ValidationError) as exc:
        services.decision_respond(
            actor=cast.owner, decision_id=d.pk, action="decide", acting_for_id=cast.carl.user_id
        )
    assert "leader chain" in exc.value.errors["acting_for_id"][0]
    admin = make_person(cast.owner, Role.ADMIN)
    recorded = record(admin, cast.product, cast.domain, acting_for_id=cast.boss.user_id)
    assert recorded.decision.status == "decided" and recorded.decision.relation == "leader_above"
    assert recorded.decision.events.get().acting_for_id == cast.boss.user_id


def test_superseding_needs_the_authority_to_make_the_old_decision(cast):
    """Finding 2: a member with level 7 in one domain cannot cancel a leader's level-1 decision in
    another domain, nor another team's decision."""
    hiring = make_domain(cast.owner, "Hiring")
    set_level(cast.owner, cast.product, hiring, 7)
    old = record(cast.boss, cast.product, cast.domain).decision  # level 1: Bea decides
    with pytest.raises(ValidationError) as exc:
        record(cast.bob, cast.product, hiring, supersedes_id=old.pk)
    assert exc.value.field == "supersedes_id"
    assert exc.value.message.startswith("You may not supersede “") and "from here" in exc.value.message
    sales_decision = record(cast.carl, cast.sales, cast.domain, goal_ids=[]).decision
    with pytest.raises(ValidationError, match="neither in Sales nor above it"):
        record(cast.bob, cast.sales, cast.domain, supersedes_id=sales_decision.pk)
    old.refresh_from_db()
    assert old.status == "decided"
    # In the old decision's own team and domain, a member proposes the replacement; deciding it supersedes.
    proposal = record(cast.bob, cast.product, cast.domain, supersedes_id=old.pk).decision
    old.refresh_from_db()
    assert proposal.status == "proposed" and old.status == "decided"
    services.decision_respond(actor=cast.ana, decision_id=proposal.pk, action="decide")
    old.refresh_from_db()
    assert old.status == "superseded"


def test_the_proposer_withdraws_their_open_record_and_nobody_else(cast):
    d = record(cast.bob, cast.product, cast.domain).decision
    for other in (cast.ana, cast.boss, cast.owner):
        with pytest.raises(Conflict, match="Only Bob Member, who recorded this decision, may withdraw it"):
            services.decision_respond(actor=other, decision_id=d.pk, action="withdraw")
    result = services.decision_respond(actor=cast.bob, decision_id=d.pk, action="withdraw", note="Not needed")
    assert (result.decision.status, result.decision.awaiting) == ("withdrawn", "")
    assert ("decision.told", cast.ana.user_id) in _notified(cast)
    assert AuditEvent.objects.for_org(cast.owner.organization).filter(action="decision.withdraw").count() == 1
    with pytest.raises(Conflict, match="closed"):
        services.decision_respond(actor=cast.bob, decision_id=d.pk, action="withdraw")
    assert not selectors.decision_list(actor=cast.ana, waiting_for_me=True).exists()


def test_a_teams_own_level_is_cleared_to_inherit_again(cast):
    """Finding 5."""
    set_level(cast.owner, cast.company, cast.domain, 6)
    set_level(cast.owner, cast.product, cast.domain, 2)
    assert (
        services.delegation_set(
            actor=cast.owner,
            team_id=cast.product.pk,
            domain_id=cast.domain.pk,
            level=None,
            reason="Back in line",
        )
        is None
    )
    cell = selectors.delegation_cell(actor=cast.owner, team_id=cast.product.pk, domain_id=cast.domain.pk)
    assert (cell["cell"].level, cell["cell"].inherited, cell["cell"].source) == (6, True, cast.company)
    assert [(c.level, c.previous_level) for c in cell["changes"]] == [(None, 2), (2, None)]
    assert record(cast.bob, cast.product, cast.domain).decision.status == "decided"  # 6 again
    with pytest.raises(Conflict, match="already inherits"):
        services.delegation_set(
            actor=cast.owner, team_id=cast.product.pk, domain_id=cast.domain.pk, level=None, reason="Again"
        )
    with pytest.raises(PermissionDenied):
        services.delegation_set(
            actor=cast.ana, team_id=cast.company.pk, domain_id=cast.domain.pk, level=None, reason="x"
        )


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
