"""API of the inbox, notification preferences and webhooks: parse, one call, schema out."""

from ninja import Query, Router
from ninja.pagination import paginate

from charter.core.api import Paginated, action

from . import selectors, services, webhooks
from .schemas import (
    DeliveryOut,
    MarkedOut,
    NotificationFilters,
    NotificationOut,
    PreferenceIn,
    PreferenceOut,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
    WebhookWithSecretOut,
)

router = Router(tags=["notifications"])
OWN = action("organization.view")  # the inbox and preferences are each person's own
OWN_WRITE = action("notification.manage")  # changing them is a write: a read-only token may not
ADMIN = action("webhook.manage")


@router.get(
    "/notifications", response=list[NotificationOut], operation_id="notification_list", openapi_extra=OWN
)
@paginate(Paginated)
def notification_list(request, filters: Query[NotificationFilters]):
    """My notifications, unread first."""
    return selectors.notification_list(actor=request.auth, **filters.model_dump())


@router.post(
    "/notifications/read-all",
    response=MarkedOut,
    operation_id="notification_mark_all_read",
    openapi_extra=OWN_WRITE,
)
def notification_mark_all_read(request, event: str | None = None):
    return {"marked": services.notification_mark_all_read(actor=request.auth, event=event)}


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    operation_id="notification_mark_read",
    openapi_extra=OWN_WRITE,
)
def notification_mark_read(request, notification_id: int):
    """Mark one of my notifications read; someone else's answers 404."""
    return services.notification_mark_read(actor=request.auth, notification_id=notification_id)


@router.get(
    "/notification-preferences",
    response=list[PreferenceOut],
    operation_id="notification_preference_list",
    openapi_extra=OWN,
)
def notification_preference_list(request):
    rows = selectors.preference_table(actor=request.auth)
    return [
        {"event": r["event"].code, "label": r["event"].label, "in_app": r["in_app"], "email": r["email"]}
        for r in rows
    ]


@router.put(
    "/notification-preferences",
    response=list[PreferenceOut],
    operation_id="notification_preference_set",
    openapi_extra=OWN_WRITE,
)
def notification_preference_set(request, payload: list[PreferenceIn]):
    """Set my channels for the events given; the others keep theirs."""
    choices = {p.event: {"in_app": p.in_app, "email": p.email} for p in payload}
    services.preferences_set(actor=request.auth, choices=choices)
    return notification_preference_list(request)


# ---- webhooks (admins) ----------------------------------------------------------------------------


@router.get("/webhooks", response=list[WebhookOut], operation_id="webhook_list", openapi_extra=ADMIN)
@paginate(Paginated)
def webhook_list(request):
    return selectors.webhook_list(actor=request.auth)


@router.post(
    "/webhooks", response={201: WebhookWithSecretOut}, operation_id="webhook_create", openapi_extra=ADMIN
)
def webhook_create(request, payload: WebhookIn):
    return 201, webhooks.webhook_create(actor=request.auth, **payload.model_dump())


@router.get(
    "/webhooks/{webhook_id}", response=WebhookWithSecretOut, operation_id="webhook_get", openapi_extra=ADMIN
)
def webhook_get(request, webhook_id: int):
    return selectors.webhook_get(actor=request.auth, webhook_id=webhook_id)


@router.patch(
    "/webhooks/{webhook_id}", response=WebhookOut, operation_id="webhook_update", openapi_extra=ADMIN
)
def webhook_update(request, webhook_id: int, payload: WebhookPatch):
    values = payload.model_dump(exclude_unset=True, exclude_none=True)
    return webhooks.webhook_update(actor=request.auth, webhook_id=webhook_id, **values)


@router.delete(
    "/webhooks/{webhook_id}", response={204: None}, operation_id="webhook_delete", openapi_extra=ADMIN
)
def webhook_delete(request, webhook_id: int):
    webhooks.webhook_delete(actor=request.auth, webhook_id=webhook_id)
    return 204, None


@router.post(
    "/webhooks/{webhook_id}/test",
    response={202: DeliveryOut},
    operation_id="webhook_test",
    openapi_extra=ADMIN,
)
def webhook_test(request, webhook_id: int):
    """Queue a test delivery; the worker sends it and logs the attempt."""
    return 202, webhooks.webhook_test(actor=request.auth, webhook_id=webhook_id)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response=list[DeliveryOut],
    operation_id="webhook_delivery_list",
    openapi_extra=ADMIN,
)
@paginate(Paginated)
def webhook_delivery_list(request, webhook_id: int):
    return selectors.webhook_deliveries(actor=request.auth, webhook_id=webhook_id)
