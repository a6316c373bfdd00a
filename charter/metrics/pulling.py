"""Running a data source: fetch and read a number, or take a pushed one, then write it as its creator.

A failure of any step is stored on the source (error, time, count, next retry with backoff) and in its
run log, and writes nothing: the value and the run are recorded in one transaction.
"""

import json
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from charter.core import outbound
from charter.core.actor import Actor
from charter.core.crypto import token_hash
from charter.core.errors import DomainError, ValidationError
from charter.goals.services import check_in_record
from charter.organizations.selectors import actor_for

from . import extract, rules, selectors
from .models import DataSource, SourceRun
from .services import metric_value_record

DEFAULT_CONFIDENCE = 5


class PullError(Exception):
    """Fetching or reading the source failed; the message is shown on the source."""


@dataclass(frozen=True)
class Result:
    ok: bool
    value: float | None
    error: str


def fetch(url: str, *, allow_private: bool) -> bytes:
    """GET the document from the checked address; PullError for anything but a 2xx body."""
    try:
        answer = outbound.request(
            "GET", url, headers={"User-Agent": "Charter-Sources/1"}, allow_private=allow_private
        )
    except outbound.OutboundError as exc:
        raise PullError(str(exc)) from None
    if not answer.ok:
        raise PullError(answer.describe())
    return answer.body


def read_value(source: DataSource, body: bytes) -> float:
    """The number in a fetched document, as the source's path or column says."""
    text = body.decode("utf-8-sig", errors="replace")
    try:
        if source.kind == DataSource.Kind.JSON:
            try:
                document = json.loads(text)
            except ValueError as exc:
                raise PullError(f"The answer is not valid JSON: {exc}") from None
            except RecursionError:
                raise PullError("The answer is JSON nested too deeply to read.") from None
            return extract.to_number(extract.json_value(document, source.json_path))
        return extract.to_number(extract.csv_value(text, source.csv_column, source.csv_row))
    except extract.ExtractError as exc:
        raise PullError(str(exc)) from None


def _write(source: DataSource, value: float, now) -> None:
    """Record the value as the source's creator (via "source"); a refusal raises DomainError."""
    actor = source.created_by and actor_for(
        user=source.created_by, organization=source.organization, via="source"
    )
    if actor is None:
        raise PullError("The person who created this source is no longer a member; recreate the source.")
    note = f"From the data source “{source.name}”."
    if source.metric_id:
        metric_value_record(
            actor=actor, metric_id=source.metric_id, value=value, note=note, source_id=source.pk
        )
        return
    kr = source.key_result
    confidence = kr.confidence if kr.confidence is not None else DEFAULT_CONFIDENCE
    check_in_record(actor=actor, key_result_id=kr.pk, value=value, confidence=confidence, note=note)


def _record(source: DataSource, started, result: Result, trigger: str, duration_ms: int) -> None:
    now = timezone.now()
    SourceRun.objects.create(
        organization_id=source.organization_id,
        source=source,
        started_at=started,
        ok=result.ok,
        value=result.value,
        error=result.error[:1000],
        duration_ms=duration_ms,
        trigger=trigger,
    )
    if result.ok:
        source.last_success_at, source.last_value, source.consecutive_failures = now, result.value, 0
        source.next_run_at = now + timedelta(minutes=source.interval_minutes)
    else:
        source.last_error, source.last_error_at = result.error[:1000], now
        source.consecutive_failures += 1
        delay = rules.retry_delay_seconds(source.consecutive_failures)
        source.next_run_at = now + timedelta(seconds=min(delay, source.interval_minutes * 60))
    source.save(
        update_fields=[
            "last_success_at",
            "last_value",
            "consecutive_failures",
            "last_error",
            "last_error_at",
            "next_run_at",
            "updated_at",
        ]
    )


def apply(source: DataSource, obtain, *, trigger: str) -> Result:
    """Get a value by calling `obtain()`, write it, and log the run; never raises for a source's fault."""
    started, clock = timezone.now(), time.monotonic()
    value = None
    try:
        value = obtain()
        with transaction.atomic():
            _write(source, value, started)
            result = Result(True, value, "")
            _record(source, started, result, trigger, int((time.monotonic() - clock) * 1000))
        return result
    except (PullError, DomainError) as exc:
        result = Result(False, value, str(getattr(exc, "message", exc)))
    with transaction.atomic():
        _record(source, started, result, trigger, int((time.monotonic() - clock) * 1000))
    return result


def pull(source: DataSource, *, trigger: str = "schedule") -> Result:
    """Fetch and read a pulled source once, write the value, log the run."""
    if not source.is_pull:
        raise PullError("An inbound source is pushed to; there is nothing to pull.")
    return apply(
        source,
        lambda: read_value(source, fetch(source.url, allow_private=source.allow_private)),
        trigger=trigger,
    )


def load(source_id: int) -> DataSource | None:
    """The source with what a run needs, across organizations (the worker has no actor)."""
    return load_by(pk=source_id)


def due_source_ids(now) -> list[int]:
    """Active pulled sources whose next run has come (or that never ran)."""
    due = DataSource.objects.unscoped().filter(is_active=True).exclude(kind=DataSource.Kind.INBOUND)
    due = due.filter(next_run_at__isnull=True) | due.filter(next_run_at__lte=now)
    return list(due.values_list("pk", flat=True))


def source_run_now(*, actor: Actor, source_id: int) -> SourceRun:
    """ "Pull now" from the page or the API: runs at once (outside any transaction) and returns the run."""
    actor.require("metric.manage", f"Your role ({actor.role}) may not run data sources.")
    source = selectors.source_get(actor=actor, source_id=source_id)
    if not source.is_pull:
        raise ValidationError("An inbound source is pushed to; there is nothing to pull.", field="kind")
    pull(load(source.pk), trigger="manual")
    return source.runs.order_by("-started_at", "-id").first()


def inbound_source(token: str) -> DataSource | None:
    """The active inbound source a token opens, or None: the token is its only credential."""
    if not token or len(token) > 64:
        return None
    return load_by(token_hash=token_hash(token), kind=DataSource.Kind.INBOUND, is_active=True)


def load_by(**lookup) -> DataSource | None:
    return (
        DataSource.objects.unscoped()
        .select_related("organization", "created_by", "key_result")
        .filter(**lookup)
        .first()
    )


def inbound_receive(source: DataSource, raw) -> Result:
    """Write a pushed value; a non-number is a logged failure that writes nothing."""

    def obtain():
        try:
            return extract.to_number(raw)
        except extract.ExtractError as exc:
            raise PullError(str(exc)) from None

    return apply(source, obtain, trigger="inbound")
