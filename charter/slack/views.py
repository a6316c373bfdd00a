"""Slack's requests (slash commands, clicks and modal submissions), each checked with the signing secret
of the workspace it names; and the settings page where an owner or admin enters the installation."""

import json
import logging
from urllib.parse import parse_qs

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from slack_sdk.signature import SignatureVerifier

from charter.core.http import call_with_form, public, requires

from . import blocks, handlers, selectors, services, tasks
from .forms import SlackSettingsForm

logger = logging.getLogger(__name__)
MAX_BODY = 1_000_000
REFUSED = (
    "The request is not signed by this Slack workspace (or its signature is more than five minutes old)."
)


def _form(body: bytes) -> dict[str, str]:
    try:
        return {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
    except UnicodeDecodeError:
        return {}


def _verified(request, team_id: str):
    """The installation of the workspace the request names, when the request carries that workspace's
    valid signature made within five minutes; None otherwise (then nothing is read or written)."""
    installation = selectors.installation_for_team(team_id=team_id)
    if installation is None or not installation.signing_secret:
        return None
    verifier = SignatureVerifier(installation.signing_secret)
    ok = verifier.is_valid(
        body=request.body,
        timestamp=request.headers.get("X-Slack-Request-Timestamp", ""),
        signature=request.headers.get("X-Slack-Signature", ""),
    )
    return installation if ok else None


def _refused():
    return HttpResponse(REFUSED, status=401, content_type="text/plain; charset=utf-8")


def _ephemeral(text: str):
    return JsonResponse({"response_type": "ephemeral", "text": text})


@public
@csrf_exempt
@require_POST
def commands(request):
    """`/charter checkin`, `/charter brief`, `/charter help`: acknowledged at once, the work done by the
    worker (the modal opens, the brief arrives through the command's response URL)."""
    if len(request.body) > MAX_BODY:
        return _refused()
    data = _form(request.body)
    installation = _verified(request, data.get("team_id", ""))
    if installation is None:
        return _refused()
    words = data.get("text", "").strip().lower().split()
    command = {"checkin": "checkin", "check-in": "checkin", "brief": "brief"}.get(words[0] if words else "")
    if command is None:
        return _ephemeral(handlers.HELP)
    tasks.command_run.enqueue(
        installation_id=installation.pk,
        slack_user_id=data.get("user_id", ""),
        command=command,
        trigger_id=data.get("trigger_id", ""),
        response_url=data.get("response_url", ""),
    )
    return HttpResponse(status=200)


@public
@csrf_exempt
@require_POST
def interactions(request):
    """A click on a button Charter posted (block_actions) or a modal sent (view_submission)."""
    if len(request.body) > MAX_BODY:
        return _refused()
    try:
        payload = json.loads(_form(request.body).get("payload", ""))
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        return _refused()
    installation = _verified(request, str((payload.get("team") or {}).get("id", "")))
    if installation is None:
        return _refused()
    slack_user_id = str((payload.get("user") or {}).get("id", ""))
    kind = payload.get("type")
    if kind == "block_actions":
        return _block_actions(installation, slack_user_id, payload)
    if kind == "view_submission":
        view = payload.get("view") or {}
        callback = view.get("callback_id")
        if callback == blocks.CHECK_IN_VIEW:
            errors = handlers.check_in_submit(installation, slack_user_id, view)
        elif callback == blocks.ADVICE_VIEW:
            errors = handlers.advice_submit(installation, slack_user_id, view)
        else:
            return HttpResponse(status=200)
        if errors:
            return JsonResponse({"response_action": "errors", "errors": errors})
        return JsonResponse({"response_action": "clear"})
    return HttpResponse(status=200)  # a modal closed, and anything Charter does not act on


def _block_actions(installation, slack_user_id: str, payload: dict):
    response_url = payload.get("response_url", "")
    for action in payload.get("actions") or []:
        action_id, value = action.get("action_id", ""), str(action.get("value", ""))
        if action_id == blocks.CHECK_IN:
            tasks.command_run.enqueue(
                installation_id=installation.pk,
                slack_user_id=slack_user_id,
                command="checkin",
                trigger_id=payload.get("trigger_id", ""),
                response_url=response_url,
            )
        elif action_id == blocks.ADVISE and value.isdigit():
            tasks.advice_open.enqueue(
                installation_id=installation.pk,
                slack_user_id=slack_user_id,
                decision_id=int(value),
                trigger_id=payload.get("trigger_id", ""),
                response_url=response_url,
            )
        elif action_id in (blocks.AGREE, blocks.DECIDE, blocks.CONFIRM):
            said = handlers.button(installation, slack_user_id, action_id, value)
            tasks.respond.enqueue(response_url=response_url, text=said)
    return HttpResponse(status=200)


# ---- settings ---------------------------------------------------------------------------------------


@requires("slack.manage")
def slack_settings(request):
    installation = selectors.installation_get(actor=request.actor)
    initial = {"team_id": installation.team_id, "is_active": installation.is_active} if installation else {}
    form = SlackSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(form, services.installation_save, actor=request.actor, **form.cleaned_data)
        if saved is not None:
            messages.success(request, "Slack settings saved.")
            return redirect("slack_settings")
    context = {
        "form": form,
        "installation": installation,
        "commands_url": request.build_absolute_uri(reverse("slack_commands")),
        "interactions_url": request.build_absolute_uri(reverse("slack_interactions")),
    }
    return render(request, "slack/settings.html", context, status=422 if form.errors else 200)
