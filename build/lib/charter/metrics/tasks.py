"""Background pulls of data sources: the scheduler enqueues the due ones each minute; tasks take ids."""

from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from . import pulling
from .models import DataSource

# A due source is pushed this far ahead when enqueued, so the next tick does not enqueue it again;
# the run then sets its real next time.
CLAIM_AHEAD = timedelta(minutes=10)


@task()
def source_pull(source_id: int) -> str:
    source = pulling.load(source_id)
    if source is None or not source.is_active or not source.is_pull:
        return "skipped"
    return "ok" if pulling.pull(source).ok else "failed"


def source_pulls_enqueue(period: str) -> list[int]:
    """Enqueue one pull per due source (minute job of `charter worker`); returns their ids."""
    now = timezone.now()
    with transaction.atomic():
        ids = pulling.due_source_ids(now)
        DataSource.objects.unscoped().filter(pk__in=ids).update(next_run_at=now + CLAIM_AHEAD)
    for source_id in ids:
        source_pull.enqueue(source_id=source_id)
    return ids
