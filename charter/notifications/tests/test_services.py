"""notify honours preferences, emails leave after commit, the inbox is one's own, risky goals tell people."""

from types import SimpleNamespace

import pytest
from django.core import mail

from charter.core.errors import NotFound, ValidationError
from charter.core.events import publish
from charter.notifications import selectors
from charter.notifications.models import Notification
from charter.notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notify,
    preferences_set,
)
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team


def test_defaults_in_app_for_all_email_for_some(owner, django_capture_on_commit_callbacks):
    member = make_person(owner)
    with django_capture_on_commit_callbacks(execute=True):
        notify(actor=owner, event="decision.told", recipient_ids=[member.user_id], title="Told")
        notify(
            actor=owner,
            event="decision.needs_you",
            recipient_ids=[member.user_id],
            title="Needs you",
            url="/x/",
        )
    assert Notification.objects.for_org(owner.organization).filter(recipient_id=member.user_id).count() == 2
    (message,) = mail.outbox
    assert message.to == [member.user.email] and "Needs you" in message.subject
    assert "http://127.0.0.1:8000/x/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and 'href="http://127.0.0.1:8000/x/"' in html


def test_preferences_are_honoured(owner, django_capture_on_commit_callbacks):
    member = make_person(owner)
    preferences_set(
        actor=member,
        choices={
            "mention": {"in_app": False, "email": False},
            "idea.adopted": {"in_app": True, "email": True},
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(actor=owner, event="mention", recipient_ids=[member.user_id], title="Hi") == []
        (n,) = notify(actor=owner, event="idea.adopted", recipient_ids=[member.user_id], title="Adopted")
    assert [m.subject for m in mail.outbox] == [f"[{owner.organization.name}] Adopted"]
    rows = {r["event"].code: r for r in selectors.preference_table(actor=member)}
    assert rows["mention"]["in_app"] is False and rows["idea.adopted"]["email"] is True
    assert rows["check_in.due"]["email"] is True and rows["check_in.due"]["custom"] is False


def test_an_email_is_sent_once_even_if_the_task_runs_twice(owner, django_capture_on_commit_callbacks):
    from charter.notifications.mail import notification_email_send

    member = make_person(owner)
    with django_capture_on_commit_callbacks(execute=True):
        (n,) = notify(actor=owner, event="mention", recipient_ids=[member.user_id], title="Hi")
    notification_email_send.enqueue(notification_id=n.pk)
    assert len(mail.outbox) == 1


def test_unknown_preference_events_are_refused(owner):
    with pytest.raises(ValidationError):
        preferences_set(actor=owner, choices={"nope": {"in_app": True}})


def test_the_actor_is_not_notified(owner):
    assert notify(actor=owner, event="mention", recipient_ids=[owner.user_id], title="Me") == []


def test_mark_read_only_my_own(owner, other_owner):
    member = make_person(owner)
    (mine,) = notify(actor=member, event="mention", recipient_ids=[owner.user_id], title="A")
    notify(actor=member, event="idea.adopted", recipient_ids=[owner.user_id], title="B")
    with pytest.raises(NotFound):
        notification_mark_read(actor=member, notification_id=mine.pk)
    with pytest.raises(NotFound):
        notification_mark_read(actor=other_owner, notification_id=mine.pk)
    assert notification_mark_read(actor=owner, notification_id=mine.pk).read_at is not None
    assert notification_mark_all_read(actor=owner, event="idea.adopted") == 1
    assert selectors.notification_unread_count(actor=owner) == 0


def test_unread_come_first(owner):
    member = make_person(owner)
    a, b = (notify(actor=member, event="mention", recipient_ids=[owner.user_id], title=t)[0] for t in "ab")
    notification_mark_read(actor=owner, notification_id=b.pk)
    assert [n.title for n in selectors.notification_list(actor=owner)] == ["a", "b"]
    assert [n.title for n in selectors.notification_list(actor=owner, unread=True)] == ["a"]


def test_goal_at_risk_tells_owner_and_team_leads(owner):
    team = make_team(owner, "Growth")
    lead = make_person(owner, Role.MEMBER, team=team, is_lead=True)
    make_person(owner, Role.MEMBER, team=team)  # not a lead
    accountable = make_person(owner, Role.MEMBER, team=team)
    goal = SimpleNamespace(pk=5, title="Grow", owner_id=accountable.user_id, team_id=team.pk)
    publish("goal.status_changed", actor=owner, goal=goal, before="on_track", after="at_risk")
    publish(
        "goal.status_changed", actor=owner, goal=goal, before="at_risk", after="off_track"
    )  # already told
    publish("goal.status_changed", actor=owner, goal=goal, before="at_risk", after="on_track")
    told = Notification.objects.for_org(owner.organization).filter(event="goal.at_risk")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([lead.user_id, accountable.user_id])
    assert told.first().title == "Grow is at risk" and told.first().url == "/goals/5/"


def test_a_title_with_cr_lf_is_emailed_on_one_line(owner, django_capture_on_commit_callbacks):
    # Issue 15, finding 17: Django refuses a header with a newline, and the email (marked sent before
    # it leaves) was silently lost.
    member = make_person(owner)
    title = "Pick a vendor\r\nBcc: someone@example.com\nnow"
    with django_capture_on_commit_callbacks(execute=True):
        (n,) = notify(actor=owner, event="decision.needs_you", recipient_ids=[member.user_id], title=title)
    (message,) = mail.outbox
    assert message.subject == f"[{owner.organization.name}] Pick a vendor Bcc: someone@example.com now"
    assert message.to == [member.user.email] and message.bcc == []
    assert "\n" not in message.message()["Subject"]
    n.refresh_from_db()
    assert n.emailed_at is not None and n.title == title[:250]  # the inbox keeps the title as written


def test_inbox_writes_need_notification_manage(owner):
    # A read-only token's actor: the service refuses, whichever interface calls it.
    from charter.core.errors import PermissionDenied
    from charter.organizations.services import token_actor, token_create

    reader = token_actor(token_create(actor=owner, name="reader", scopes=["read"])[1])
    for write in (
        lambda: notification_mark_all_read(actor=reader),
        lambda: preferences_set(actor=reader, choices={"mention": {"in_app": False}}),
    ):
        with pytest.raises(PermissionDenied, match="inbox scope"):
            write()
