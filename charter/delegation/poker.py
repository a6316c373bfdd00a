"""Every write of delegation poker: open a session, pick a card, turn the cards, set a level from a session.

Re-exported by `services` (the one service module other code calls). A pick stays private until the cards
turn: nothing written here (audit included) carries another person's level before then. The cards turn
when everyone has picked every domain, when a leader turns them, or at the deadline (`rules.poker_revealed`,
asked by every read and write, so a passed deadline counts before anything writes it down).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.audit import audit
from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.notifications.services import notify, system_actor
from charter.organizations.models import Membership, Role, Team, TeamMembership, User

from . import rules
from .models import DecisionDomain, PokerItem, PokerParticipant, PokerPick, PokerSession

MAX_DOMAINS = 20
MAX_PARTICIPANTS = 50


def _pickers(actor: Actor, user_ids) -> dict[int, User]:
    """The active people (not agents, not viewers) of the organization among `user_ids`."""
    memberships = (
        Membership.objects.for_org(actor.organization)
        .filter(user_id__in=user_ids, is_active=True)
        .exclude(role=Role.VIEWER)
        .exclude(user__kind=User.Kind.AGENT)
        .select_related("user")
    )
    return {m.user_id: m.user for m in memberships}


def _participants(actor: Actor, team: Team, participant_ids) -> list[int]:
    if participant_ids:
        wanted = list(dict.fromkeys(int(i) for i in participant_ids))
        found = _pickers(actor, wanted)
        missing = [i for i in wanted if i not in found]
        if missing:
            raise ValidationError(
                "Invite people of this organization who may pick: not agents, not viewers.",
                field="participant_ids",
            )
        chosen = set(wanted)
    else:  # the team's people
        members = TeamMembership.objects.for_org(actor.organization).filter(team=team).values_list("user_id")
        chosen = set(_pickers(actor, [u for (u,) in members]))
    if actor.user.kind != User.Kind.AGENT and actor.role != Role.VIEWER:
        chosen.add(actor.user_id)  # the leader plays too
    if len(chosen) > MAX_PARTICIPANTS:
        raise ValidationError(f"At most {MAX_PARTICIPANTS} people play one session.", field="participant_ids")
    return sorted(chosen)


def poker_open(
    *,
    actor: Actor,
    team_id: int,
    domain_ids: list[int],
    title: str = "",
    participant_ids: list[int] | None = None,
    deadline: datetime | None = None,
) -> PokerSession:
    """Open a session for a team and chosen domains. Without `participant_ids` the team's people are
    invited (agents and viewers never pick); the leader who opens it plays too."""
    actor.require("delegation.set", "Only leaders open delegation poker sessions.")
    org = actor.organization
    team = Team.objects.for_org(org).filter(pk=team_id).first()
    if team is None:
        raise NotFound("No such team.")
    wanted = list(dict.fromkeys(int(i) for i in domain_ids or []))
    domains = {d.pk: d for d in DecisionDomain.objects.for_org(org).filter(pk__in=wanted)}
    errors: dict[str, list[str]] = {}
    if not wanted:
        errors["domain_ids"] = ["Choose at least one decision domain to play."]
    elif len(domains) != len(wanted):
        errors["domain_ids"] = ["Choose decision domains of this organization."]
    elif len(wanted) > MAX_DOMAINS:
        errors["domain_ids"] = [f"At most {MAX_DOMAINS} domains in one session."]
    if deadline is not None and deadline <= timezone.now():
        errors["deadline"] = ["The deadline must be in the future (or leave it empty)."]
    if len((title or "").strip()) > 200:
        errors["title"] = ["A title holds at most 200 characters."]
    if errors:
        raise ValidationError("The session is not valid.", errors=errors)
    people = _participants(actor, team, participant_ids)
    if len(people) < 2:
        raise ValidationError(
            "Delegation poker needs at least two people: invite someone besides you.", field="participant_ids"
        )
    with transaction.atomic():
        session = PokerSession.objects.create(
            organization=org,
            title=(title or "").strip() or f"Delegation poker: {team.name}",
            team=team,
            facilitator=actor.user,
            deadline=deadline,
        )
        PokerItem.objects.bulk_create(
            PokerItem(organization=org, session=session, domain_id=d) for d in wanted
        )
        PokerParticipant.objects.bulk_create(
            PokerParticipant(organization=org, session=session, user_id=u) for u in people
        )
        _tell(
            actor,
            session,
            people,
            "poker.invited",
            f"Delegation poker: pick your levels in “{session.title}”",
        )
        audit(
            actor,
            "delegation_poker.open",
            session,
            {"team": team.pk, "domains": wanted, "participants": people, "deadline": deadline},
        )
    return session


def _tell(actor: Actor, session: PokerSession, user_ids, event: str, title: str) -> None:
    url = reverse("poker_detail", kwargs={"poker_id": session.pk})
    notify(
        actor=actor,
        event=event,
        recipient_ids=user_ids,
        title=title,
        url=url,
        object_type="poker_session",
        object_id=session.pk,
    )


def locked(actor: Actor, session_id: int) -> PokerSession:
    session = (
        PokerSession.objects.for_org(actor.organization).select_for_update().filter(pk=session_id).first()
    )
    if session is None:
        raise NotFound("No such delegation poker session.")
    return session


def _turn(actor: Actor, session: PokerSession, how: str, at=None) -> None:
    session.state = rules.POKER_REVEALED
    session.revealed_at = at or timezone.now()
    session.revealed_how = how
    session.revealed_by = actor.user if how == rules.REVEAL_LEADER else None
    session.version = F("version") + 1
    session.save(update_fields=["state", "revealed_at", "revealed_how", "revealed_by", "version"])
    session.refresh_from_db(fields=["version"])
    audit(actor, "delegation_poker.reveal", session, {"how": how})
    people = (
        PokerParticipant.objects.for_org(actor.organization).filter(session=session).values_list("user_id")
    )
    title = f"The cards turned in “{session.title}”: {rules.REVEAL_WORDS[how]}"
    _tell(actor, session, [u for (u,) in people], "poker.revealed", title)


def settle_deadline(actor: Actor, session: PokerSession) -> bool:
    """Write down a reveal the deadline already made; True when the cards are turned."""
    if session.state == rules.POKER_REVEALED:
        return True
    if rules.poker_revealed(session.state, session.deadline, timezone.now()):
        _turn(actor, session, rules.REVEAL_DEADLINE, at=session.deadline)
        return True
    return False


def poker_pick(*, actor: Actor, session_id: int, domain_id: int, level: int) -> PokerPick:
    """Lay (or change) your card for one domain while the session is picking. The last card of the last
    participant turns them all."""
    actor.require("delegation_poker.pick")
    if level not in rules.LEVELS:
        raise ValidationError(
            f"A delegation level is 1 (tell) to 7 (delegate), not {level!r}.", field="level"
        )
    with transaction.atomic():
        session = locked(actor, session_id)
        item = (
            PokerItem.objects.for_org(actor.organization).filter(session=session, domain_id=domain_id).first()
        )
        if item is None:
            raise NotFound("This session does not play that decision domain.")
        if (
            not PokerParticipant.objects.for_org(actor.organization)
            .filter(session=session, user_id=actor.user_id)
            .exists()
        ):
            raise PermissionDenied("You are not invited to this delegation poker session.")
        # A deadline that passed turns the cards (kept); the pick is refused once that is committed.
        turned = settle_deadline(actor, session)
        pick = None if turned else _lay(actor, session, item, level)
    if turned:
        raise Conflict("The cards are turned: picks are closed.")
    return pick


def _lay(actor: Actor, session: PokerSession, item: PokerItem, level: int) -> PokerPick:
    """Lay or change the card; the last card of the last participant turns them all."""
    org = actor.organization
    pick, created = PokerPick.objects.for_org(org).update_or_create(
        item=item,
        user_id=actor.user_id,
        defaults={"level": level},
        create_defaults={"organization": org, "session": session, "level": level},
    )
    # The audit keeps that a card was laid, never its level before the reveal.
    audit(actor, "delegation_poker.pick", session, {"domain": item.domain_id, "changed": not created})
    session.version = F("version") + 1
    session.save(update_fields=["version"])
    session.refresh_from_db(fields=["version"])
    participants = PokerParticipant.objects.for_org(org).filter(session=session).count()
    items = PokerItem.objects.for_org(org).filter(session=session).count()
    picks = PokerPick.objects.for_org(org).filter(session=session).count()
    if rules.poker_all_picked(participants, items, picks):
        _turn(actor, session, rules.REVEAL_ALL_PICKED)
    return pick


def poker_reveal(*, actor: Actor, session_id: int) -> PokerSession:
    """Turn all cards at once (a leader), whoever has picked so far."""
    actor.require("delegation.set", "Only leaders turn the cards.")
    with transaction.atomic():
        session = locked(actor, session_id)
        already = session.state == rules.POKER_REVEALED or settle_deadline(actor, session)
        if not already:
            _turn(actor, session, rules.REVEAL_LEADER)
    if already:
        raise Conflict("The cards are already turned.")
    return session


def poker_reveal_due(*, session_id: int) -> bool:
    """Background work (no person): store the reveal a passed deadline made and tell the players. True when
    this call turned the cards; False when they were already turned, or the deadline has not passed."""
    session = PokerSession.objects.unscoped().filter(pk=session_id).select_related("organization").first()
    if session is None:
        return False
    actor = system_actor(session.organization)
    with transaction.atomic():
        session = locked(actor, session_id)
        if session.state == rules.POKER_REVEALED:
            return False
        return settle_deadline(actor, session)
