"""Periodic jobs and the health of the task queue: runs claimed once per period, stale tasks recovered."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import PeriodicRun

logger = logging.getLogger("charter.worker")

# Weekly jobs fall due on Monday at 08:00 UTC: the week key changes then.
WEEK_STARTS_AFTER = timedelta(hours=8)
TASK_LEASE = timedelta(minutes=30)  # no Charter task runs this long; one still RUNNING lost its worker
MAX_TASK_RUNS = 3  # a task claimed this often without finishing is marked failed, not re-queued again


@dataclass(frozen=True)
class Job:
    """A periodic job: `run(period)` enqueues the work. Weekly jobs are claimed once per week."""

    name: str
    every: str  # "minute" or "week"
    run: Callable[[str], object]


def period_key(every: str, now: datetime) -> str:
    if every == "week":
        year, week, _ = (now - WEEK_STARTS_AFTER).isocalendar()
        return f"{year}-W{week:02d}"
    return now.strftime("%Y-%m-%dT%H:%M")


def claim(job: str, period: str, subject: str = "") -> bool:
    """Record that `job` ran for `period` (and `subject`); False when it already did.

    Call it inside the transaction that does the work, so a failure releases the claim.
    """
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(job=job, period=period, subject=subject)
    except IntegrityError:
        return False
    return True


def tick(jobs: list[Job], *, now: datetime | None = None) -> list[str]:
    """Run the jobs that are due; returns the names of those that ran. A failing job does not stop others."""
    now = now or timezone.now()
    ran = []
    for job in jobs:
        period = period_key(job.every, now)
        try:
            with transaction.atomic():
                # Minute jobs are idempotent sweeps; weekly ones must not repeat across workers or restarts.
                if job.every == "week" and not claim(job.name, period):
                    continue
                job.run(period)
            ran.append(job.name)
        except Exception:
            logger.exception("Periodic job %s failed for %s", job.name, period)
    return ran


class StaleTask(Exception):
    """A task stayed RUNNING past its lease too often: its worker died each time."""


def recover_stale_tasks(*, lease: timedelta = TASK_LEASE, now: datetime | None = None) -> dict[str, int]:
    """Re-queue tasks left RUNNING by a dead worker; after MAX_TASK_RUNS claims, mark them failed.

    django-tasks-db claims a task by setting RUNNING and never looks at it again, so a worker killed
    mid-task leaves it RUNNING forever. Charter tasks are safe to run twice, so re-queueing is safe.
    """
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        stale = DBTaskResult.objects.running().filter(started_at__lt=now - lease).select_for_update()
        for result in stale:
            if len(result.worker_ids) >= MAX_TASK_RUNS:
                result.set_failed(
                    StaleTask(f"Still running after {lease} on {len(result.worker_ids)} workers.")
                )
                counts["failed"] += 1
            else:
                result.status, result.started_at = TaskResultStatus.READY, None
                result.save(update_fields=["status", "started_at"])
                counts["requeued"] += 1
    if any(counts.values()):
        logger.warning("Recovered stale tasks: %s", counts)
    return counts
