"""Block Kit for what Charter shows in Slack, built with slack_sdk's block classes (which check Slack's
limits as they turn into JSON): the check-in modal, the advice modal, the brief and the notifications."""

import json

from django.conf import settings
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

CHECK_IN_VIEW = "charter_checkin"
ADVICE_VIEW = "charter_advice"
SECTION_LIMIT = 3000  # characters of a section's text
MAX_KEY_RESULTS = 24  # four blocks each, within a modal's hundred
NOTE_LENGTH = 2000

# The buttons on notifications: action_id -> what it does.
AGREE, ADVISE, DECIDE = "decision_agree", "decision_advise", "decision_decide"
CONFIRM, CHECK_IN = "backbrief_confirm", "checkin_open"


def escape(text: str) -> str:
    """Text a person wrote, shown in mrkdwn as written (Slack's three control characters escaped)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link(url: str) -> str:
    return f"{settings.CHARTER_BASE_URL}{url}" if url.startswith("/") else url


def _dicts(blocks) -> list[dict]:
    return [b.to_dict() for b in blocks]


# ---- the check-in modal ---------------------------------------------------------------------------------


def value_block(kr_id: int) -> str:
    return f"kr{kr_id}_value"


def confidence_block(kr_id: int) -> str:
    return f"kr{kr_id}_confidence"


def note_block(kr_id: int) -> str:
    return f"kr{kr_id}_note"


def _number(value) -> str:
    return "" if value is None else f"{value:g}"


def _kr_line(kr) -> str:
    now = _number(kr.current if kr.current is not None else kr.start) or "nothing yet"
    target = _number(kr.target)
    unit = f" {escape(kr.unit)}" if getattr(kr, "unit", "") else ""
    return cut(
        f"*{escape(kr.title)}*\n{escape(kr.goal.title)} · now {now}{unit}, target {target}{unit}", 3000
    )


def _confidence_options():
    return [Option(value=str(n), text=str(n)) for n in range(11)]


def check_in_view(key_results, *, organization: str) -> dict:
    """One section and three inputs per key result; a value left empty records nothing for it."""
    shown = list(key_results)[:MAX_KEY_RESULTS]
    blocks = [
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=cut(
                        f"{escape(organization)}: a value for each key result you checked this week; "
                        "leave it empty to skip one. Confidence: 0 no chance, 10 certain.",
                        3000,
                    )
                )
            ]
        )
    ]
    if not shown:
        blocks.append(SectionBlock(text="Nothing to check in on: no key result of yours in an open cycle."))
    options = _confidence_options()
    for kr in shown:
        current = kr.current if kr.current is not None else kr.start
        confidence = None if kr.confidence is None else options[kr.confidence]
        blocks += [
            SectionBlock(text=MarkdownTextObject(text=_kr_line(kr))),
            InputBlock(
                block_id=value_block(kr.pk),
                label="Value",
                optional=True,
                element=PlainTextInputElement(action_id="value", initial_value=_number(current) or None),
            ),
            InputBlock(
                block_id=confidence_block(kr.pk),
                label="Confidence (0 to 10)",
                optional=True,
                element=StaticSelectElement(
                    action_id="confidence", options=options, initial_option=confidence
                ),
            ),
            InputBlock(
                block_id=note_block(kr.pk),
                label="Note",
                optional=True,
                element=PlainTextInputElement(action_id="note", multiline=True, max_length=NOTE_LENGTH),
            ),
        ]
    if len(list(key_results)) > MAX_KEY_RESULTS:
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text="More key results: check in on the web.")])
        )
    view = View(
        type="modal",
        callback_id=CHECK_IN_VIEW,
        title="Weekly check-in",
        submit="Save" if shown else None,
        close="Cancel",
        blocks=blocks,
        private_metadata=json.dumps([kr.pk for kr in shown]),
    )
    return view.to_dict()


def check_in_values(view: dict) -> tuple[list[int], dict[int, dict]]:
    """The key results the modal showed and, for each, the raw inputs the person gave."""
    try:
        shown = [int(pk) for pk in json.loads(view.get("private_metadata") or "[]")]
    except (TypeError, ValueError):
        shown = []
    state = (view.get("state") or {}).get("values") or {}
    given = {}
    for pk in shown:
        value = (state.get(value_block(pk)) or {}).get("value") or {}
        confidence = (state.get(confidence_block(pk)) or {}).get("confidence") or {}
        note = (state.get(note_block(pk)) or {}).get("note") or {}
        given[pk] = {
            "value": (value.get("value") or "").strip(),
            "confidence": ((confidence.get("selected_option") or {}).get("value") or "").strip(),
            "note": (note.get("value") or "").strip(),
        }
    return shown, given


# ---- advice -------------------------------------------------------------------------------------------


def advice_view(decision_id: int, title: str) -> dict:
    view = View(
        type="modal",
        callback_id=ADVICE_VIEW,
        title="Give advice",
        submit="Send advice",
        close="Cancel",
        private_metadata=str(decision_id),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=cut(f"*{escape(title)}*", SECTION_LIMIT))),
            InputBlock(
                block_id="advice",
                label="Your advice",
                element=PlainTextInputElement(action_id="advice", multiline=True, max_length=NOTE_LENGTH),
            ),
        ],
    )
    return view.to_dict()


# ---- messages -----------------------------------------------------------------------------------------


def notification_blocks(notification) -> list[dict]:
    """A notification as a message: what it says, its body, and the buttons to act on it from Slack."""
    title = escape(notification.title)
    text = f"<{link(notification.url)}|{title}>" if notification.url else title
    blocks = [SectionBlock(text=MarkdownTextObject(text=cut(text, SECTION_LIMIT)))]
    if notification.body:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=cut(escape(notification.body), 2000))]))
    buttons = _buttons(notification)
    if notification.url:
        buttons.append(ButtonElement(text="Open in Charter", action_id="open", url=link(notification.url)))
    if buttons:
        blocks.append(ActionsBlock(block_id=f"notification_{notification.pk}", elements=buttons))
    return _dicts(blocks)


def _buttons(notification) -> list[ButtonElement]:
    value = str(notification.object_id or "")
    if notification.event == "decision.needs_you" and notification.object_type == "decision":
        return [
            ButtonElement(text="Agree", action_id=AGREE, value=value, style="primary"),
            ButtonElement(text="Advise", action_id=ADVISE, value=value),
            ButtonElement(text="Decide", action_id=DECIDE, value=value),
        ]
    if notification.event == "back_brief.submitted" and notification.object_type == "back_brief":
        return [ButtonElement(text="Confirm", action_id=CONFIRM, value=value, style="primary")]
    if notification.event == "check_in.due":
        return [ButtonElement(text="Check in", action_id=CHECK_IN, value="week", style="primary")]
    return []


def text_blocks(markdown: str) -> list[dict]:
    """Markdown (a brief) as mrkdwn sections, each within Slack's limit."""
    lines = []
    for line in markdown.splitlines():
        stripped = line.lstrip("#").strip()
        line = f"*{escape(stripped)}*" if line.startswith("#") else escape(line).replace("**", "*")
        lines.append(line)
    blocks, chunk = [], ""
    for line in lines:
        if len(chunk) + len(line) + 1 > SECTION_LIMIT:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=chunk or " ")))
            chunk = ""
        chunk = f"{chunk}\n{cut(line, SECTION_LIMIT - 1)}" if chunk else cut(line, SECTION_LIMIT - 1)
    if chunk:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=chunk)))
    if len(blocks) > 48:
        blocks = [
            *blocks[:48],
            DividerBlock(),
            SectionBlock(text="The rest is on the web: your brief is long."),
        ]
    return _dicts(blocks)
