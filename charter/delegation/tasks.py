"""Background work of delegation poker: turn the cards of sessions whose deadline passed, so the players are
told (reads already show them turned: `rules.poker_revealed`). Ids in, safe to run twice."""

from django.tasks import task
from django.utils import timezone

from . import rules, services
from .models import PokerSession


@task()
def poker_reveal_due(session_id: int) -> bool:
    return services.poker_reveal_due(session_id=session_id)


def poker_deadlines_enqueue(period: str) -> None:
    """The scheduler's minute job: one indexed query; a task only for each session past its deadline."""
    due = (
        PokerSession.objects.unscoped()
        .filter(state=rules.POKER_PICKING, deadline__lte=timezone.now())
        .values_list("pk", flat=True)
    )
    for session_id in due:
        poker_reveal_due.enqueue(session_id=session_id)
