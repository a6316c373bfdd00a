"""A worker killed mid-task: `charter worker` as real processes on a scratch SQLite file.

A notification leaves as an email and as a webhook delivery. The webhook endpoint (a server in this
test) holds the first POST open, so the worker is inside the send when it gets `kill -9`. A second
worker finds the task RUNNING past its lease and runs it again; the delivery, claimed by the dead
worker, is closed as failed (outcome unknown) once its own lease is over, never sent twice. The email
left once. The scheduler of the fault is checked too: the API's idempotency keys are purged there.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from charter.notifications.delivery import INTERRUPTED
from charter.notifications.webhook_post import DELIVERY_HEADER

CHARTER = str(Path(sys.executable).with_name("charter"))
MAIL_FILE = "CHARTER_FAULT_MAIL_FILE"


class RecordingBackend(BaseEmailBackend):
    """Appends each message (recipient, subject) as a JSON line to the file named by the environment."""

    def send_messages(self, messages):
        with open(os.environ[MAIL_FILE], "a") as out:
            for m in messages:
                out.write(json.dumps({"to": m.to, "subject": m.subject}) + "\n")
        return len(messages)


def main(url: str) -> None:
    """For `charter shell -c`: an organization, a webhook to `url`, and one notification to a member."""
    from charter.notifications.services import notify
    from charter.notifications.webhooks import webhook_create
    from charter.organizations.tests.factories import make_org, make_person

    owner = make_org("Acme")
    member = make_person(owner, full_name="Mia Member")
    webhook_create(actor=owner, name="Chat", url=url, events=["*"], allow_private=True)
    notify(actor=owner, event="mention", recipient_ids=[member.user_id], title="Mia, you were mentioned")
    print(json.dumps({"member_email": member.user.email}))


class Endpoint:
    """A webhook receiver that records every POST and holds the first one open until released."""

    def __init__(self):
        self.requests: list[dict] = []
        self.first_arrived, self.release = threading.Event(), threading.Event()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                endpoint.requests.append({"delivery": self.headers[DELIVERY_HEADER], "event": body["event"]})
                if len(endpoint.requests) == 1:
                    endpoint.first_arrived.set()
                    endpoint.release.wait(60)
                try:
                    self.send_response(200)
                    self.end_headers()
                except OSError:
                    pass  # the sender is gone

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint():
    served = Endpoint()
    yield served
    served.close()


@pytest.fixture
def installation(tmp_path, endpoint):
    """A migrated scratch installation (its own SQLite file, whatever the suite runs on) with the world."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "CHARTER_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "EMAIL_BACKEND": f"{__name__}.RecordingBackend",
        MAIL_FILE: str(tmp_path / "mail.jsonl"),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([CHARTER, "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=180)
    setup = f"from {__name__} import main; main({endpoint.url!r})"
    out = subprocess.run(
        [CHARTER, "shell", "-c", setup], env=env, check=True, capture_output=True, text=True, timeout=120
    )
    world = json.loads(out.stdout.strip().splitlines()[-1])
    return {"env": env, "db": tmp_path / "charter.sqlite3", "mail": tmp_path / "mail.jsonl", **world}


def _rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db, timeout=20) as conn:
        return conn.execute(sql, params).fetchall()


def _webhook_tasks(db: Path) -> list[tuple]:
    return _rows(
        db,
        "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE '%webhook_deliver' ORDER BY enqueued_at",
    )


def _mails(installation) -> list[dict]:
    path = installation["mail"]
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _worker(installation, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [CHARTER, "worker", "--no-scheduler", "--interval", "0.2", *args],
        env=installation["env"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_worker_killed_mid_send_never_delivers_twice(installation, endpoint):
    db = installation["db"]
    first = _worker(installation, "--worker-id", "first")
    try:
        assert endpoint.first_arrived.wait(90), "the first worker never reached the webhook"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    assert first.returncode == -signal.SIGKILL
    # The email left before (it is marked before sending, so a rerun could never send it again).
    assert [m["to"] for m in _mails(installation)] == [[installation["member_email"]]]
    ((status, workers, _),) = _webhook_tasks(db)
    assert (status, json.loads(workers)) == ("RUNNING", ["first"])  # left behind by the dead worker
    ((delivery_id, delivery_status),) = _rows(db, "SELECT id, status FROM notifications_webhookdelivery")
    assert delivery_status == "sending"

    # A second worker with a short task lease: the task is past it, so it is re-queued and runs again.
    time.sleep(1.5)
    second = subprocess.run(
        [CHARTER, "worker", "--no-scheduler", "--batch", "--lease-minutes", "0.02", "--worker-id", "second"],
        env=installation["env"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert second.returncode == 0, second.stderr
    assert "'requeued': 1" in second.stderr
    ((status, workers, result),) = _webhook_tasks(db)
    assert (status, json.loads(workers), json.loads(result)) == ("SUCCESSFUL", ["first", "second"], "skipped")
    assert len(endpoint.requests) == 1  # the delivery is still within the dead worker's claim

    # After the delivery's own lease (moved into the past here), the retry sweep closes it: not resent.
    _rows(db, "UPDATE notifications_webhookdelivery SET next_attempt_at = '2000-01-01 00:00:00'")
    sweep = subprocess.run(
        [CHARTER, "worker", "--batch", "--worker-id", "sweep"],
        env=installation["env"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert sweep.returncode == 0, sweep.stderr
    assert _rows(db, "SELECT status FROM notifications_webhookdelivery") == [("failed",)]
    ((error,),) = _rows(
        db, "SELECT error FROM notifications_webhookattempt WHERE delivery_id = ?", delivery_id
    )
    assert error == INTERRUPTED
    assert [r["delivery"] for r in endpoint.requests] == [str(delivery_id)]  # delivered once, never twice
    # the notification's email left once (the sweep's tick may add the weekly digest, a different email)
    assert [m["subject"] for m in _mails(installation)].count("[Acme] Mia, you were mentioned") == 1


def test_the_worker_schedule_purges_idempotency_keys():
    from charter.cli.management.commands.worker import SCHEDULE
    from charter.notifications.tasks import idempotency_keys_purge

    assert [job.run for job in SCHEDULE if job.name == "idempotency.purge"] == [idempotency_keys_purge]


def test_an_interrupted_send_is_closed_not_resent_and_each_attempt_names_its_delivery(owner, endpoint):
    """The same rules in one process: a claim past its lease is closed; a fresh delivery is sent once."""
    from datetime import timedelta

    from django.utils import timezone

    from charter.notifications import delivery
    from charter.notifications.models import WebhookDelivery
    from charter.notifications.webhooks import webhook_create, webhook_test

    endpoint.release.set()  # this endpoint answers at once
    hook = webhook_create(actor=owner, name="Chat", url=endpoint.url, events=["*"], allow_private=True)
    interrupted = webhook_test(actor=owner, webhook_id=hook.pk)
    assert delivery._claim(interrupted.pk) is not None  # a worker claimed it, then died mid-POST
    deliveries = WebhookDelivery.objects.for_org(owner.organization)
    assert delivery.deliver(interrupted.pk) == "skipped"  # within the claim's lease: left alone
    deliveries.filter(pk=interrupted.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert delivery.retries_enqueue() == 1  # the sweep finds it, and its run closes it
    assert delivery.deliver(interrupted.pk) == "skipped"
    closed = deliveries.get(pk=interrupted.pk)
    assert (closed.status, closed.attempts) == ("failed", 1)
    assert [a.error for a in closed.attempt_log.all()] == [INTERRUPTED]
    assert endpoint.requests == []
    fresh = webhook_test(actor=owner, webhook_id=hook.pk)
    assert delivery.deliver(fresh.pk) == "succeeded"
    assert delivery.deliver(fresh.pk) == "skipped"
    assert [r["delivery"] for r in endpoint.requests] == [str(fresh.pk)]
