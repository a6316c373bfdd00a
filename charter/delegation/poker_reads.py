"""Reads of delegation poker, re-exported by `selectors`. Before the cards turn, a reader sees who has laid
a card and their own cards, never another person's level (web, REST and MCP all read through here)."""

from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from charter.core.actor import Actor
from charter.core.errors import NotFound
from charter.discussion.models import Comment
from charter.organizations.models import Membership, Role, Team, User

from . import rules
from .models import DelegationLevel, PokerItem, PokerParticipant, PokerPick, PokerSession


@dataclass
class PokerCard:
    """One participant's card on one domain: `level` is None unless turned or the reader's own."""

    user_id: int
    name: str
    picked: bool
    level: int | None


@dataclass
class PokerRow:
    """One domain of a session as a reader may see it."""

    domain_id: int
    domain_name: str
    current_level: int
    current_inherited: bool
    picked: int
    my_level: int | None
    cards: list[PokerCard] = field(default_factory=list)  # every participant; levels only once turned
    spread: rules.Spread | None = None  # only once turned
    level_set: int | None = None
    change_id: int | None = None
    set_by: str = ""


@dataclass
class PokerView:
    session: PokerSession
    revealed: bool
    revealed_how: str
    rows: list[PokerRow]
    participants: list[dict]  # {user_id, name, picked (count), done}
    invited: bool
    version: str

    @property
    def picks_done(self) -> int:
        return sum(1 for p in self.participants if p["done"])


def _revealed(session: PokerSession, now=None) -> bool:
    return rules.poker_revealed(session.state, session.deadline, now or timezone.now())


POKER_TARGET = "poker_session"  # the sessions' comments' target type (registered in `apps.py`)
COMMENT_STAMP = ("comments_n", "comments_last", "comments_deleted", "comments_edited")


def version_token(version: int, revealed: bool, comments: tuple = ()) -> str:
    """What the live page compares: the session's counter, whether the cards are turned (a deadline
    turns them without a write) and its comments' stamp (how many, the newest, deleted ones, the last
    edit), so a comment redraws the room's pages too."""
    n, last, deleted, edited = (tuple(comments) + (0, 0, 0, None))[:4]
    edited_at = int(edited.timestamp() * 1000) if edited else 0
    return f"{version}.{int(revealed)}.{n or 0}-{last or 0}-{deleted or 0}-{edited_at}"


def _comment_stamps(actor: Actor) -> dict:
    """The comments' stamp of a session, as subqueries correlated to it (one query with the session)."""
    comments = (
        Comment.objects.for_org(actor.organization)
        .filter(target_type=POKER_TARGET, target_id=OuterRef("pk"))
        .order_by()
        .values("target_id")
    )
    return {
        "comments_n": Subquery(comments.annotate(v=Count("id")).values("v")),
        "comments_last": Subquery(comments.annotate(v=Max("id")).values("v")),
        "comments_deleted": Subquery(comments.annotate(v=Count("id", filter=Q(deleted=True))).values("v")),
        "comments_edited": Subquery(comments.annotate(v=Max("edited_at")).values("v")),
    }


def poker_version(*, actor: Actor, session_id: int) -> str:
    """The live page's cheap check: one query."""
    row = (
        PokerSession.objects.for_org(actor.organization)
        .filter(pk=session_id)
        .annotate(**_comment_stamps(actor))
        .values("version", "state", "deadline", *COMMENT_STAMP)
        .first()
    )
    if row is None:
        raise NotFound("No such delegation poker session.")
    revealed = rules.poker_revealed(row["state"], row["deadline"], timezone.now())
    return version_token(row["version"], revealed, tuple(row[k] for k in COMMENT_STAMP))


def poker_list(*, actor: Actor, limit: int = 100) -> list[dict]:
    """The organization's sessions, newest first, with their counts and whether the reader plays."""
    sessions = (
        PokerSession.objects.for_org(actor.organization)
        .select_related("team", "facilitator")
        .annotate(
            domains=Count("items", distinct=True),
            people=Count("participants", distinct=True),
            mine=Count("participants", filter=Q(participants__user_id=actor.user_id), distinct=True),
        )
        .order_by("-created_at", "-id")[:limit]
    )
    now = timezone.now()
    return [{"session": s, "revealed": _revealed(s, now), "invited": bool(s.mine)} for s in sessions]


def _current_levels(actor: Actor, team_id: int, domain_ids: list[int]) -> dict[int, tuple[int, bool]]:
    """The team's effective level per domain now, and whether it is inherited: two queries."""
    parent_of = dict(Team.objects.for_org(actor.organization).values_list("pk", "parent_id"))
    set_levels = {
        (t, d): lvl
        for t, d, lvl in DelegationLevel.objects.for_org(actor.organization)
        .filter(domain_id__in=domain_ids)
        .values_list("team_id", "domain_id", "level")
    }
    out = {}
    for d in domain_ids:
        level, source = rules.effective_level(team_id, d, parent_of, set_levels)
        out[d] = (level, source != team_id)
    return out


def poker_get(*, actor: Actor, session_id: int) -> PokerView:
    """A session as the reader may see it, in a fixed number of queries."""
    org = actor.organization
    session = (
        PokerSession.objects.for_org(org)
        .select_related("team", "facilitator", "revealed_by")
        .filter(pk=session_id)
        .annotate(**_comment_stamps(actor))
        .first()
    )
    if session is None:
        raise NotFound("No such delegation poker session.")
    revealed = _revealed(session)
    items = list(
        PokerItem.objects.for_org(org)
        .filter(session=session)
        .select_related("domain", "set_by")
        .order_by("id")
    )
    people = [
        (p.user_id, p.user.get_full_name() or p.user.email)
        for p in PokerParticipant.objects.for_org(org).filter(session=session).select_related("user")
    ]
    people.sort(key=lambda p: (p[1].lower(), p[0]))
    picks: dict[tuple[int, int], int | None] = {}
    for item_id, user_id, level in (
        PokerPick.objects.for_org(org).filter(session=session).values_list("item_id", "user_id", "level")
    ):
        # Another person's level is dropped here, before anything could show it.
        picks[(item_id, user_id)] = level if revealed or user_id == actor.user_id else None
    current = _current_levels(actor, session.team_id, [i.domain_id for i in items])
    rows = []
    for item in items:
        cards = [
            PokerCard(uid, name, (item.pk, uid) in picks, picks.get((item.pk, uid)) if revealed else None)
            for uid, name in people
        ]
        level, inherited = current[item.domain_id]
        row = PokerRow(
            domain_id=item.domain_id,
            domain_name=item.domain.name,
            current_level=level,
            current_inherited=inherited,
            picked=sum(1 for c in cards if c.picked),
            my_level=picks.get((item.pk, actor.user_id)),
            cards=cards,
            level_set=item.level_set,
            change_id=item.change_id,
            set_by=str(item.set_by) if item.set_by else "",
        )
        if revealed:
            row.spread = rules.spread([c.level for c in cards if c.level is not None])
        rows.append(row)
    participants = []
    for uid, name in people:
        count = sum(1 for item in items if (item.pk, uid) in picks)
        participants.append({"user_id": uid, "name": name, "picked": count, "done": count == len(items)})
    how = session.revealed_how or (rules.REVEAL_DEADLINE if revealed else "")
    return PokerView(
        session=session,
        revealed=revealed,
        revealed_how=how,
        rows=rows,
        participants=participants,
        invited=any(uid == actor.user_id for uid, _ in people),
        version=version_token(session.version, revealed, tuple(getattr(session, k) for k in COMMENT_STAMP)),
    )


def poker_links(*, actor: Actor, change_ids: list[int]) -> dict[int, PokerSession]:
    """The session each of these board changes was set from (the level history links to it)."""
    items = (
        PokerItem.objects.for_org(actor.organization)
        .filter(change_id__in=change_ids)
        .select_related("session")
    )
    return {i.change_id: i.session for i in items}


def poker_people(*, actor: Actor, limit: int = 300) -> list[tuple[int, str]]:
    """Who may be invited to pick: the organization's active people, not agents, not viewers."""
    memberships = (
        Membership.objects.for_org(actor.organization)
        .filter(is_active=True)
        .exclude(role=Role.VIEWER)
        .exclude(user__kind=User.Kind.AGENT)
        .select_related("user")
        .order_by("user__full_name", "user_id")[:limit]
    )
    return [(m.user_id, m.user.get_full_name() or m.user.email) for m in memberships]
