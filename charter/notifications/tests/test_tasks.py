"""Background work through the real database backend, the schedule, and recovery of stale tasks."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import task
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from charter.notifications import scheduler
from charter.notifications.mail import notification_email_send
from charter.notifications.services import notify
from charter.organizations.tests.factories import make_person

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def explode() -> None:
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    # The worker closes stale connections between tasks; on PostgreSQL that would close the connection
    # holding the test's transaction (a test artifact: a real worker runs outside one).
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def _worker_batch():
    call_command("worker", "--batch", "--no-scheduler", "--interval", "0")


@override_settings(TASKS=DB_TASKS)
def test_a_task_runs_through_the_database_worker(owner):
    member = make_person(owner)
    (n,) = notify(actor=owner, event="mention", recipient_ids=[member.user_id], title="Hello")
    result = notification_email_send.enqueue(notification_id=n.pk)
    assert DBTaskResult.objects.get(pk=result.id).status == "READY" and mail.outbox == []
    _worker_batch()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL" and row.return_value is True
    assert [m.subject for m in mail.outbox] == [f"[{owner.organization.name}] Hello"]


@override_settings(TASKS=DB_TASKS)
def test_a_failing_task_is_marked_failed_with_its_traceback(db):
    result = explode.enqueue()
    _worker_batch()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED" and "RuntimeError: boom" in row.traceback


@override_settings(TASKS=DB_TASKS)
def test_stale_running_tasks_are_requeued_then_failed(db):
    long_ago = timezone.now() - scheduler.TASK_LEASE - timedelta(minutes=1)
    lost = explode.enqueue()
    DBTaskResult.objects.filter(pk=lost.id).update(status="RUNNING", started_at=long_ago, worker_ids=["dead"])
    again = explode.enqueue()
    DBTaskResult.objects.filter(pk=again.id).update(
        status="RUNNING", started_at=long_ago, worker_ids=["a", "b", "c"]
    )
    fresh = explode.enqueue()
    DBTaskResult.objects.filter(pk=fresh.id).update(status="RUNNING", started_at=timezone.now())
    assert scheduler.recover_stale_tasks() == {"requeued": 1, "failed": 1}
    assert DBTaskResult.objects.get(pk=lost.id).status == "READY"
    assert DBTaskResult.objects.get(pk=again.id).status == "FAILED"
    assert "StaleTask" in DBTaskResult.objects.get(pk=again.id).exception_class_path
    assert DBTaskResult.objects.get(pk=fresh.id).status == "RUNNING"  # within its lease: left alone
    _worker_batch()  # the worker also recovers at start; the re-queued task now runs (and fails loudly)
    assert DBTaskResult.objects.get(pk=lost.id).status == "FAILED"


def test_the_worker_refuses_a_backend_that_is_not_the_database(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        _worker_batch()


@override_settings(TASKS=DB_TASKS)
def test_a_goal_turning_at_risk_is_told_by_the_worker_once_even_if_its_task_runs_again(owner):
    from charter.core.events import publish
    from charter.notifications.models import Notification
    from charter.notifications.tasks import goal_at_risk_notify
    from charter.organizations.tests.factories import make_team

    team = make_team(owner, "Growth")
    lead = make_person(owner, team=team, is_lead=True)
    goal = SimpleNamespace(pk=7, title="Grow", owner_id=owner.user_id, team_id=team.pk)
    told = Notification.objects.for_org(owner.organization).filter(event="goal.at_risk")

    publish("goal.status_changed", actor=owner, goal=goal, before="on_track", after="off_track")
    (queued,) = DBTaskResult.objects.filter(task_path=goal_at_risk_notify.module_path)
    assert not told.exists()  # the write that turned the goal only queued the task

    _worker_batch()
    assert [(n.recipient_id, n.title, n.url) for n in told] == [
        (lead.user_id, "Grow is off track", "/goals/7/")
    ]
    # the owner turned it: not told of their own change; the lead is told once, also when the task reruns
    rerun = SimpleNamespace(task_result=SimpleNamespace(id=queued.pk))
    assert goal_at_risk_notify.func(rerun, **queued.args_kwargs["kwargs"]) == 0
    assert told.count() == 1
