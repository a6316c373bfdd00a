"""The notifications API (issue 15, findings 10 and 17): read-only tokens cannot write the inbox or
preferences; a too large body is a 413 in the API's error shape; webhook URLs are bounded and checked."""

import json

import pytest

from charter.notifications.models import Notification, NotificationPreference, Webhook
from charter.notifications.services import notify
from charter.organizations.models import Role
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_person


def _bearer(actor, scopes=None):
    return {"Authorization": f"Bearer {token_create(actor=actor, name='t', scopes=scopes)[1]}"}


def _send(client, method, url, body, headers):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def inbox(owner):
    member = make_person(owner, Role.MEMBER)
    (n,) = notify(actor=owner, event="mention", recipient_ids=[member.user_id], title="Look")
    return member, n


def test_a_read_only_token_reads_the_inbox_but_cannot_change_it(client, owner, inbox):
    member, n = inbox
    read = _bearer(member, ["read"])
    assert client.get("/api/v1/notifications", headers=read).json()["count"] == 1
    assert client.get("/api/v1/notification-preferences", headers=read).status_code == 200
    writes = [
        ("put", "/api/v1/notification-preferences", [{"event": "mention", "in_app": False, "email": True}]),
        ("post", "/api/v1/notifications/read-all", {}),
        ("post", f"/api/v1/notifications/{n.pk}/read", {}),
    ]
    for method, url, body in writes:
        refused = _send(client, method, url, body, read)
        assert refused.status_code == 403, (url, refused.content)
        assert refused.json()["code"] == "permission_denied"
    assert not NotificationPreference.objects.for_org(owner.organization).exists()
    assert Notification.objects.for_org(owner.organization).get().read_at is None

    inbox_scope = _bearer(member, ["read", "inbox"])
    for method, url, body in writes:
        assert _send(client, method, url, body, inbox_scope).status_code == 200, url
    assert NotificationPreference.objects.for_org(owner.organization).get().email is True
    assert Notification.objects.for_org(owner.organization).get().read_at is not None


def test_a_body_larger_than_the_limit_answers_413_in_the_error_shape(client, owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    headers = _bearer(owner)
    big = [{"event": "mention", "in_app": True, "email": False, "pad": "x" * 3_000_000}]
    for method, url in (("put", "/api/v1/notification-preferences"), ("post", "/api/v1/webhooks")):
        answer = _send(client, method, url, big, {**headers, "Idempotency-Key": f"k-{method}"})
        assert answer.status_code == 413, answer.content
        assert answer.json() == {
            "code": "request_too_large",
            "detail": "The request body is larger than 2.5 MB; send less.",
            "errors": {},
        }
    assert not NotificationPreference.objects.for_org(owner.organization).exists()


@pytest.mark.parametrize(
    "url, says",
    [
        ("https://hooks.example.com/" + "a" * 100_000, "500 characters or fewer"),
        ("http://127.0.0.1:9911\\@host.invalid/", "backslash"),
        ("https://user:secret@hooks.example.com/", "user name"),
    ],
)
def test_a_bad_webhook_url_is_a_field_error_not_a_500(client, owner, url, says):
    body = {"name": "Hook", "url": url, "events": ["*"], "allow_private": True}
    answer = _send(client, "post", "/api/v1/webhooks", body, _bearer(owner))
    assert answer.status_code == 422, answer.content[:300]
    assert says in answer.json()["errors"]["url"][0]
    assert not Webhook.objects.for_org(owner.organization).exists()
