"""Reads of calendar feeds: one's own feed, the feed a token names, and what a feed shows.

The feed's reads take the person and organization from the feed row only, never from the request,
and each is one query whatever the number of rows (cycles, teams, key results, poker sessions, decisions).
"""

from dataclasses import dataclass

from django.db.models import Q

from charter.core.actor import Actor
from charter.core.crypto import token_hash
from charter.delegation import rules as delegation_rules
from charter.delegation.models import Decision, PokerSession
from charter.goals.models import Cycle, KeyResult
from charter.organizations.models import Membership, TeamMembership
from charter.reviews.models import CycleReview

from .models import CalendarFeed
from .services import TOKEN_PREFIX


def feed_get(*, actor: Actor) -> CalendarFeed | None:
    actor.require("calendar.feed")
    return CalendarFeed.objects.for_org(actor.organization_id).filter(user_id=actor.user_id).first()


def feed_by_token(token: str) -> CalendarFeed | None:
    """The feed of a token whose person is still an active member and user; None for anything else."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.unscoped()
        .select_related("organization", "user")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    member = Membership.objects.for_org(feed.organization_id).filter(user_id=feed.user_id, is_active=True)
    return feed if member.exists() else None


@dataclass(frozen=True)
class FeedData:
    """The rows one person's feed is drawn from, all of their organization."""

    cycles: list[dict]
    teams: list[dict]  # the person's teams: id, name
    reviews: list[dict]  # the retrospectives of those teams: cycle_id, team_id, id, submitted_at
    key_results: list[dict]  # the person's key results in active cycles
    poker: list[dict]  # sessions with a deadline the person plays in or facilitates
    decisions: list[dict]  # open decisions with a decide-by day that wait for the person or they recorded


def feed_data(feed: CalendarFeed) -> FeedData:
    org, user_id = feed.organization_id, feed.user_id
    teams = list(
        TeamMembership.objects.for_org(org)
        .filter(user_id=user_id)
        .order_by("team__name", "team_id")
        .values("team_id", "team__name")
    )
    team_ids = [t["team_id"] for t in teams]
    return FeedData(
        cycles=list(Cycle.objects.for_org(org).values("id", "name", "starts_on", "ends_on", "state")),
        teams=[{"id": t["team_id"], "name": t["team__name"]} for t in teams],
        reviews=list(
            CycleReview.objects.for_org(org)
            .filter(team_id__in=team_ids)
            .values("id", "cycle_id", "team_id", "submitted_at")
        ),
        key_results=list(
            KeyResult.objects.for_org(org)
            .filter(owner_id=user_id, goal__cycle__state=Cycle.State.ACTIVE)
            .order_by("goal__cycle_id", "position", "id")
            .values("id", "title", "goal__cycle_id")
        ),
        poker=list(
            PokerSession.objects.for_org(org)
            .filter(Q(participants__user_id=user_id) | Q(facilitator_id=user_id), deadline__isnull=False)
            .distinct()
            .values("id", "title", "deadline", "state")
        ),
        decisions=list(
            Decision.objects.for_org(org)
            .filter(
                # Waiting for the person (the condition of delegation's "waiting for me"), or their own.
                Q(addressed_to_id=user_id, awaiting__gt="") | Q(recorded_by_id=user_id),
                status__in=(delegation_rules.PROPOSED, delegation_rules.ESCALATED),
                needed_by__isnull=False,
            )
            .order_by("needed_by", "id")
            .values("id", "title", "needed_by", "addressed_to_id", "recorded_by_id")
        ),
    )
