"""The demo's longer decision history, written so the delegation advice has something to say of each kind:

- Platform's small spending (Budget under 10k, level 5): Raj's advice is asked for every tool and licence,
  and 14 of the last 15 proposals go through as proposed after about two days: *raise the level*;
- Platform's tech stack (level 7): its choices are replaced again and again, once by Sofia from above:
  *clarify the intent, or lower the level*;
- Leadership's roadmap and pricing proposals wait on Maya for a week and more, while the other leaders
  answer in days: *a bottleneck*.

Played through the services like the rest of the demo (`collaboration.at`), after the decision log."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from charter.delegation import services as delegation

from .delegation_data import MAYA

L = "@charter.local"
RAJ, SOFIA = f"raj.patel{L}", f"sofia.alvarez{L}"
PLATFORM = (f"marcus.lee{L}", f"hannah.schmidt{L}", f"kenji.sato{L}")

# Budget under 10k, Platform: (title, decision); each proposed, advised by Raj ~2 days later, then decided.
BUDGET = [
    ("Renew the error-tracking plan", "Renew the error-tracking plan for a year at 1,900 EUR."),
    ("A load-testing service for the booking API", "Buy 3 months of a hosted load-testing service, 600 EUR."),
    ("Two more CI runners", "Add two hosted CI runners, 80 EUR a month."),
    ("A second monitor for on-call", "Buy a second monitor for the on-call desk, 240 EUR."),
    ("Kubernetes training for Hannah", "Book a two-day Kubernetes course for Hannah, 1,100 EUR."),
    ("A status page", "Subscribe to a hosted status page for clinics, 29 EUR a month."),
    ("Postgres support hours", "Buy 10 hours of PostgreSQL consulting for the index review, 1,500 EUR."),
    ("A password manager for the team", "Move Platform to a team password manager, 8 EUR a person a month."),
    ("Conference ticket: KubeCon", "Send Kenji to KubeCon Europe, 1,200 EUR with travel."),
    ("An uptime checker in a second region", "Add uptime checks from Frankfurt and Dublin, 15 EUR a month."),
    ("Log retention to 30 days", "Raise log retention to 30 days, 120 EUR a month more."),
    ("A feature-flag service", "Use a hosted feature-flag service for the calendar sync, 90 EUR a month."),
    ("Backup storage in a second bucket", "Copy nightly backups to a second EU bucket, 40 EUR a month."),
    ("A book budget", "Give each engineer 150 EUR a year for books."),
    ("Paid API for public holidays", "Buy the public-holiday API for clinic calendars, 300 EUR a year."),
]
ESCALATED = 4  # the fifth proposal: Raj escalated it to Sofia, who decided it
WAITS = [2.1, 1.8, 2.4, 2.0, 3.1, 2.1, 1.6, 2.2, 2.5, 1.9, 2.1, 2.8, 1.7, 2.3, 2.0]  # days, median 2.1

# Tech stack, Platform (level 7): (title, decision, supersedes the item at this index or None, by)
STACK = [
    ("Run the job queue on Redis", "Use Redis lists for background jobs.", None, PLATFORM[0]),
    (
        "Move the job queue to PostgreSQL",
        "Keep jobs in PostgreSQL with SKIP LOCKED; drop Redis.",
        0,
        PLATFORM[1],
    ),
    ("Deploy with Helm charts", "Describe every service as a Helm chart.", None, PLATFORM[2]),
    (
        "Deploy with plain manifests",
        "Replace the Helm charts with plain manifests and Kustomize.",
        2,
        PLATFORM[0],
    ),
    ("Feature flags in config files", "Keep feature flags in the services' config files.", None, PLATFORM[1]),
    ("Adopt OpenTelemetry for traces", "Instrument the booking API with OpenTelemetry.", None, PLATFORM[2]),
    ("Feature flags in the hosted service", "Move the flags to the hosted flag service.", 4, SOFIA),
]

# Waiting on Maya (Leadership's proposals at levels 2-3): (team, domain, by, title, days ago, answered after)
MAYA_QUEUE = [
    ("Leadership", "Roadmap", SOFIA, "Put the clinic-group admin view in next cycle", 16, None),
    (
        "Leadership",
        "Roadmap",
        f"amara.nwosu{L}",
        "A migration tool for clinics leaving a competitor",
        12,
        None,
    ),
    ("Leadership", "Roadmap", f"lena.fischer{L}", "Hiring page redesign before the autumn roles", 9, None),
    ("Leadership", "Roadmap", SOFIA, "Drop the fax integration from this cycle", 8, None),
    ("Leadership", "Pricing", f"tom.becker{L}", "A clinic-group price list", 30, 9),
    ("Leadership", "Pricing", f"daniel.okafor{L}", "Annual plans billed quarterly", 24, 10),
]


@contextmanager
def at(moment):
    """Every `timezone.now()` inside is `moment` (as `collaboration.at`, which imports this module)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def play(collab) -> None:
    """Adds the history to a demo being built (`collab` is its `Collaboration`, after the decision log)."""
    b, now = collab.b, collab.b.now
    team, domain = b.teams, collab.domains
    with at(now - timedelta(days=70)):
        delegation.delegation_set(
            actor=b.actor(MAYA), team_id=team["Platform"].pk, domain_id=domain["Budget under 10k"].pk,
            level=5, reason="Platform's tools add up across the year: decide after asking Raj's advice.",
        )  # fmt: skip
    goals = [b.goals["platform-fast"].pk]
    for i, (title, text) in enumerate(BUDGET):
        when = now - timedelta(days=64 - i * 4, hours=i % 5)
        by = b.actor(PLATFORM[i % 3])
        with at(when):
            record = delegation.decision_record(
                actor=by, team_id=team["Platform"].pk, domain_id=domain["Budget under 10k"].pk,
                title=title, decision=text, goal_ids=goals,
            ).decision  # fmt: skip
        answered = when + timedelta(days=WAITS[i])
        with at(answered):
            if i == ESCALATED:
                note = "Above what we usually spend on training; Sofia should see it."
                delegation.decision_respond(
                    actor=b.actor(RAJ), decision_id=record.pk, action="escalate", note=note
                )
            else:
                note = "Fine by me; keep it within the quarter's tool budget."
                delegation.decision_respond(
                    actor=b.actor(RAJ), decision_id=record.pk, action="advise", note=note
                )
        with at(answered + timedelta(hours=3)):
            who, action = (b.actor(SOFIA), "decide") if i == ESCALATED else (by, "decide")
            delegation.decision_respond(actor=who, decision_id=record.pk, action=action, note="Go ahead.")
    made = []
    for i, (title, text, replaces, by) in enumerate(STACK):
        with at(now - timedelta(days=50 - i * 6, hours=2)):
            result = delegation.decision_record(
                actor=b.actor(by), team_id=team["Platform"].pk, domain_id=domain["Tech stack"].pk,
                title=title, decision=text, goal_ids=goals,
                supersedes_id=made[replaces].pk if replaces is not None else None,
            )  # fmt: skip
        made.append(result.decision)
        if result.decision.status != "decided":  # Sofia's record, from above: the team decides it
            with at(now - timedelta(days=50 - i * 6 - 1)):
                delegation.decision_respond(
                    actor=b.actor(RAJ), decision_id=result.decision.pk, action="decide",
                    note="Agreed: the config files drifted between services.",
                )  # fmt: skip
    for team_name, domain_name, by, title, days, after in MAYA_QUEUE:
        with at(now - timedelta(days=days, hours=3)):
            record = delegation.decision_record(
                actor=b.actor(by), team_id=team[team_name].pk, domain_id=domain[domain_name].pk,
                title=title, decision=title + ".", goal_ids=[b.goals["S1"].pk],
            ).decision  # fmt: skip
        if after is not None:
            with at(now - timedelta(days=days - after, hours=3)):
                delegation.decision_respond(actor=b.actor(MAYA), decision_id=record.pk, action="decide")
