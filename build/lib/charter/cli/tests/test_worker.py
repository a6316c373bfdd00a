"""`charter worker`'s schedule: weekly jobs run once across workers and restarts; reminders and digests."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from charter.cli.management.commands.worker import SCHEDULE
from charter.goals.models import Cycle, KeyResult
from charter.goals.tasks import check_in_reminders
from charter.goals.tests.factories import make_goal, make_key_result
from charter.notifications import scheduler
from charter.notifications.models import Notification, PeriodicRun
from charter.notifications.services import notify
from charter.organizations.tests.factories import make_person


@pytest.fixture
def waiting_key_result(owner, cycle):
    Cycle.objects.for_org(owner.organization).update(state=Cycle.State.ACTIVE)
    member = make_person(owner)
    goal = make_goal(owner, cycle, "Grow")
    kr = make_key_result(owner, goal, owner_id=member.user_id)
    KeyResult.objects.for_org(owner.organization).update(created_at=timezone.now() - timedelta(days=8))
    return kr, member


def test_check_in_reminders_are_sent_once_per_week(owner, waiting_key_result):
    kr, member = waiting_key_result
    now = timezone.now()
    assert "check_in.reminders" in scheduler.tick(SCHEDULE, now=now)
    assert "check_in.reminders" not in scheduler.tick(SCHEDULE, now=now)  # a second worker or a restart
    assert check_in_reminders.call(organization_id=owner.organization_id, period="x") == 1
    assert check_in_reminders.call(organization_id=owner.organization_id, period="x") == 0
    reminders = Notification.objects.for_org(owner.organization).filter(event="check_in.due")
    assert list(reminders.values_list("recipient_id", flat=True)) == [member.user_id, member.user_id]
    assert PeriodicRun.objects.filter(job="check_in.reminders").count() == 1
    # next week: reminded again
    assert "check_in.reminders" in scheduler.tick(SCHEDULE, now=now + timedelta(days=7))


def test_a_recent_check_in_means_no_reminder(owner, waiting_key_result):
    KeyResult.objects.for_org(owner.organization).update(last_check_in_at=timezone.now())
    assert check_in_reminders.call(organization_id=owner.organization_id, period="w") == 0


def test_weekly_digest_emails_unread_once(owner, django_capture_on_commit_callbacks):
    member = make_person(owner)
    notify(actor=owner, event="decision.told", recipient_ids=[member.user_id], title="Told you")
    now = timezone.now()
    scheduler.tick(SCHEDULE, now=now)
    scheduler.tick(SCHEDULE, now=now)
    digests = [m for m in mail.outbox if "Your week" in m.subject]
    assert len(digests) == 1 and "Told you" in digests[0].body and digests[0].to == [member.user.email]


def test_weekly_jobs_fall_due_on_monday_morning():
    from datetime import UTC, datetime

    sunday = datetime(2026, 3, 8, 23, 0, tzinfo=UTC)
    monday_early = datetime(2026, 3, 9, 7, 59, tzinfo=UTC)
    monday = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    assert scheduler.period_key("week", sunday) == scheduler.period_key("week", monday_early)
    assert scheduler.period_key("week", monday) != scheduler.period_key("week", monday_early)
