"""Webhook URLs and secrets are stored encrypted under a key derived from SECRET_KEY (ADR 6)."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import override_settings

from charter.core import crypto
from charter.core.models import AuditEvent
from charter.notifications.models import Webhook
from charter.notifications.webhooks import webhook_create, webhook_update

pytestmark = pytest.mark.django_db
URL = "https://hooks.example.com/services/T1/B2/credential-5e1d"


def _stored(pk, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM notifications_webhook WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _write_plain(pk, **values):
    with connection.cursor() as cursor:
        for column, value in values.items():
            cursor.execute(f"UPDATE notifications_webhook SET {column} = %s WHERE id = %s", [value, pk])


def test_the_database_holds_only_ciphertext_and_the_code_reads_the_value(owner):
    hook = webhook_create(actor=owner, name="Ops", url=URL, events=[])
    for column, value in (("url", URL), ("secret", hook.secret)):
        stored = _stored(hook.pk, column)
        assert crypto.is_encrypted(stored) and value not in stored
    again = Webhook.objects.for_org(owner.organization).get(pk=hook.pk)
    assert (again.url, again.secret) == (URL, hook.secret)
    assert _stored(hook.pk, "secret") != crypto.encrypt(hook.secret)  # a fresh IV each time
    webhook_update(actor=owner, webhook_id=hook.pk, url=URL.replace("5e1d", "9f00"))
    changes = [e.changes for e in AuditEvent.objects.for_org(owner.organization).filter(object_id=hook.pk)]
    assert "credential" not in str(changes) and "https://hooks.example.com/…" in str(changes)


def test_rotation_fallbacks_decrypt_and_a_lost_key_reads_as_unreadable(owner, settings):
    hook = webhook_create(actor=owner, name="Ops", url=URL, events=[])
    old = settings.SECRET_KEY
    with override_settings(SECRET_KEY="a-new-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[old]):
        assert Webhook.objects.for_org(owner.organization).get(pk=hook.pk).secret == hook.secret
    with override_settings(SECRET_KEY="a-new-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[]):
        lost = Webhook.objects.for_org(owner.organization).get(pk=hook.pk)
        assert lost.secret == lost.url == "" and isinstance(lost.secret, crypto.Unreadable)


def test_the_migration_encrypts_existing_plain_values_and_back(owner):
    hook = webhook_create(actor=owner, name="Ops", url=URL, events=[])
    _write_plain(hook.pk, url=URL, secret="plain-secret")
    forward, backward = crypto.encrypt_existing("notifications_webhook", "url", "secret")
    editor = SimpleNamespace(connection=connection)
    forward(None, editor)
    forward(None, editor)  # safe twice: an encrypted value is left as it is
    assert crypto.is_encrypted(_stored(hook.pk, "secret"))
    again = Webhook.objects.for_org(owner.organization).get(pk=hook.pk)
    assert (again.url, again.secret) == (URL, "plain-secret")
    backward(None, editor)
    assert (_stored(hook.pk, "url"), _stored(hook.pk, "secret")) == (URL, "plain-secret")
