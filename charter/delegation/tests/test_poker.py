"""Delegation poker: rules, services and reads (private picks, the three ways cards turn, the level set
from a session through the board's service)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.core.models import AuditEvent
from charter.delegation import rules, selectors, services
from charter.delegation.models import DelegationChange, DelegationLevel, PokerSession
from charter.notifications.models import Notification
from charter.organizations.models import Role, User
from charter.organizations.tests.factories import make_person, make_team

from .factories import make_cast, make_domain

pytestmark = pytest.mark.django_db


# ---- rules ----------------------------------------------------------------------------------------


def test_spread_counts_range_median_and_agreement():
    s = rules.spread([2, 6, 4, 4, 5])
    assert (s.low, s.high, s.median, s.width, s.total) == (2, 6, 4, 4, 5)
    assert s.counts[4] == 2 and s.counts[7] == 0 and not s.agreed
    even = rules.spread([4, 5, 5, 6])
    assert even.median == 5 and even.suggestion == 5
    assert rules.spread([3, 4]).agreed and rules.spread([3, 4]).median == 3.5
    assert rules.spread([3, 4]).suggestion == 3
    empty = rules.spread([])
    assert empty.low is None and empty.median is None and empty.suggestion is None and not empty.agreed


def test_the_deadline_turns_the_cards_and_all_picked_needs_every_card():
    now = timezone.now()
    assert not rules.poker_revealed(rules.POKER_PICKING, None, now)
    assert not rules.poker_revealed(rules.POKER_PICKING, now + timedelta(seconds=1), now)
    assert rules.poker_revealed(rules.POKER_PICKING, now, now)
    assert rules.poker_revealed(rules.POKER_REVEALED, None, now)
    assert rules.poker_all_picked(3, 2, 6) and not rules.poker_all_picked(3, 2, 5)
    assert not rules.poker_all_picked(0, 2, 0)


# ---- services -------------------------------------------------------------------------------------


@pytest.fixture
def cast(owner):
    return make_cast(owner)


@pytest.fixture
def hiring(owner):
    return make_domain(owner, "Hiring")


def _open(cast, *domains, **kwargs):
    return services.poker_open(
        actor=cast.owner, team_id=cast.product.pk, domain_ids=[d.pk for d in domains], **kwargs
    )


def _agent(cast, name):
    """A team member of kind agent (the agents app, above this one, makes them for real)."""
    agent = make_person(cast.owner, Role.MEMBER, team=cast.product, full_name=name)
    User.objects.filter(pk=agent.user_id).update(kind=User.Kind.AGENT)
    return agent


def test_opening_invites_the_teams_people_and_the_leader_never_agents_or_viewers(cast, hiring):
    _agent(cast, "Pricing bot")
    make_person(cast.owner, Role.VIEWER, team=cast.product, full_name="Vera Viewer")
    session = _open(cast, cast.domain, hiring)
    view = selectors.poker_get(actor=cast.owner, session_id=session.pk)
    assert [p["name"] for p in view.participants] == ["Ana Lead", "Bob Member", str(cast.owner.user)]
    assert [r.domain_name for r in view.rows] == ["Pricing", "Hiring"]
    assert session.title == "Delegation poker: Product" and not view.revealed
    assert AuditEvent.objects.for_org(cast.owner.organization).filter(action="delegation_poker.open").exists()
    invited = Notification.objects.for_org(cast.owner.organization).filter(event="poker.invited")
    assert sorted(invited.values_list("recipient_id", flat=True)) == [cast.ana.user_id, cast.bob.user_id]


def test_opening_refuses_what_it_cannot_play(cast, other_owner):
    foreign = make_domain(other_owner, "Theirs")
    with pytest.raises(PermissionDenied):
        services.poker_open(actor=cast.bob, team_id=cast.product.pk, domain_ids=[cast.domain.pk])
    with pytest.raises(ValidationError) as no_domain:
        _open(cast)
    assert "domain_ids" in no_domain.value.errors
    with pytest.raises(ValidationError):
        services.poker_open(actor=cast.owner, team_id=cast.product.pk, domain_ids=[foreign.pk])
    with pytest.raises(ValidationError) as past:
        _open(cast, cast.domain, deadline=timezone.now() - timedelta(minutes=1))
    assert "deadline" in past.value.errors
    bot = _agent(cast, "Bot")
    with pytest.raises(ValidationError, match="not agents"):
        _open(cast, cast.domain, participant_ids=[cast.bob.user_id, bot.user_id])
    empty = make_team(cast.owner, "Empty")
    with pytest.raises(ValidationError, match="at least two people"):
        services.poker_open(actor=cast.owner, team_id=empty.pk, domain_ids=[cast.domain.pk])
    with pytest.raises(NotFound):
        services.poker_open(actor=cast.owner, team_id=999999, domain_ids=[cast.domain.pk])


def test_a_pick_is_private_until_the_cards_turn(cast, hiring):
    session = _open(cast, cast.domain, hiring)
    services.poker_pick(actor=cast.bob, session_id=session.pk, domain_id=cast.domain.pk, level=6)
    mine = selectors.poker_get(actor=cast.bob, session_id=session.pk)
    assert mine.rows[0].my_level == 6 and all(c.level is None for c in mine.rows[0].cards)
    for reader in (cast.ana, cast.owner, cast.carl):  # a participant, the leader, an outsider
        view = selectors.poker_get(actor=reader, session_id=session.pk)
        row = view.rows[0]
        assert row.picked == 1 and row.my_level is None and row.spread is None
        assert all(c.level is None for c in row.cards)
        assert [c.picked for c in row.cards if c.user_id == cast.bob.user_id] == [True]
    # Changing one's card is allowed while picking; the audit never keeps the level.
    services.poker_pick(actor=cast.bob, session_id=session.pk, domain_id=cast.domain.pk, level=5)
    events = AuditEvent.objects.for_org(cast.owner.organization).filter(action="delegation_poker.pick")
    assert events.count() == 2 and all("level" not in e.changes for e in events)


def test_the_last_card_turns_them_all(cast, hiring):
    session = _open(cast, cast.domain, hiring)
    cards = {cast.ana: (4, 5), cast.bob: (6, 5), cast.owner: (3, 4)}
    for actor, (pricing, hire) in cards.items():
        assert selectors.poker_get(actor=cast.carl, session_id=session.pk).revealed is False
        services.poker_pick(actor=actor, session_id=session.pk, domain_id=cast.domain.pk, level=pricing)
        services.poker_pick(actor=actor, session_id=session.pk, domain_id=hiring.pk, level=hire)
    view = selectors.poker_get(actor=cast.carl, session_id=session.pk)
    assert view.revealed and view.revealed_how == rules.REVEAL_ALL_PICKED
    told = Notification.objects.for_org(cast.owner.organization).filter(event="poker.revealed")
    assert set(told.values_list("recipient_id", flat=True)) == {cast.ana.user_id, cast.bob.user_id}
    assert set(told.values_list("object_type", "object_id")) == {("poker_session", session.pk)}
    assert sorted(c.level for c in view.rows[0].cards) == [3, 4, 6]
    assert (view.rows[0].spread.low, view.rows[0].spread.high, view.rows[0].spread.median) == (3, 6, 4)
    with pytest.raises(Conflict, match="turned"):
        services.poker_pick(actor=cast.bob, session_id=session.pk, domain_id=hiring.pk, level=7)


def test_a_leader_turns_the_cards_and_only_invited_contributors_pick(cast):
    session = _open(cast, cast.domain)
    with pytest.raises(PermissionDenied, match="not invited"):
        services.poker_pick(actor=cast.carl, session_id=session.pk, domain_id=cast.domain.pk, level=3)
    with pytest.raises(ValidationError):
        services.poker_pick(actor=cast.bob, session_id=session.pk, domain_id=cast.domain.pk, level=8)
    with pytest.raises(NotFound):
        services.poker_pick(actor=cast.bob, session_id=session.pk, domain_id=999999, level=3)
    services.poker_pick(actor=cast.bob, session_id=session.pk, domain_id=cast.domain.pk, level=2)
    with pytest.raises(PermissionDenied):
        services.poker_reveal(actor=cast.bob, session_id=session.pk)
    services.poker_reveal(actor=cast.owner, session_id=session.pk)
    view = selectors.poker_get(actor=cast.ana, session_id=session.pk)
    assert view.revealed and view.revealed_how == rules.REVEAL_LEADER
    assert [c.level for c in view.rows[0].cards if c.picked] == [2]
    with pytest.raises(Conflict, match="already turned"):
        services.poker_reveal(actor=cast.owner, session_id=session.pk)


def test_the_deadline_turns_the_cards_on_read_and_on_the_next_write(cast):
    session = _open(cast, cast.domain, deadline=timezone.now() + timedelta(days=2))
    services.poker_pick(actor=cast.ana, session_id=session.pk, domain_id=cast.domain.pk, level=5)
    before = selectors.poker_version(actor=cast.bob, session_id=session.pk)
    PokerSession.objects.for_org(cast.owner.organization).filter(pk=session.pk).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    assert selectors.poker_version(actor=cast.bob, session_id=session.pk) != before  # the live page redraws
    view = selectors.poker_get(actor=cast.bob, session_id=session.pk)
    assert view.revealed and view.revealed_how == rules.REVEAL_DEADLINE
    assert [c.level for c in view.rows[0].cards if c.picked] == [5]
    with pytest.raises(Conflict):
        services.poker_pick(actor=cast.bob, session_id=session.pk, domain_id=cast.domain.pk, level=3)
    stored = PokerSession.objects.for_org(cast.owner.organization).get(pk=session.pk)
    assert stored.state == rules.POKER_REVEALED and stored.revealed_how == rules.REVEAL_DEADLINE


def test_the_level_is_set_from_a_turned_session_with_its_link(cast):
    session = _open(cast, cast.domain, title="Pricing levels")
    with pytest.raises(Conflict, match="Turn the cards first"):
        services.poker_set_level(actor=cast.owner, session_id=session.pk, domain_id=cast.domain.pk, level=5)
    for actor, level in ((cast.ana, 5), (cast.bob, 6), (cast.owner, 4)):
        services.poker_pick(actor=actor, session_id=session.pk, domain_id=cast.domain.pk, level=level)
    with pytest.raises(PermissionDenied):
        services.poker_set_level(actor=cast.ana, session_id=session.pk, domain_id=cast.domain.pk, level=5)
    item = services.poker_set_level(
        actor=cast.owner, session_id=session.pk, domain_id=cast.domain.pk, level=5, reason="We agreed."
    )
    org = cast.owner.organization
    assert DelegationLevel.objects.for_org(org).get(team=cast.product, domain=cast.domain).level == 5
    change = DelegationChange.objects.for_org(org).get(pk=item.change_id)
    assert change.reason == (
        f"Delegation poker “Pricing levels” (session {session.pk}): picks 4–6, median 5. We agreed."
    )
    cell = selectors.delegation_cell(actor=cast.bob, team_id=cast.product.pk, domain_id=cast.domain.pk)
    assert [i.session_id for i in cell["changes"][0].poker_items.all()] == [session.pk]
    view = selectors.poker_get(actor=cast.bob, session_id=session.pk)
    assert view.rows[0].level_set == 5 and view.rows[0].change_id == change.pk
    assert view.rows[0].current_level == 5 and not view.rows[0].current_inherited
    assert AuditEvent.objects.for_org(org).filter(action="delegation_poker.set_level").exists()
    assert AuditEvent.objects.for_org(org).filter(action="delegation.set").exists()  # the board's own audit


def test_another_organization_sees_no_session(cast, other_owner):
    session = _open(cast, cast.domain)
    with pytest.raises(NotFound):
        selectors.poker_get(actor=other_owner, session_id=session.pk)
    with pytest.raises(NotFound):
        services.poker_pick(actor=other_owner, session_id=session.pk, domain_id=cast.domain.pk, level=3)
    assert selectors.poker_list(actor=other_owner) == []


def test_the_worker_turns_the_cards_at_the_deadline_and_tells_the_players(cast):
    from charter.delegation import tasks

    session = _open(cast, cast.domain, deadline=timezone.now() + timedelta(hours=1))
    services.poker_pick(actor=cast.bob, session_id=session.pk, domain_id=cast.domain.pk, level=6)
    tasks.poker_deadlines_enqueue("2026-01-01T00:00")  # ImmediateBackend: the tasks run now
    org = cast.owner.organization
    assert PokerSession.objects.for_org(org).get(pk=session.pk).state == rules.POKER_PICKING
    PokerSession.objects.for_org(org).filter(pk=session.pk).update(deadline=timezone.now())
    tasks.poker_deadlines_enqueue("2026-01-01T00:01")
    stored = PokerSession.objects.for_org(org).get(pk=session.pk)
    assert stored.state == rules.POKER_REVEALED and stored.revealed_how == rules.REVEAL_DEADLINE
    told = Notification.objects.for_org(org).filter(event="poker.revealed")
    assert set(told.values_list("recipient_id", flat=True)) == {
        cast.owner.user_id,
        cast.ana.user_id,
        cast.bob.user_id,
    }
    assert services.poker_reveal_due(session_id=session.pk) is False  # safe twice
