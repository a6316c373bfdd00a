"""Web pages of notifications: the inbox, the badge, preferences, and the webhook admin pages."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from charter.core.http import call_with_form, requires

from . import catalog, selectors, services, webhooks
from .forms import PreferencesForm, WebhookForm

PAGE_SIZE = 50


@requires("organization.view")
def notification_list(request):
    actor, params = request.actor, request.GET
    event = params.get("event") if params.get("event") in catalog.BY_CODE else None
    unread = {"1": True, "0": False}.get(params.get("unread", ""))
    rows = selectors.notification_list(actor=actor, unread=unread, event=event)
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    context = {"page": page, "event": event, "unread": unread, "events": catalog.EVENTS}
    template = "notifications/notification_list.html"
    return render(request, f"{template}#inbox" if request.htmx else template, context)


@requires("notification.manage")
@require_POST
def notification_read(request, notification_id: int):
    n = services.notification_mark_read(actor=request.actor, notification_id=notification_id)
    if request.htmx:
        return render(request, "notifications/notification_list.html#row", {"n": n})
    return redirect("notification_list")


@requires("notification.manage")
@require_POST
def notification_read_all(request):
    event = request.POST.get("event") if request.POST.get("event") in catalog.BY_CODE else None
    count = services.notification_mark_all_read(actor=request.actor, event=event)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("notification_list")


@requires("organization.view")
def notification_badge(request):
    count = selectors.notification_unread_count(actor=request.actor)
    return render(request, "notifications/_badge.html", {"count": count})


@requires("organization.view")
def notification_preferences(request):
    actor = request.actor
    form = PreferencesForm(request.POST or None, table=selectors.preference_table(actor=actor))
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(form, services.preferences_set, actor=actor, choices=form.choices())
        if saved is not None:
            messages.success(request, "Your notification choices are saved.")
            return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# ---- webhooks (admins) ----------------------------------------------------------------------------


@requires("webhook.manage")
def webhook_list(request):
    return render(
        request, "notifications/webhook_list.html", {"webhooks": selectors.webhook_list(actor=request.actor)}
    )


def _render_webhook_form(request, form, webhook=None, status=200):
    return render(
        request, "notifications/webhook_form.html", {"form": form, "webhook": webhook}, status=status
    )


@requires("webhook.manage")
def webhook_create(request):
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        webhook = call_with_form(form, webhooks.webhook_create, actor=request.actor, **form.cleaned_data)
        if webhook is not None:
            messages.success(request, f"Webhook “{webhook.name}” created. Its secret signs every delivery.")
            return redirect("webhook_edit", webhook_id=webhook.pk)
    return _render_webhook_form(request, form, status=422 if form.errors else 200)


@requires("webhook.manage")
def webhook_edit(request, webhook_id: int):
    webhook = selectors.webhook_get(actor=request.actor, webhook_id=webhook_id)
    initial = {
        k: getattr(webhook, k) for k in ("name", "url", "events", "is_active", "allow_private", "format")
    }
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            form, webhooks.webhook_update, actor=request.actor, webhook_id=webhook.pk, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, f"Webhook “{saved.name}” saved.")
            return redirect("webhook_list")
    return _render_webhook_form(request, form, webhook, status=422 if form.errors else 200)


@requires("webhook.manage")
@require_POST
def webhook_delete(request, webhook_id: int):
    webhooks.webhook_delete(actor=request.actor, webhook_id=webhook_id)
    messages.success(request, "Webhook deleted.")
    return redirect("webhook_list")


@requires("webhook.manage")
@require_POST
def webhook_test(request, webhook_id: int):
    webhooks.webhook_test(actor=request.actor, webhook_id=webhook_id)
    messages.success(request, "Test delivery queued: the worker sends it within seconds; see the log below.")
    return redirect("webhook_deliveries", webhook_id=webhook_id)


@requires("webhook.manage")
def webhook_deliveries(request, webhook_id: int):
    webhook = selectors.webhook_get(actor=request.actor, webhook_id=webhook_id)
    rows = selectors.webhook_deliveries(actor=request.actor, webhook_id=webhook.pk)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/webhook_deliveries.html", {"webhook": webhook, "page": page})
