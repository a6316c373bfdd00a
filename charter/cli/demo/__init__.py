"""A realistic, deterministic demo organization, built only through the services."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from charter.goals import services as goals
from charter.mission.services import mission_update
from charter.organizations import services as orgs
from charter.organizations.selectors import actor_for

from .collaboration import Collaboration, at, collaboration_size
from .content import MISSION, ORGANIZATION, OWNER_EMAIL, OWNER_PASSWORD, PEOPLE, STRATEGIC, TEAMS
from .late_goals import LATE_GOALS
from .team_goals import NOTES, PREVIOUS_GOALS, TEAM_GOALS

WEEKS = 10  # the active cycle began ten weeks (and two days) ago
CYCLE_DAYS = 91
LATE_DAYS = 4  # the goal aligned to nothing was given to Growth four days ago
STALE_AFTER_WEEK = 7  # stale goals got their last check-in in week 7: three weeks and more ago
# Share of the distance to target reached at the end, and the confidence reported, per profile.
FINAL = {"on_track": 0.9, "at_risk": 0.6, "off_track": 0.3, "stale": 0.45, "done": 1.05, "missed": 0.5}
CONFIDENCE = {
    "on_track": (7, 9),
    "at_risk": (5, 6),
    "off_track": (2, 3),
    "stale": (6, 7),
    "done": (8, 9),
    "missed": (4, 5),
}


@dataclass
class DemoResult:
    organization: object
    email: str
    password: str | None  # None when the account existed and kept its password


def demo_size() -> int:
    """Progress-bar steps: people, goals and key results, then what people did together."""
    goals_ = STRATEGIC + TEAM_GOALS + PREVIOUS_GOALS + LATE_GOALS
    return len(PEOPLE) + len(goals_) + sum(len(g["krs"]) for g in goals_) + collaboration_size()


class DemoBuilder:
    """Builds the demo organization step by step; `advance` moves a progress bar."""

    def __init__(self, advance=lambda step=1: None, seed: int = 7):
        self.advance = advance
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.starts_on = self.today - timedelta(weeks=WEEKS, days=2)
        self.previous_starts_on = self.starts_on - timedelta(days=CYCLE_DAYS)
        self.actors, self.users, self.teams, self.goals, self.key_results = {}, {}, {}, {}, {}

    def build(self) -> DemoResult:
        with transaction.atomic():
            owner, created = orgs.user_ensure(
                email=OWNER_EMAIL, full_name=PEOPLE[0][0], password=OWNER_PASSWORD
            )
            with goals.without_first_cycle():  # the demo brings its own cycles, the previous and current
                org, _ = orgs.organization_create(name=ORGANIZATION, owner=owner)
            self.owner = actor_for(user=owner, organization=org, via="cli")
            mission_update(actor=self.owner, reason="Our first written mission.", **MISSION)
            self._teams()
            self._people()
            # Again, now that Maya leads Leadership: her own team's goals ask for no back-brief.
            self.owner = self.actors[OWNER_EMAIL] = actor_for(user=owner, organization=org, via="cli")
            self._cycles()
            self._goals(self.previous, PREVIOUS_GOALS, self.previous_starts_on, weeks=12)
            self._close_previous()
            self._goals(self.current, STRATEGIC + TEAM_GOALS, self.starts_on, weeks=WEEKS)
            self._goals(self.current, LATE_GOALS, self.today - timedelta(days=LATE_DAYS), weeks=0)
            Collaboration(self).build()
        return DemoResult(org, OWNER_EMAIL, OWNER_PASSWORD if created else None)

    def _teams(self):
        for name, parent, description in TEAMS:
            parent_id = self.teams[parent].pk if parent else None
            self.teams[name] = orgs.team_create(
                actor=self.owner, name=name, description=description, parent_id=parent_id
            )

    def _people(self):
        for full_name, email, role, title, teams in PEOPLE:
            if email == OWNER_EMAIL:
                user = self.owner.user
                orgs.person_update(actor=self.owner, user_id=user.pk, role=role, title=title, is_active=True)
            else:
                user = orgs.person_add(
                    actor=self.owner, email=email, full_name=full_name, role=role, title=title
                ).user
            for team, is_lead in teams:
                orgs.team_member_set(
                    actor=self.owner, team_id=self.teams[team].pk, user_id=user.pk, is_lead=is_lead
                )
            self.users[email] = user
            self.advance()

    def actor(self, email: str):
        if email not in self.actors:
            self.actors[email] = actor_for(
                user=self.users[email], organization=self.owner.organization, via="cli"
            )
        return self.actors[email]

    def _cycles(self):
        self.previous = goals.cycle_create(
            actor=self.owner,
            name=_cycle_name(self.previous_starts_on, self.starts_on - timedelta(days=1)),
            starts_on=self.previous_starts_on,
            ends_on=self.starts_on - timedelta(days=1),
            state="active",
        )
        ends_on = self.starts_on + timedelta(days=CYCLE_DAYS)
        self.current = goals.cycle_create(
            actor=self.owner,
            name=_cycle_name(self.starts_on, ends_on),
            starts_on=self.starts_on,
            ends_on=ends_on,
            state="active",
        )

    def _close_previous(self):
        # Closed after its check-ins, so they are not marked late.
        c = self.previous
        goals.cycle_update(
            actor=self.owner,
            cycle_id=c.pk,
            name=c.name,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            state="closed",
        )

    def _goals(self, cycle, specs: list[dict], starts_on, weeks: int):
        for i, spec in enumerate(specs):
            # Created on the cycle's first morning (so back-briefs are asked then too).
            with at(datetime.combine(starts_on, time(8, i), UTC)):
                goal = self._goal(cycle, spec)
                krs = [self._key_result(goal, kr_spec) for kr_spec in spec["krs"]]
            for kr, kr_spec in zip(krs, spec["krs"], strict=True):
                self._check_ins(kr, kr_spec, spec["profile"], starts_on, weeks)

    def _goal(self, cycle, spec: dict):
        parent = spec.get("parent")
        goal = goals.goal_create(
            actor=self.owner,
            cycle_id=cycle.pk,
            title=spec["title"],
            owner_id=self.users[spec["owner"]].pk,
            team_id=self.teams[spec.get("team", "Leadership")].pk,
            purpose=spec["purpose"],
            end_state=spec["end_state"],
            constraints=spec["constraints"],
            freedoms=spec["freedoms"],
            parent_id=self.goals[parent].pk if parent else None,
            supports_ids=[self.goals[key].pk for key in spec.get("supports", [])],
        )
        self.goals[spec["key"]] = goal
        self.advance()
        return goal

    def _key_result(self, goal, spec: dict):
        self.key_results[spec["title"]] = kr = goals.key_result_create(
            actor=self.owner,
            goal_id=goal.pk,
            title=spec["title"],
            kind=spec["kind"],
            start=spec["start"],
            target=spec["target"],
            target_max=spec["target_max"],
            unit=spec["unit"],
            weight=spec["weight"],
            owner_id=self.users[spec["owner"]].pk,
        )
        return kr

    def _check_ins(self, kr, spec: dict, profile: str, starts_on, weeks: int):
        owner = spec["owner"]
        last_week = STALE_AFTER_WEEK if profile == "stale" else weeks - 1 if spec.get("due") else weeks
        for week in range(1, last_week + 1):
            value, confidence, note = self._check_in(spec, profile, week, weeks, last_week)
            when = datetime.combine(starts_on + timedelta(weeks=week), time(9 + self.rng.randrange(8)), UTC)
            goals.check_in_record(
                actor=self.actor(owner),
                key_result_id=kr.pk,
                value=value,
                confidence=confidence,
                note=note,
                checked_at=min(when, timezone.now() - timedelta(hours=1)),
            )
        self.advance()

    def _check_in(self, spec: dict, profile: str, week: int, weeks: int, last_week: int):
        """Value, confidence and note for one week, following the profile's trajectory."""
        share = FINAL[profile] * week / weeks + self.rng.uniform(-0.03, 0.03)
        if spec["kind"] == "milestone":
            value = 1.0 if profile in ("on_track", "done") and week >= weeks - 3 else 0.0
        else:
            value = _round(spec, spec["start"] + (_aim(spec) - spec["start"]) * max(share, 0.0))
        low, high = CONFIDENCE[profile]
        # Confidence drifts from hopeful to the profile's level over the cycle.
        drift = round((7 - high) * (1 - week / weeks)) if high < 7 else 0
        confidence = max(0, min(10, self.rng.randint(low, high) + drift))
        wants_note = week % 3 == 0 or week == last_week
        note = self.rng.choice(NOTES[profile]) if wants_note else ""
        return value, confidence, note


def _aim(spec: dict) -> float:
    """The value that counts as reached: the target, or for a range its bound nearest the start."""
    if spec["kind"] != "range":
        return spec["target"]
    low, high = spec["target"], spec["target_max"]
    return high if spec["start"] > high else low


def _round(spec: dict, value: float) -> float:
    spread = abs(spec["target"] - spec["start"])
    return float(round(value)) if spread >= 20 else round(value, 1 if spread >= 2 else 2)


def _cycle_name(starts_on, ends_on) -> str:
    if starts_on.year == ends_on.year:
        return f"{starts_on:%b}–{ends_on:%b %Y}"
    return f"{starts_on:%b %Y}–{ends_on:%b %Y}"
