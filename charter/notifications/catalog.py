"""The notification events every app may send: code, label, description and default channels."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """One kind of notification; the defaults apply until a person sets a preference."""

    code: str
    label: str
    description: str
    in_app: bool = True
    email: bool = False


EVENTS: tuple[Event, ...] = (
    Event(
        "check_in.due", "Check-in due", "A key result of yours has had no check-in for a week.", email=True
    ),
    Event("goal.at_risk", "Goal at risk", "A goal you own or lead became at risk or off track."),
    Event(
        "back_brief.requested", "Back-brief requested", "Your team received a goal to back-brief.", email=True
    ),
    Event(
        "back_brief.submitted", "Back-brief submitted", "A team answered a goal of yours with a back-brief."
    ),
    Event("back_brief.confirmed", "Back-brief confirmed", "Your back-brief was confirmed."),
    Event("back_brief.clarification", "Clarification asked", "Your back-brief needs clarification."),
    Event(
        "decision.needs_you",
        "Decision needs you",
        "A decision waits for your agreement, advice or call.",
        email=True,
    ),
    Event("decision.told", "Decision told", "A team decided and tells you, as its delegation level asks."),
    Event("decision.decided", "Decision decided", "A decision you proposed or took part in was decided."),
    Event(
        "poker.invited",
        "Delegation poker",
        "A leader invites you to pick delegation levels in a delegation poker session.",
        email=True,
    ),
    Event("poker.revealed", "Poker cards turned", "The cards turned in a delegation poker session you play."),
    Event("mention", "Mention", "Someone mentioned you in a comment.", email=True),
    Event("idea.adopted", "Idea adopted", "An idea of yours was adopted."),
    Event("webhook.disabled", "Webhook disabled", "A webhook was switched off after repeated failures."),
    Event(
        "digest.weekly",
        "Weekly digest",
        "One email a week with what is unread in your inbox.",
        in_app=False,
        email=True,
    ),
)
BY_CODE: dict[str, Event] = {e.code: e for e in EVENTS}
# The digest is an email about other events; it is not itself something to subscribe a webhook to.
WEBHOOK_EVENTS: tuple[Event, ...] = tuple(e for e in EVENTS if e.code != "digest.weekly")


def label(code: str) -> str:
    event = BY_CODE.get(code)
    return event.label if event else code
