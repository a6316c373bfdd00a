"""A checker of the Adaptive Card structure for the elements Charter sends (schema 1.4 and later).

The published JSON schema cannot be fetched here, so this checks what it says of the parts we use:
required properties, their types and enumerations, and no property the schema does not know.
Returns the list of problems, each with its path; an empty list means the card is valid.
"""

from urllib.parse import urlsplit

SIZES = {"Default", "Small", "Medium", "Large", "ExtraLarge"}
WEIGHTS = {"Default", "Lighter", "Bolder"}
COLORS = {"Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"}

TEXT_BLOCK = {
    "required": {"type": str, "text": str},
    "optional": {
        "size": SIZES,
        "weight": WEIGHTS,
        "color": COLORS,
        "wrap": bool,
        "isSubtle": bool,
        "maxLines": int,
        "id": str,
        "spacing": {"None", "Small", "Default", "Medium", "Large", "ExtraLarge", "Padding"},
        "separator": bool,
    },
}
FACT_SET = {
    "required": {"type": str, "facts": list},
    "optional": {"id": str, "spacing": str, "separator": bool},
}
OPEN_URL = {"required": {"type": str, "url": str}, "optional": {"title": str, "id": str, "style": str}}


def _check_props(obj, spec, path, problems):
    if not isinstance(obj, dict):
        problems.append(f"{path}: an object expected, got {type(obj).__name__}")
        return
    for key, kind in spec["required"].items():
        if key not in obj:
            problems.append(f"{path}.{key}: required")
        elif not isinstance(obj[key], kind) or (kind is str and not obj[key]):
            problems.append(f"{path}.{key}: a non-empty {kind.__name__} expected")
    for key, value in obj.items():
        if key in spec["required"]:
            continue
        kind = spec["optional"].get(key)
        if kind is None:
            problems.append(f"{path}.{key}: not a property of {obj.get('type')}")
        elif isinstance(kind, set):
            if value not in kind:
                problems.append(f"{path}.{key}: {value!r} is not one of {sorted(kind)}")
        elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            problems.append(f"{path}.{key}: a {kind.__name__} expected")


def _check_element(el, path, problems):
    kind = el.get("type") if isinstance(el, dict) else None
    if kind == "TextBlock":
        _check_props(el, TEXT_BLOCK, path, problems)
    elif kind == "FactSet":
        _check_props(el, FACT_SET, path, problems)
        facts = el.get("facts") or []
        if not facts:
            problems.append(f"{path}.facts: at least one fact")
        for i, fact in enumerate(facts):
            if not isinstance(fact, dict) or set(fact) != {"title", "value"}:
                problems.append(f"{path}.facts[{i}]: exactly title and value")
            elif not all(isinstance(fact[k], str) for k in ("title", "value")):
                problems.append(f"{path}.facts[{i}]: title and value are strings")
    else:
        problems.append(f"{path}.type: unknown or unchecked element {kind!r}")


def _check_action(action, path, problems):
    if not isinstance(action, dict) or action.get("type") != "Action.OpenUrl":
        problems.append(f"{path}.type: Action.OpenUrl expected")
        return
    _check_props(action, OPEN_URL, path, problems)
    parts = urlsplit(action.get("url") or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        problems.append(f"{path}.url: an absolute http(s) address expected, got {action.get('url')!r}")


def card_problems(card) -> list[str]:
    problems: list[str] = []
    if not isinstance(card, dict):
        return ["card: an object expected"]
    if card.get("type") != "AdaptiveCard":
        problems.append("card.type: must be AdaptiveCard")
    version = card.get("version")
    try:
        major, minor = (int(p) for p in str(version).split("."))
        if not isinstance(version, str) or (major, minor) < (1, 4):
            problems.append(f"card.version: a string of 1.4 or later expected, got {version!r}")
    except ValueError:
        problems.append(f"card.version: a version such as '1.4' expected, got {version!r}")
    allowed = {"type", "version", "$schema", "body", "actions", "msteams", "fallbackText", "speak", "lang"}
    problems += [f"card.{k}: not a property of AdaptiveCard" for k in card if k not in allowed]
    body = card.get("body", [])
    if not isinstance(body, list):
        problems.append("card.body: a list expected")
        body = []
    for i, el in enumerate(body):
        _check_element(el, f"card.body[{i}]", problems)
    actions = card.get("actions", [])
    if not isinstance(actions, list):
        problems.append("card.actions: a list expected")
        actions = []
    for i, action in enumerate(actions):
        _check_action(action, f"card.actions[{i}]", problems)
    return problems


def message_problems(message) -> list[str]:
    """The Teams envelope: type message, one attachment of the Adaptive Card content type."""
    if not isinstance(message, dict) or message.get("type") != "message":
        return ["message.type: must be message"]
    attachments = message.get("attachments")
    if not isinstance(attachments, list) or len(attachments) != 1:
        return ["message.attachments: exactly one attachment expected"]
    (attachment,) = attachments
    if attachment.get("contentType") != "application/vnd.microsoft.card.adaptive":
        return ["message.attachments[0].contentType: application/vnd.microsoft.card.adaptive expected"]
    return card_problems(attachment.get("content"))
