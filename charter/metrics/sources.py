"""Writes on data sources: create, change, delete; the address guard runs on save (and again at fetch)."""

import secrets

from django.db import transaction

from charter.core import outbound
from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.crypto import audited, token_hash
from charter.core.errors import PermissionDenied, ValidationError
from charter.goals.selectors import key_result_get

from . import extract, selectors
from .models import DataSource

SOURCE_FIELDS = ("name", "url", "json_path", "csv_column", "csv_row", "interval_minutes", "is_active")
MIN_INTERVAL, MAX_INTERVAL = 5, 7 * 24 * 60


def _check_pull(kind: str, values: dict, allow_private: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not values["url"]:
        errors["url"] = ["A pulled source needs the URL to fetch."]
    else:
        try:
            outbound.check_url(values["url"], allow_private=allow_private, resolve_host=False)
        except outbound.ForbiddenTarget as exc:
            errors["url"] = [str(exc)]
    if kind == DataSource.Kind.JSON:
        try:
            extract.parse_path(values["json_path"])
        except extract.ExtractError as exc:
            errors["json_path"] = [str(exc)]
    if kind == DataSource.Kind.CSV and not values["csv_column"]:
        errors["csv_column"] = ["Name the CSV column (its header, or its position counted from 0)."]
    if not MIN_INTERVAL <= values["interval_minutes"] <= MAX_INTERVAL:
        errors["interval_minutes"] = [f"Pull every {MIN_INTERVAL} to {MAX_INTERVAL} minutes."]
    return errors


def _validated(kind: str, values: dict, allow_private: bool) -> dict:
    values = {**values, **{k: (values[k] or "").strip() for k in ("name", "url", "json_path", "csv_column")}}
    errors: dict[str, list[str]] = {}
    if not values["name"]:
        errors["name"] = ["Give the source a name."]
    if kind not in DataSource.Kind.values:
        errors["kind"] = ["Choose inbound, JSON pull or CSV pull."]
    elif kind != DataSource.Kind.INBOUND:
        errors.update(_check_pull(kind, values, allow_private))
    else:
        values["url"] = ""  # pushed to: it fetches nothing, and keeps no address it could be turned to
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors=errors)
    return values


def _require_private_right(actor: Actor, allow_private: bool) -> None:
    if allow_private and not actor.can("organization.manage"):
        raise PermissionDenied(
            "Only an admin may allow private addresses for a data source, or change the URL of one "
            "that allows them."
        )


def _target(actor: Actor, metric_id: int | None, key_result_id: int | None) -> dict:
    if (metric_id is None) == (key_result_id is None):
        raise ValidationError("A source feeds exactly one metric or one key result.", field="metric_id")
    if metric_id is not None:
        return {"metric": selectors.metric_get(actor=actor, metric_id=metric_id)}
    return {"key_result": key_result_get(actor=actor, key_result_id=key_result_id)}


def source_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    metric_id: int | None = None,
    key_result_id: int | None = None,
    url: str = "",
    json_path: str = "",
    csv_column: str = "",
    csv_row: int = -1,
    interval_minutes: int = 60,
    is_active: bool = True,
    allow_private: bool = False,
) -> DataSource:
    actor.require("metric.manage", f"Your role ({actor.role}) may not manage data sources.")
    _require_private_right(actor, allow_private)
    values = _validated(kind, {k: v for k, v in locals().items() if k in SOURCE_FIELDS}, allow_private)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        source = DataSource.objects.create(
            organization=actor.organization,
            kind=kind,
            token_hash=token_hash(token),
            allow_private=allow_private,
            created_by=actor.user,
            **_target(actor, metric_id, key_result_id),
            **values,
        )
        audit(
            actor,
            "data_source.create",
            source,
            audited({**values, "kind": kind, "allow_private": allow_private}, "url"),
        )
    source.token = token  # only on the object just created: the one moment the token is known
    return source


def source_update(*, actor: Actor, source_id: int, **fields) -> DataSource:
    """Change the fields given; a changed address or reading starts the failure count afresh."""
    actor.require("metric.manage", f"Your role ({actor.role}) may not manage data sources.")
    with transaction.atomic():
        source = selectors.source_get(actor=actor, source_id=source_id)
        allow_private = fields.get("allow_private", source.allow_private)
        merged = {k: fields[k] if fields.get(k) is not None else getattr(source, k) for k in SOURCE_FIELDS}
        # The right covers where the source connects, not only the flag: turning it on, or pointing a
        # source that has it at another address, takes an admin.
        moved = (merged["url"] or "").strip() != source.url
        if allow_private != source.allow_private or (allow_private and moved):
            _require_private_right(actor, allow_private)
        values = {**_validated(source.kind, merged, allow_private), "allow_private": allow_private}
        changes = changed_fields(source, values)
        if changes:
            source.consecutive_failures, source.next_run_at = 0, None
            source.save()
            audit(actor, "data_source.update", source, audited(changes, "url"))
    return source


def source_delete(*, actor: Actor, source_id: int) -> None:
    actor.require("metric.manage", f"Your role ({actor.role}) may not manage data sources.")
    with transaction.atomic():
        source = selectors.source_get(actor=actor, source_id=source_id)
        audit(actor, "data_source.delete", source, {"name": source.name})
        source.delete()
