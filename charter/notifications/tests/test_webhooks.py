"""Webhooks against a local HTTP server: signature, retries with backoff, log, SSRF guard, auto-disable."""

import hashlib
import hmac
import json
import socket
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from charter.core import outbound
from charter.core.errors import PermissionDenied, ValidationError
from charter.notifications import delivery
from charter.notifications.delivery import DISABLE_AFTER
from charter.notifications.models import Notification, Webhook, WebhookDelivery
from charter.notifications.services import notify
from charter.notifications.webhooks import webhook_create, webhook_test, webhook_update
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person


@pytest.fixture
def hook(owner, endpoint):
    return webhook_create(
        actor=owner, name="Local", url=endpoint.url, events=["decision.needs_you"], allow_private=True
    )


def _notify(actor, recipient, event="decision.needs_you"):
    return notify(
        actor=actor, event=event, recipient_ids=[recipient], title="Pick a vendor", url="/decisions/7/"
    )


def test_delivery_is_signed_slack_compatible_and_logged(
    owner, hook, endpoint, django_capture_on_commit_callbacks
):
    member = make_person(owner, Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        (n,) = _notify(owner, member.user_id)
    (request,) = endpoint.requests
    headers, body = request["headers"], request["body"]
    expected = hmac.new(
        hook.secret.encode(), headers["X-Charter-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Charter-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert "Pick a vendor" in payload["text"] and payload["blocks"][0]["type"] == "section"
    assert payload["event"]["code"] == "decision.needs_you"
    assert payload["event"]["notification_ids"] == [n.pk]
    assert payload["event"]["organization_id"] == owner.organization_id
    d = WebhookDelivery.objects.for_org(owner.organization).get()
    assert d.status == "succeeded" and [a.response_code for a in d.attempt_log.all()] == [200]


def test_one_delivery_per_event_not_per_recipient(owner, hook, endpoint, django_capture_on_commit_callbacks):
    people = [make_person(owner, Role.MEMBER).user_id for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        notify(actor=owner, event="decision.needs_you", recipient_ids=people, title="Three of you")
        notify(actor=owner, event="mention", recipient_ids=people, title="Not subscribed")
    assert len(endpoint.requests) == 1


def test_a_500_is_retried_with_backoff_then_succeeds(
    owner, hook, endpoint, django_capture_on_commit_callbacks
):
    endpoint.codes = [500]
    with django_capture_on_commit_callbacks(execute=True):
        _notify(owner, make_person(owner).user_id)
    d = WebhookDelivery.objects.for_org(owner.organization).get()
    assert d.status == "retrying" and d.next_attempt_at > timezone.now()
    assert delivery.retries_enqueue() == 0  # not due yet
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.retries_enqueue(now=timezone.now() + timedelta(minutes=1)) == 1
    d.refresh_from_db()
    assert d.status == "succeeded" and d.attempts == 2
    assert [(a.number, a.response_code, a.ok) for a in d.attempt_log.all()] == [
        (1, 500, False),
        (2, 200, True),
    ]
    assert "500" in d.attempt_log.first().error
    assert len(endpoint.requests) == 2
    assert delivery.deliver(d.pk) == "skipped"  # running the task twice sends nothing more


def test_a_4xx_is_not_retried_and_redirects_are_not_followed(owner, hook, endpoint):
    endpoint.codes = [404, 302]
    for _ in range(2):
        d = webhook_test(actor=owner, webhook_id=hook.pk)
        delivery.deliver(d.pk)
        d.refresh_from_db()
        assert d.status == "failed"
    assert len(endpoint.requests) == 2  # the redirect to 169.254.169.254 was not followed


def test_private_and_loopback_urls_are_refused_on_save(owner):
    for url in (
        "http://127.0.0.1:9/x",
        "http://10.0.0.5/x",
        "http://[::1]/x",
        "http://169.254.169.254/",
        "ftp://x.org/",
    ):
        with pytest.raises(ValidationError) as exc:
            webhook_create(actor=owner, name="Bad", url=url, events=[])
        assert "url" in exc.value.errors
    assert not Webhook.objects.for_org(owner.organization).exists()


def test_private_target_is_refused_at_delivery_without_the_flag(owner, hook, endpoint):
    # The flag was on when saved; without it the same address is refused after resolution, before any request.
    Webhook.objects.for_org(owner.organization).update(allow_private=False)
    d = webhook_test(actor=owner, webhook_id=hook.pk)
    delivery.deliver(d.pk)
    d.refresh_from_db()
    assert endpoint.requests == []
    assert d.status == "retrying"
    assert "private or reserved" in d.attempt_log.get().error


def test_host_names_are_checked_after_resolution():
    with pytest.raises(outbound.ForbiddenTarget):
        outbound.check_url("http://localhost:8000/", allow_private=False)
    outbound.check_url("http://localhost:8000/", allow_private=True)


def test_disabled_after_repeated_failures_and_admins_told(owner, hook, endpoint):
    admin = make_person(owner, Role.ADMIN)
    endpoint.codes = [500] * DISABLE_AFTER
    for _ in range(DISABLE_AFTER):
        delivery.deliver(webhook_test(actor=owner, webhook_id=hook.pk).pk)
    hook.refresh_from_db()
    assert not hook.is_active and "10 failed attempts" in hook.disabled_reason
    told = Notification.objects.for_org(owner.organization).filter(event="webhook.disabled")
    assert set(told.values_list("recipient_id", flat=True)) == {owner.user_id, admin.user_id}
    with pytest.raises(ValidationError):
        webhook_test(actor=owner, webhook_id=hook.pk)
    webhook_update(actor=owner, webhook_id=hook.pk, is_active=True)
    hook.refresh_from_db()
    assert hook.consecutive_failures == 0 and hook.disabled_reason == ""


def test_a_rolled_back_change_sends_nothing(owner, hook, endpoint, django_capture_on_commit_callbacks):
    person = make_person(owner)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _notify(owner, person.user_id)
        raise RuntimeError("the caller's change failed")
    assert endpoint.requests == []
    assert not WebhookDelivery.objects.for_org(owner.organization).exists()


def test_only_admins_manage_webhooks(owner):
    leader = make_person(owner, Role.LEADER)
    with pytest.raises(PermissionDenied):
        webhook_create(actor=leader, name="Mine", url="https://hooks.example.com/x", events=[])


def test_unknown_events_are_refused(owner):
    with pytest.raises(ValidationError) as exc:
        webhook_create(actor=owner, name="X", url="https://hooks.example.com/x", events=["nope"])
    assert "events" in exc.value.errors


# ---- issue 15: findings 16 and 17 ----------------------------------------------------------------


def test_a_backslash_before_the_at_is_refused_on_save_and_never_leaves_a_delivery_sending(
    owner, hook, endpoint
):
    # The checker read 127.0.0.1 as the host and the connection `host.invalid`: http.client raised
    # InvalidURL, a 500 and a delivery stuck in `sending`.
    port = endpoint.server.server_address[1]
    bad = f"http://127.0.0.1:{port}\\@host.invalid/"
    for save in (
        lambda: webhook_create(actor=owner, name="Bad", url=bad, events=["*"], allow_private=True),
        lambda: webhook_update(actor=owner, webhook_id=hook.pk, url=bad),
    ):
        with pytest.raises(ValidationError) as refused:
            save()
        assert "backslash" in refused.value.errors["url"][0]
    # One saved before the check existed is refused at delivery, before any connection.
    Webhook.objects.for_org(owner.organization).filter(pk=hook.pk).update(url=bad)
    d = webhook_test(actor=owner, webhook_id=hook.pk)
    delivery.deliver(d.pk)
    d.refresh_from_db()
    assert d.status == "retrying"  # an admin may correct the URL before the next attempt
    assert "backslash" in d.attempt_log.get().error
    assert endpoint.requests == []


def test_an_unexpected_fault_in_a_send_is_a_failed_attempt_not_a_delivery_left_sending(
    owner, hook, endpoint, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(delivery.webhook_post, "post", broken)
    d = webhook_test(actor=owner, webhook_id=hook.pk)
    assert delivery.deliver(d.pk) == "retrying"
    d.refresh_from_db()
    assert d.status == "retrying" and d.attempt_log.get().error == "Internal error: RuntimeError"


def test_dns_rebinding_at_delivery_connects_only_to_the_checked_address(owner, endpoint, monkeypatch):
    # The name answers a public address to the check and the loopback (the test server) afterwards:
    # the old client resolved twice and POSTed to the loopback. Now it resolves once and connects to
    # the public address it checked, which the spy refuses, so nothing leaves the machine.
    port = endpoint.server.server_address[1]
    calls, connections = [], []

    def resolver(host, port, *args, **kwargs):
        calls.append(host)
        ip = "93.184.215.14" if len(calls) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    def connect(address, timeout=None, source_address=None):
        connections.append(address)
        raise ConnectionRefusedError("the test never leaves the loopback")

    monkeypatch.setattr(outbound, "getaddrinfo", resolver)
    monkeypatch.setattr(outbound, "create_connection", connect)
    hook = webhook_create(actor=owner, name="Rebind", url=f"http://rebind.test:{port}/hook", events=["*"])
    assert calls == []  # a host name is not resolved on save: only at delivery, once
    d = webhook_test(actor=owner, webhook_id=hook.pk)
    delivery.deliver(d.pk)
    d.refresh_from_db()
    assert calls == ["rebind.test"] and connections == [("93.184.215.14", port)]
    assert endpoint.requests == [] and d.status == "retrying"
    assert "Connection failed" in d.attempt_log.get().error


def test_a_name_is_delivered_to_the_address_it_resolved_to(owner, endpoint, monkeypatch):
    port = endpoint.server.server_address[1]
    calls = []

    def resolver(host, port, *args, **kwargs):
        calls.append(host)
        ip = "127.0.0.1" if len(calls) == 1 else "10.1.1.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(outbound, "getaddrinfo", resolver)
    hook = webhook_create(
        actor=owner, name="Named", url=f"http://hooks.test:{port}/hook", events=["*"], allow_private=True
    )
    d = webhook_test(actor=owner, webhook_id=hook.pk)
    assert delivery.deliver(d.pk) == "succeeded"
    (request,) = endpoint.requests
    assert calls == ["hooks.test"] and request["headers"]["Host"] == f"hooks.test:{port}"


def test_slack_text_is_escaped_everywhere(owner, hook, endpoint, django_capture_on_commit_callbacks):
    member = make_person(owner, Role.MEMBER)
    title = "<!channel> see <https://evil.example|here> & act"
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            actor=owner,
            event="decision.needs_you",
            recipient_ids=[member.user_id],
            title=title,
            url="/decisions/7/",
            body="<!here> <@U123>",
        )
    payload = json.loads(endpoint.requests[0]["body"])
    escaped = "&lt;!channel&gt; see &lt;https://evil.example|here&gt; &amp; act"
    assert payload["text"] == f"<http://127.0.0.1:8000/decisions/7/|{escaped}>"
    section = payload["blocks"][0]["text"]["text"]
    assert "<!" not in section and "<@" not in section and "&lt;!here&gt;" in section
    assert payload["event"]["title"] == title  # the data keeps the words as written
