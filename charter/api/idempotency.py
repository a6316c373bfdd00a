"""`Idempotency-Key` on every API POST: a retried create makes one object and gets the first answer again.

Wired once for the whole API (`install`, with ninja's public decorators), after authentication, the
parsing of the input and the permission guard:

- no header: nothing changes;
- a new key: the key is claimed (a row committed before the operation runs), the operation runs, and
  a success (2xx) is stored with the key; an error answer made nothing, so it releases the key and a
  retry runs again (a refusal is not replayed after the cause is fixed);
- the same key again from the same caller in the same organization, with the same route and body:
  the stored answer is replayed, with `Idempotent-Replayed: true`;
- the same key while the first request still runs: 409 `idempotency_in_progress` with Retry-After.
  We answer at once rather than wait: a waiting request would hold one of the few server workers for
  as long as the first takes, and the retry is cheap (it replays once the first has finished);
- the same key with another route or body: 422, naming the difference;
- the same key after a request that committed but whose answer was lost (a 5xx after the commit, such
  as a connection dropped at COMMIT): 409 `idempotency_answer_lost`, never a second run;
- the same key after a success whose answer held a one-time secret (a token, a webhook's signing
  secret, an invitation link, a push URL: any field named in `SECRET_FIELDS`, at any depth): 409
  `idempotency_secret_not_kept`, never a replay. The secret is never stored with the key (the row keeps
  the answer with those fields blanked, and which they were), so a copy of the database or a backup
  holds no working credential; a 201 without the secret would look like success to a client that then
  fails later, so the retry is told plainly that it was made and where, and what to do.

Keys live for `TTL` and are purged by the worker's schedule. A running request holds its key's row
locked; a key left uncommitted and unlocked by a request that failed without releasing it (the database
went away, the process was killed) is taken over by the next retry after `TAKEOVER_AFTER`.
"""

import hashlib
import json
import re
from datetime import timedelta
from functools import wraps

from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpResponse
from django.utils import timezone

from charter.core.errors import Conflict, ValidationError
from charter.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
ABANDONED = timedelta(minutes=2)  # longer than any request may run (the server's timeout is shorter)
TAKEOVER_AFTER = timedelta(seconds=5)  # covers the moment between the claim and the operation's lock
KEPT_HEADERS = ("Location", "ETag")
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, no spaces
_ATTR = "_idempotency_claim"
# Fields of an answer that hold a secret shown once (or a credential): never stored with a key.
SECRET_FIELDS = frozenset({"token", "secret", "link", "push_url", "password"})
RUNNING = f"A request with this {HEADER} is still running; retry in a moment to get its answer."


class InProgress(Conflict):
    code = "idempotency_in_progress"
    retry_after = 1  # seconds


class AnswerLost(Conflict):
    code = "idempotency_answer_lost"


class SecretNotKept(Conflict):
    code = "idempotency_secret_not_kept"


def _caller(actor) -> str:
    return f"token:{actor.token_id}" if actor.token_id else f"user:{actor.user_id}"


def _route(request) -> str:
    return f"{request.method} {request.get_full_path()}"[:300]


def _claim(request, key: str) -> IdempotencyKey | HttpResponse:
    """Take the key for this request, or answer from it (a replay, or a refusal)."""
    if not _KEY.match(key):
        raise ValidationError(
            f"{HEADER} must be 1 to 255 visible ASCII characters without spaces (a UUID is a good choice).",
            field=HEADER,
        )
    actor = request.auth
    now = timezone.now()
    scope = {"organization_id": actor.organization_id, "caller": _caller(actor), "key": key}
    fingerprint = {"route": _route(request), "body_hash": hashlib.sha256(request.body).hexdigest()}
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(**scope, **fingerprint, created_at=now, expires_at=now + TTL)
    except IntegrityError:
        pass
    with transaction.atomic():
        try:  # a running first request holds its row locked (PostgreSQL; SQLite runs one writer at a time)
            row = (
                IdempotencyKey.objects.for_org(actor.organization_id)
                .select_for_update(nowait=True)
                .filter(**scope)
                .first()
            )
        except OperationalError:
            raise InProgress(RUNNING) from None
        if row is None or row.expires_at <= now:  # expired (or purged meanwhile): a fresh claim
            IdempotencyKey.objects.for_org(actor.organization_id).filter(**scope).delete()
            return IdempotencyKey.objects.create(**scope, **fingerprint, created_at=now, expires_at=now + TTL)
        if row.route != fingerprint["route"]:
            raise ValidationError(
                f"This {HEADER} was used for another request ({row.route}); use a new key for a new request.",
                field=HEADER,
            )
        if row.body_hash != fingerprint["body_hash"]:
            raise ValidationError(
                f"This {HEADER} was used with another body on {row.route}; "
                "a retry must send the same body, a new request needs a new key.",
                field=HEADER,
            )
        abandoned = row.created_at <= now - ABANDONED
        if row.status_code == 0 or (row.status_code is None and row.committed and abandoned):
            raise AnswerLost(
                f"The request with this {HEADER} was carried out, but its answer was lost; "
                "look the result up (GET) rather than retrying it."
            )
        if row.status_code is not None and row.withheld:
            raise SecretNotKept(_not_kept(row))
        if row.status_code is not None:
            return _replay(row)
        if row.committed or row.created_at > now - TAKEOVER_AFTER:
            raise InProgress(RUNNING)  # finishing (its answer being stored), or just claimed
        # Not committed, not locked, not new: its request failed without releasing the key (the database
        # went away, the process was killed). Nothing was written, so this request takes over.
        row.created_at, row.expires_at = now, now + TTL
        row.save(update_fields=["created_at", "expires_at"])
        return row


def _not_kept(row: IdempotencyKey) -> str:
    where = row.headers.get("Location")
    made = f"what it created is at {where}" if where else "what it created exists"
    return (
        f"The request with this {HEADER} was carried out ({made}), but its answer held a secret "
        f"({', '.join(row.withheld)}) that is shown only once and never kept, so it cannot be replayed. "
        "If that answer was lost, revoke or delete what was created and make a new one with a new key."
    )


def _without_secrets(value, found: set[str]):
    """The JSON value with every secret field blanked (None), noting which were found."""
    if isinstance(value, dict):
        cleaned = {}
        for name, item in value.items():
            if name in SECRET_FIELDS and item is not None:
                found.add(name)
                cleaned[name] = None
            else:
                cleaned[name] = _without_secrets(item, found)
        return cleaned
    if isinstance(value, list):
        return [_without_secrets(item, found) for item in value]
    return value


def _storable(response) -> tuple[str, list[str]]:
    """The answer's body as it may be stored, and the secret fields left out of it."""
    body = response.content.decode("utf-8", errors="replace")
    if "json" not in response.get("Content-Type", ""):
        return body, []
    try:
        data = json.loads(body)
    except ValueError:
        return body, []
    found: set[str] = set()
    cleaned = _without_secrets(data, found)
    return (json.dumps(cleaned), sorted(found)) if found else (body, [])


def _replay(row: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(row.body, status=row.status_code, content_type=row.content_type or None)
    for name, value in row.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def _finish(row: IdempotencyKey, response) -> None:
    """Store a successful answer with the key; release the key after an error that made nothing."""
    keys = IdempotencyKey.objects.for_org(row.organization_id).filter(pk=row.pk)
    if response is None or not 200 <= response.status_code < 300:
        released, _ = keys.filter(committed=False).delete()
        if not released:  # it committed, then failed (the connection lost at COMMIT, an on-commit step)
            keys.update(status_code=0)
        return
    body, withheld = _storable(response)
    keys.update(
        status_code=response.status_code,
        content_type=response.get("Content-Type", ""),
        headers={h: response[h] for h in KEPT_HEADERS if h in response},
        body=body,
        withheld=withheld,
    )


def install(api) -> None:
    """Wire the key into every operation of `api` with ninja's public decorators (see `main.install_checks`
    for their order with the permission guard)."""
    api.add_decorator(_stored, mode="view")
    api.add_decorator(_claimed, mode="operation")


def _claimed(view_func):
    """Operation decorator: after authentication, the guard and the parsing of the input, a POST with a key
    claims it (or is answered from it), and its body runs in one transaction with the key's `committed`."""

    @wraps(view_func)
    def claimed(request, *args, **kwargs):
        key = request.headers.get(HEADER) if request.method == "POST" else None
        if key is None:
            return view_func(request, *args, **kwargs)
        claim = _claim(request, key.strip())
        if isinstance(claim, HttpResponse):
            return claim  # ninja passes a response through untouched
        setattr(request, _ATTR, claim)
        with transaction.atomic():  # the operation and the key's `committed` commit together
            keys = IdempotencyKey.objects.for_org(claim.organization_id).filter(pk=claim.pk)
            keys.select_for_update().first()  # held while it runs: a retry sees it is in progress
            result = view_func(request, *args, **kwargs)
            keys.update(committed=True)
        return result

    return claimed


def _stored(run):
    """View decorator: once ninja has made the response (an error too), store it with the claimed key, or
    release the key. A request that claimed nothing passes through."""

    @wraps(run)
    def stored(request, *args, **kwargs):
        response = None
        try:
            response = run(request, *args, **kwargs)
            return response
        finally:
            claim = getattr(request, _ATTR, None)
            if claim is not None:
                _finish(claim, response)

    return stored


def document(schema: dict) -> None:
    """Add the header to every POST operation of the OpenAPI document."""
    parameter = {
        "name": HEADER,
        "in": "header",
        "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": _KEY.pattern},
        "description": (
            "Makes a retry safe: the same key with the same body creates one object and replays the first "
            f"answer (with `{REPLAYED_HEADER}: true`) for {int(TTL.total_seconds() // 3600)} hours. "
            "The same key while the first request runs answers 409; with another body, 422. "
            "An answer that held a secret shown once (a token, a signing secret, a link, a push URL) is "
            "never stored, so its retry answers 409 `idempotency_secret_not_kept` saying where the "
            "object it made is. "
            "Keys are per caller and organization."
        ),
    }
    for operations in schema["paths"].values():
        if "post" in operations:
            parameters = operations["post"].setdefault("parameters", [])
            if not any(p.get("name") == HEADER for p in parameters):
                parameters.append(parameter)
