"""A backup holds nothing that authenticates (issue 15, finding 13): no session, no token that works, no
webhook or data source secret in plain text; a restore into a fresh database signs everyone out and the
server still reads its encrypted secrets."""

import json
import re
import zipfile

import pytest
from django.core.management import call_command
from django.test import Client

from charter.core import crypto
from charter.metrics.models import DataSource
from charter.metrics.sources import source_create
from charter.notifications.models import Webhook
from charter.notifications.webhooks import webhook_create
from charter.organizations.models import Role
from tests.world import build_world

HOOK_URL = "https://hooks.example.com/services/T0001/B0002/hook-credential-7f3a"
SOURCE_URL = "https://metrics.example.com/api/value.json?api_key=source-credential-91c2"


def dump_strings(path) -> tuple[bytes, set[str]]:
    """Every member's bytes, and every string value of every row of every table."""
    raw, strings = b"", set()
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            raw += data
            if name.startswith("tables/"):
                for line in data.splitlines():
                    strings |= {v for v in json.loads(line) if isinstance(v, str)}
    return raw, strings


def signed_in(client) -> bool:
    return client.get("/api/v1/goals").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_holds_no_session_token_or_secret_that_authenticates(tmp_path):
    world = build_world("Acme")
    owner = world.owner
    browser = Client()
    browser.force_login(owner.user)
    assert signed_in(browser)  # the cookie works before
    cookie = browser.cookies["sessionid"].value
    raw_token = world.tokens[Role.OWNER]
    api = Client(headers={"Authorization": f"Bearer {raw_token}"})
    created = api.post(
        "/api/v1/tokens",
        {"name": "ci", "days": 30},
        content_type="application/json",
        headers={"Idempotency-Key": "k1"},
    )
    assert created.status_code == 201
    second_token = created.json()["token"]
    hook = webhook_create(actor=owner, name="Ops", url=HOOK_URL, events=[])
    source = source_create(
        actor=owner,
        name="Feed",
        kind="json",
        key_result_id=world.ids["key_result_id"],
        url=SOURCE_URL,
        json_path="value",
    )

    path = tmp_path / "charter.zip"
    call_command("backup", "-o", str(path), verbosity=0)
    raw, strings = dump_strings(path)
    for secret in (cookie, raw_token, second_token, hook.secret, HOOK_URL, SOURCE_URL, "credential"):
        assert secret.encode() not in raw, f"{secret[:12]}… is in the backup"
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    assert {"django_session", "core_idempotencykey"}.isdisjoint(t["table"] for t in manifest["tables"])

    call_command("flush", interactive=False, verbosity=0)  # a fresh, migrated database
    call_command("restore", str(path), verbosity=0)

    assert not signed_in(browser)  # the session key is no cookie any more
    candidates = {s for s in strings if re.fullmatch(r"[\x21-\x7e]{16,}", s)}
    assert candidates  # hashes, salts, ciphertexts… none of them is a working token
    for candidate in candidates | {cookie}:
        bearer = Client(headers={"Authorization": f"Bearer {candidate}"})
        assert bearer.get("/api/v1/goals").status_code == 401, candidate[:12]
        with_cookie = Client()
        with_cookie.cookies["sessionid"] = candidate
        assert not signed_in(with_cookie)
    # The tokens people hold keep working (the backup holds their hashes), and the server reads its
    # secrets with its SECRET_KEY: deliveries are signed and sources fetched as before.
    assert Client(headers={"Authorization": f"Bearer {raw_token}"}).get("/api/v1/goals").status_code == 200
    restored = Webhook.objects.unscoped().get(pk=hook.pk)
    assert (restored.url, restored.secret) == (HOOK_URL, hook.secret)
    assert DataSource.objects.unscoped().get(pk=source.pk).url == SOURCE_URL
    assert crypto.is_encrypted(_raw_column("notifications_webhook", "secret", hook.pk))


def _raw_column(table, column, pk):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]
