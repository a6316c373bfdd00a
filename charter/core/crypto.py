"""Secrets kept at rest encrypted with a key derived from SECRET_KEY (ADR 6): webhook URLs and signing
secrets, data sources' URLs (which may carry credentials).

`EncryptedCharField` / `EncryptedURLField` store Fernet tokens (AES-128-CBC with HMAC-SHA256, a random
IV each time, from the `cryptography` package) in a text column and give the plain value to Python, so
the code that signs or fetches reads `webhook.secret` as before. The key is an HMAC of SECRET_KEY with a
purpose label (never SECRET_KEY itself); SECRET_KEY_FALLBACKS still decrypt, so a rotation that keeps
the old key there loses nothing, and values are re-encrypted with the new key when next saved. A value
that no key decrypts (SECRET_KEY changed without a fallback) reads as `UNREADABLE` (an empty string):
the URL check then refuses it and the admin re-enters it.

A copy of the database or a backup holds only the tokens. Equality lookups cannot work (each encryption
differs), so these fields are never filtered on.

Bearer secrets that are looked up (API tokens, invitation links, data source and calendar feed tokens)
are stored as `token_hash(raw)` instead: found by equality, never readable back.
"""

import base64
import hashlib
import hmac
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

logger = logging.getLogger(__name__)
PURPOSE = b"charter.core.crypto: secrets at rest"
PREFIX = "enc1:"  # marks a stored token, so a plain value is never taken for one (and vice versa)


def token_hash(raw: str) -> str:
    """The stored form of a bearer secret: its SHA-256, hex (a random token needs no salt or stretching)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class Unreadable(str):
    """A stored secret that no configured key decrypts: empty, and says so."""


UNREADABLE = Unreadable("")


class Ciphertext(str):
    """A stored value as it is in the database (a backup restores it untouched)."""


def _fernet_for(secret: str) -> Fernet:
    key = hmac.new(secret.encode(), PURPOSE, hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


_cache: dict[tuple, MultiFernet] = {}


def _fernet() -> MultiFernet:
    keys = (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ()))
    if keys not in _cache:
        _cache.clear()
        _cache[keys] = MultiFernet([_fernet_for(k) for k in keys])
    return _cache[keys]


def encrypt(value: str) -> str:
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    """The plain value of a stored one; `UNREADABLE` when no key opens it."""
    if not stored.startswith(PREFIX):
        logger.warning("A secret at rest is not encrypted; it reads as unreadable until re-entered.")
        return UNREADABLE
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        logger.warning("A secret at rest cannot be decrypted with SECRET_KEY or SECRET_KEY_FALLBACKS.")
        return UNREADABLE


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


class EncryptedMixin:
    """A text column holding `encrypt(value)`; Python sees the plain value (empty stays empty)."""

    encrypted = True

    def get_internal_type(self):
        return "TextField"  # the token is longer than the value; max_length still bounds the value

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or isinstance(value, Ciphertext):
            return value
        return encrypt(str(value))


class EncryptedCharField(EncryptedMixin, models.CharField):
    pass


class EncryptedURLField(EncryptedMixin, models.URLField):
    pass


def encrypt_existing(table: str, *columns: str):
    """A data migration's pair of functions: encrypt a table's plain values (forward), decrypt (back).

    Raw SQL, so neither the historical model's field nor any other code touches the values on the way.
    """

    def rewrite(schema_editor, convert):
        from charter.core import queries

        using, quote = schema_editor.connection.alias, schema_editor.connection.ops.quote_name
        why = "a data migration rewrites every row of the table"
        names = ", ".join(quote(c) for c in columns)
        rows = queries.fetch_all(f"SELECT id, {names} FROM {quote(table)}", {}, unscoped=why, using=using)
        sets = ", ".join(f"{quote(c)} = %(c{n})s" for n, c in enumerate(columns))
        for row_id, *values in rows:
            params = {f"c{n}": convert(v) if v else v for n, v in enumerate(values)}
            sql = f"UPDATE {quote(table)} SET {sets} WHERE id = %(id)s"
            queries.execute(sql, {**params, "id": row_id}, unscoped=why, using=using)

    def forward(apps, schema_editor):
        rewrite(schema_editor, lambda v: v if is_encrypted(v) else encrypt(v))

    def backward(apps, schema_editor):
        rewrite(schema_editor, lambda v: decrypt(v) if is_encrypted(v) else v)

    return forward, backward


def url_for_audit(url: str) -> str:
    """A URL as an audit record may keep it: scheme and host only (its path or query may be a key)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "…"
    return f"{parts.scheme}://{host}/…" if host else "…"


def audited(values: dict, *secret_fields: str) -> dict:
    """An audit record's values (or `changed_fields`' [old, new] pairs) with secret fields shortened."""
    shown = dict(values)
    for name in secret_fields:
        if name in shown:
            value = shown[name]
            shown[name] = (
                [url_for_audit(v) for v in value] if isinstance(value, list) else url_for_audit(value)
            )
    return shown


def scrub_audited(*actions: str, field: str = "url"):
    """A data migration's function: shorten `field` in the audit records of `actions` written before."""

    def forward(apps, schema_editor):
        events = apps.get_model("core", "AuditEvent")._base_manager.filter(action__in=actions)
        for event in events.iterator():
            if isinstance(event.changes, dict) and field in event.changes:
                event.changes = audited(event.changes, field)
                event.save(update_fields=["changes"])

    return forward
