"""Inbox, badge, preferences and webhook pages: constant queries, htmx mark-read, forms."""

import pytest
from django.urls import reverse

from charter.notifications.models import Notification, Webhook
from charter.notifications.services import notify
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person


def _fill(owner, member, count):
    for i in range(count):
        notify(actor=member, event="mention", recipient_ids=[owner.user_id], title=f"N{i}", url="/")


@pytest.mark.parametrize("count", [10, 100])
def test_inbox_queries_do_not_grow_with_rows(owner, login, django_assert_num_queries, count):
    client = login(owner)
    _fill(owner, make_person(owner), count)
    client.get(reverse("notification_list"))  # warm the session
    with django_assert_num_queries(_INBOX_QUERIES):
        response = client.get(reverse("notification_list"))
    assert response.status_code == 200 and f"N{count - 1}" in response.content.decode()


_INBOX_QUERIES = 4  # the session, then the user with the actor (organizations.auth); the switcher none


def test_mark_read_by_htmx_returns_the_row(owner, login):
    client = login(owner)
    (n,) = notify(actor=make_person(owner), event="mention", recipient_ids=[owner.user_id], title="Hi")
    response = client.post(reverse("notification_read", args=[n.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200 and f'id="notification-{n.pk}"' in response.content.decode()
    assert "Mark read" not in response.content.decode()
    n.refresh_from_db()
    assert n.read_at is not None


def test_badge_and_mark_all_read(owner, login):
    client = login(owner)
    _fill(owner, make_person(owner), 3)
    assert ">3<" in client.get(reverse("notification_badge")).content.decode()
    client.post(reverse("notification_read_all"))
    assert "no unread" in client.get(reverse("notification_badge")).content.decode()


def test_home_shows_the_inbox_panel(owner, login):
    client = login(owner)
    _fill(owner, make_person(owner), 7)
    page = client.get(reverse("home")).content.decode()
    assert "inbox-panel-title" in page and "N6" in page and "More unread" in page


def test_the_inbox_panel_shows_ones_own_unread_only(owner, other_owner, login):
    member = make_person(owner)
    notify(actor=member, event="mention", recipient_ids=[owner.user_id], title="For the owner")
    notify(actor=owner, event="mention", recipient_ids=[member.user_id], title="For the member")
    notify(actor=other_owner, event="mention", recipient_ids=[other_owner.user_id], title="Elsewhere")
    page = login(member).get(reverse("home")).content.decode()
    assert "For the member" in page and "For the owner" not in page and "Elsewhere" not in page
    client = login(owner)
    assert "For the owner" in client.get(reverse("home")).content.decode()
    client.post(reverse("notification_read_all"))
    page = client.get(reverse("home")).content.decode()
    assert "For the owner" not in page and "For the member" not in page


def test_preferences_page_saves_the_table(owner, login):
    client = login(owner)
    assert "Decision needs you" in client.get(reverse("notification_preferences")).content.decode()
    response = client.post(reverse("notification_preferences"), {"mention__in_app": "on"})
    assert response.status_code == 302
    member = make_person(owner)
    assert notify(actor=member, event="mention", recipient_ids=[owner.user_id], title="x")
    assert notify(actor=member, event="goal.at_risk", recipient_ids=[owner.user_id], title="x") == []


def test_webhook_form_refuses_loopback_and_saves_public(owner, login):
    client = login(owner)
    bad = client.post(
        reverse("webhook_create"), {"name": "Mine", "url": "http://127.0.0.1/x", "events": ["mention"]}
    )
    assert bad.status_code == 422 and "private or reserved" in bad.content.decode()
    good = client.post(
        reverse("webhook_create"),
        {"name": "Slack", "url": "https://hooks.example.com/x", "events": ["mention"], "is_active": "on"},
    )
    hook = Webhook.objects.for_org(owner.organization).get()
    assert good.status_code == 302 and hook.events == ["mention"] and hook.is_active
    assert client.get(reverse("webhook_deliveries", args=[hook.pk])).status_code == 200
    assert client.post(reverse("webhook_test", args=[hook.pk])).status_code == 302


def test_members_may_not_see_webhooks(owner, login):
    client = login(make_person(owner, Role.MEMBER))
    assert client.get(reverse("webhook_list")).status_code == 403


def test_api_lists_and_marks_read(owner, login):
    client = login(owner)
    _fill(owner, make_person(owner), 2)
    body = client.get("/api/v1/notifications?unread=true").json()
    assert body["count"] == 2
    first = body["items"][0]["id"]
    assert client.post(f"/api/v1/notifications/{first}/read").json()["read_at"]
    assert client.post("/api/v1/notifications/read-all").json() == {"marked": 1}
    assert Notification.objects.for_org(owner.organization).filter(read_at__isnull=True).count() == 0


def test_inbox_previews_markdown_as_plain_text(owner, login):
    body = "Could you look, @Ana Lopez **today**? See [the plan](https://example.com/p) and `x < 2`.\n\n- one"
    notify(
        actor=make_person(owner), event="mention", recipient_ids=[owner.user_id], title="Mention", body=body
    )
    html = login(owner).get(reverse("notification_list")).content.decode()
    assert "Could you look, @Ana Lopez today? See the plan and x &lt; 2." in html
    assert "**" not in html.split('id="main"', 1)[1] and "](https://" not in html


def test_plain_text_of_markdown():
    from charter.notifications.preview import plain_text

    assert plain_text("# Title\n\nA *b* ~~c~~\nd\n\n1. e\n2. f") == "Title\n\nA b c\nd\n\ne\nf"
    assert plain_text("") == "" and plain_text("<script>x</script>") == "<script>x</script>"
