"""Pydantic In/Out schemas of notifications and webhooks, shared by the API and other interfaces."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from charter.core.schemas import InSchema


class NotificationOut(Schema):
    id: int
    event: str
    title: str
    body: str
    url: str
    object_type: str = Field(
        description="What it is about, such as `decision`; empty when about no one object."
    )
    object_id: int | None = Field(description="The id of that object (its type's API resource), or null.")
    actor_id: int | None
    read_at: datetime | None
    created_at: datetime


class NotificationFilters(Schema):
    unread: bool | None = Field(None, description="true: only unread; false: only read.")
    event: str | None = Field(None, description="Only this event code, such as `decision.needs_you`.")


class MarkedOut(Schema):
    marked: int = Field(description="How many notifications were marked read.")


class PreferenceOut(Schema):
    event: str
    label: str
    in_app: bool
    email: bool


class PreferenceIn(InSchema):
    event: str
    in_app: bool
    email: bool


class WebhookIn(InSchema):
    name: str
    url: str
    events: list[str] = []
    is_active: bool = True
    allow_private: bool = Field(False, description="Allow private, loopback and reserved addresses.")
    format: Literal["charter", "teams"] = Field(
        "charter", description="`charter`: Charter's JSON (Slack-compatible); `teams`: an Adaptive Card."
    )


class WebhookPatch(InSchema):
    name: str | None = None
    url: str | None = None
    events: list[str] | None = None
    is_active: bool | None = None
    allow_private: bool | None = None
    format: Literal["charter", "teams"] | None = None


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    is_active: bool
    allow_private: bool
    format: str
    consecutive_failures: int
    disabled_reason: str
    created_at: datetime


class WebhookWithSecretOut(WebhookOut):
    secret: str = Field(description="Signs each delivery (HMAC-SHA256); shown to admins only.")


class AttemptOut(Schema):
    number: int
    ok: bool
    response_code: int | None
    error: str
    duration_ms: int
    created_at: datetime


class DeliveryOut(Schema):
    id: int
    event: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    attempt_log: list[AttemptOut] = Field(alias="attempt_log")

    @staticmethod
    def resolve_attempt_log(obj):
        return list(obj.attempt_log.all())
