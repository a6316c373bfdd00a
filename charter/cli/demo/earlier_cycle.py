"""The cycle before: leaders still held most decisions. Product's roadmap and Sales' pricing sat at low
levels (sell, tell), so the teams proposed and waited, and people outside them escalated; the board then
raised those levels for the current cycle. The transition page reads this as a move from control toward
mission-based leadership: fewer escalations and more decisions taken at team level.

The records sit 100-150 days back: at levels the cells no longer have, and outside the 90 days a leader's
waits are read over, so the delegation advice reads none of them."""

from charter.delegation import services as delegation

from .advice_history import at
from .delegation_data import MAYA, L

# (team, domain, level): the levels held through the cycle before; the board raises them later.
EARLIER_LEVELS = [
    ("Product", "Roadmap", 2, "The roadmap is still the leadership's call; Sofia explains each choice."),
    ("Sales", "Pricing", 1, "Until the German price list settles, Tom sets every price."),
]

# Each: who records it, team, domain, goal key, days ago, title, decision, and who decides after how many
# days (at levels 1-2 a member's record is a proposal to the team's lead, the lead's own to the leader above,
# and an outsider's an escalation to the team's lead).
EARLIER_DECISIONS = [
    (f"omar.haddad{L}", "Product", "Roadmap", "prev-reminders", 150, "Reminders before online booking",
     "Ship the reminder emails before the new booking page.", f"sofia.alvarez{L}", 6),
    (f"chloe.martin{L}", "Product", "Roadmap", "prev-reminders", 140, "Drop the SMS template editor",
     "Send one fixed SMS text for now; no editor this cycle.", f"sofia.alvarez{L}", 9),
    (f"tom.becker{L}", "Product", "Roadmap", "prev-reminders", 132, "Group discounts before reminders",
     "Build the group discount screen ahead of the reminders.", f"sofia.alvarez{L}", 5),
    (f"omar.haddad{L}", "Product", "Roadmap", "prev-reminders", 120, "Pause the calendar sync",
     "Stop the calendar sync work until reminders are out.", f"sofia.alvarez{L}", 7),
    (f"tom.becker{L}", "Sales", "Pricing", "prev-germany", 145, "German list price in euros",
     "List the German plans at 149 EUR a month per clinic.", MAYA, 3),
    (f"grace.kim{L}", "Sales", "Pricing", "prev-germany", 130, "A pilot discount for German clinics",
     "Give the first ten German clinics 20% off for six months.", f"tom.becker{L}", 4),
    (f"amara.nwosu{L}", "Sales", "Pricing", "prev-germany", 118, "A price guarantee after the pilot",
     "Keep a pilot clinic's price for a year after it signs.", f"tom.becker{L}", 6),
    (f"noah.williams{L}", "Sales", "Pricing", "prev-germany", 108, "Ten percent off a year paid upfront",
     "Offer 10% off to clinics that pay a year in advance.", f"tom.becker{L}", 8),
]  # fmt: skip


def play(collab) -> None:
    """Adds the earlier cycle's decisions to a demo being built (`collab`: its `Collaboration`, after the
    domains exist and before the board sets the current levels)."""
    b = collab.b
    with at(collab.moment(155, 9)):
        for team, domain, level, reason in EARLIER_LEVELS:
            delegation.delegation_set(
                actor=b.actor(MAYA),
                team_id=b.teams[team].pk,
                domain_id=collab.domains[domain].pk,
                level=level,
                reason=reason,
            )
    for by, team, domain, goal, days, title, text, decider, after in EARLIER_DECISIONS:
        with at(collab.moment(days, 10)):
            result = delegation.decision_record(
                actor=b.actor(by),
                team_id=b.teams[team].pk,
                domain_id=collab.domains[domain].pk,
                goal_ids=[b.goals[goal].pk],
                title=title,
                decision=text,
            )
        if decider is not None:
            with at(collab.moment(days - after, 15)):
                delegation.decision_respond(
                    actor=b.actor(decider), decision_id=result.decision.pk, action="decide", note="Agreed."
                )
