"""`charter worker`: runs background tasks (django-tasks-db) and the periodic schedule, in one process."""

import logging
import threading
import time
from datetime import timedelta

from django.core.management.base import CommandError
from django.db import close_old_connections, connection
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from charter.cli.base import CharterCommand
from charter.delegation.tasks import poker_deadlines_enqueue
from charter.goals.tasks import check_in_reminders_enqueue
from charter.metrics.tasks import source_pulls_enqueue
from charter.notifications import scheduler
from charter.notifications.tasks import (
    idempotency_keys_purge,
    stale_tasks_recover,
    webhook_retries_enqueue,
    weekly_digest_enqueue,
)
from charter.pulse.tasks import pulse_rounds_enqueue

logger = logging.getLogger("charter.worker")

# What runs when: weekly jobs once per week across all workers (claimed in PeriodicRun), minute jobs
# are idempotent sweeps.
SCHEDULE = [
    scheduler.Job("check_in.reminders", "week", check_in_reminders_enqueue),
    scheduler.Job("digest.weekly", "week", weekly_digest_enqueue),
    scheduler.Job("webhook.retries", "minute", webhook_retries_enqueue),
    scheduler.Job("tasks.recover", "minute", stale_tasks_recover),
    scheduler.Job("pulse.rounds", "minute", pulse_rounds_enqueue),
    scheduler.Job("sources.pull", "minute", source_pulls_enqueue),
    scheduler.Job("idempotency.purge", "minute", idempotency_keys_purge),
    scheduler.Job("poker.deadlines", "minute", poker_deadlines_enqueue),
]


def _schedule_loop(stop: threading.Event) -> None:
    """Tick once a minute, at the start of the minute, until stopped."""
    while not stop.is_set():
        close_old_connections()
        try:
            scheduler.tick(SCHEDULE)
        except Exception:
            logger.exception("Scheduler tick failed")
        finally:
            connection.close()
        stop.wait(60 - time.time() % 60)


class Command(CharterCommand):
    help = "Run background tasks and the schedule (check-in reminders, weekly digest, webhook retries)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument(
            "--batch", action="store_true", help="Run one tick and the waiting tasks, then exit."
        )
        parser.add_argument(
            "--no-scheduler", action="store_true", help="Only run tasks (another process ticks)."
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after this many tasks.")
        parser.add_argument(
            "--queue-name", default="default", help="Queues to process, comma separated; '*': all."
        )
        parser.add_argument(
            "--lease-minutes",
            type=float,
            default=int(scheduler.TASK_LEASE.total_seconds() // 60),
            help="A task RUNNING longer than this lost its worker: re-queued at start (then failed).",
        )
        parser.add_argument("--worker-id", default="", help="Unique id of this worker (default: random).")

    def handle(
        self, *args, interval, batch, no_scheduler, max_tasks, queue_name, lease_minutes, worker_id, **options
    ):
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            raise CommandError("charter worker needs TASKS to use django_tasks_db.DatabaseBackend.")
        logging.getLogger("django_tasks_db").setLevel(logging.INFO)
        recovered = scheduler.recover_stale_tasks(lease=timedelta(minutes=lease_minutes))
        self.stderr.write(f"Recovered stale tasks: {recovered}.")
        if not no_scheduler:
            if batch:
                scheduler.tick(SCHEDULE)
            else:
                threading.Thread(target=_schedule_loop, args=(threading.Event(),), daemon=True).start()
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        if not batch:
            worker.configure_signals()
        self.stderr.write(
            f"Worker {worker.worker_id} running{' (scheduler on)' if not no_scheduler else ''}."
        )
        worker.run()
