"""The demo's delegation board, decisions, back-briefs, ideas and comments, played through the services.

Services stamp records with `timezone.now()`; `at(moment)` replays each step at its moment in the
cycle, so waiting times, histories and inboxes read like ten weeks of real use.
"""

import re
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from unittest import mock

from charter.backbriefs import services as backbriefs
from charter.backbriefs.models import BackBrief
from charter.delegation import services as delegation
from charter.discussion.services import comment_add
from charter.ideas import services as ideas
from charter.notifications.services import notification_mark_all_read

from . import advice_history, earlier_cycle
from .backbrief_data import BACK_BRIEFS
from .delegation_data import DECISIONS, DOMAINS, LEVELS, MAYA
from .idea_data import COMMENTS, IDEAS

TOKEN = re.compile(r"\{(\w+)\}")
RECENT_FLOWS = ("submitted", "clarify")  # still open: their steps happen in the last days


@contextmanager
def at(moment: datetime):
    """Every `timezone.now()` inside is `moment` (services and auto_now fields alike)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def collaboration_size() -> int:
    """Progress-bar steps: decisions, back-briefs, ideas and comments."""
    return len(DECISIONS) + len(BACK_BRIEFS) + len(IDEAS) + len(COMMENTS)


class Collaboration:
    """Adds what happens between people to a built demo: `b` is the DemoBuilder."""

    def __init__(self, builder):
        self.b = builder
        self.decisions, self.names = {}, {}
        for user in builder.users.values():
            first = user.get_full_name().split()[0].lower()
            self.names[first] = f"@[{user.get_full_name()}](user:{user.pk})"

    def moment(self, days_ago: float, hour: int = 10) -> datetime:
        day = self.b.today - timedelta(days=int(days_ago))
        when = datetime.combine(day, time(hour, self.b.rng.randrange(60)), UTC)
        return min(when, self.b.now - timedelta(minutes=30))

    def mentions(self, text: str) -> str:
        return TOKEN.sub(lambda m: self.names.get(m.group(1), m.group(0)), text)

    def build(self):
        self.board()
        self.record_decisions()
        advice_history.play(self)
        self.back_briefs()
        self.ideas()
        self.comments()

    # ---- delegation ---------------------------------------------------------------------------------

    def board(self):
        maya, start = self.b.actor(MAYA), self.b.starts_on
        self.domains = {}
        # Early in the cycle before, so its decisions (`earlier_cycle`) have their domains.
        with at(self.moment((self.b.today - self.b.previous_starts_on).days - 2, 9)):
            for name, description, examples in DOMAINS:
                self.domains[name] = delegation.domain_create(
                    actor=maya, name=name, description=description, examples=examples
                )
        earlier_cycle.play(self)
        with at(self.moment((self.b.today - start).days + 4, 14)):
            for team, domain, level, reason in LEVELS:
                delegation.delegation_set(
                    actor=maya,
                    team_id=self.b.teams[team].pk,
                    domain_id=self.domains[domain].pk,
                    level=level,
                    reason=reason,
                )

    def record_decisions(self):
        for spec in sorted(DECISIONS, key=lambda s: -s["days"]):
            moment = self.moment(spec["days"], 9 + len(self.decisions) % 8)
            needed_in = spec.get("needed_in")
            with at(moment):
                result = delegation.decision_record(
                    actor=self.b.actor(spec["by"]),
                    team_id=self.b.teams[spec["team"]].pk,
                    domain_id=self.domains[spec["domain"]].pk,
                    goal_ids=[self.b.goals[key].pk for key in spec["goals"]],
                    supersedes_id=self.decisions[spec["supersedes"]].pk if "supersedes" in spec else None,
                    **{k: spec.get(k, "") for k in ("title", "decision", "context", "options")},
                    **{k: spec.get(k, "") for k in ("rationale", "consequences")},
                    needed_by=None if needed_in is None else moment.date() + timedelta(days=needed_in),
                )
            self.decisions[spec["key"]] = result.decision
            for who, action, note, days in spec.get("responses", []):
                with at(self.moment(days, 15)):
                    delegation.decision_respond(
                        actor=self.b.actor(who), decision_id=result.decision.pk, action=action, note=note
                    )
            self.b.advance()

    # ---- back-briefs --------------------------------------------------------------------------------

    def back_briefs(self):
        org = self.b.owner.organization
        recent = []
        for key, spec in BACK_BRIEFS.items():
            goal = self.b.goals[key]
            back_brief = BackBrief.objects.for_org(org).filter(goal=goal).first()
            if spec["flow"] in RECENT_FLOWS:
                recent.append((back_brief, goal, spec))
            else:
                self._answer(back_brief, goal, spec, (self.b.today - goal.created_at.date()).days)
            self.b.advance()
        # Maya read what she handled; what arrives from now on stays unread in her inbox.
        notification_mark_all_read(actor=self.b.actor(MAYA), event="back_brief.submitted")
        for back_brief, goal, spec in recent:
            self._answer(back_brief, goal, spec, 6 if spec["flow"] == "clarify" else 2)

    def _answer(self, back_brief, goal, spec: dict, asked_days_ago: int):
        """Submit (and review) a back-brief, starting a few days after it was asked."""
        writer, reviewer = self.b.actor(goal.owner.email), self.b.actor(spec["reviewer"])
        texts = {k: spec[k] for k in ("intent", "plan", "concerns", "needs")}
        day = asked_days_ago - 2 - back_brief.pk % 3 if spec["flow"] not in RECENT_FLOWS else asked_days_ago
        with at(self.moment(day, 11)):
            backbriefs.back_brief_submit(actor=writer, back_brief_id=back_brief.pk, **texts)
        if spec["flow"] == "submitted":
            return
        if spec["flow"].startswith("clarify"):
            with at(self.moment(day - 2, 16)):
                backbriefs.back_brief_request_clarification(
                    actor=reviewer, back_brief_id=back_brief.pk, message=spec["clarification"]
                )
            if spec["flow"] == "clarify":
                return
            day -= 3
            with at(self.moment(day, 10)):
                backbriefs.back_brief_submit(
                    actor=writer, back_brief_id=back_brief.pk, **{**texts, "intent": spec["again"]}
                )
        with at(self.moment(day - 1, 17)):
            backbriefs.back_brief_confirm(actor=reviewer, back_brief_id=back_brief.pk)

    # ---- ideas and comments -------------------------------------------------------------------------

    def ideas(self):
        for spec in IDEAS:
            with at(self.moment(spec["days"], 9)):
                idea = ideas.idea_create(
                    actor=self.b.actor(spec["author"]),
                    title=spec["title"],
                    description=spec["description"],
                    goal_ids=[self.b.goals[key].pk for key in spec["goals"]],
                )
            for i, voter in enumerate(spec["voters"]):
                with at(self.moment(max(spec["days"] - 1 - i % 3, 0), 12)):
                    ideas.idea_vote(actor=self.b.actor(voter), idea_id=idea.pk, vote=True)
            self._idea_history(idea, spec)
            self.b.advance()

    def _idea_history(self, idea, spec: dict):
        """Moves and comments in the order they happened."""
        moves = [(m[3], 0, m) for m in spec["moves"]]
        comments = [(c[2], 1, c) for c in spec["comments"]]
        for days, kind, item in sorted(moves + comments, key=lambda x: (-x[0], x[1])):
            with at(self.moment(days, 14 + kind)):
                if kind == 0:
                    self._move(idea, item)
                else:
                    comment_add(
                        actor=self.b.actor(item[0]),
                        target_type="idea",
                        target_id=idea.pk,
                        body=self.mentions(item[1]),
                    )

    def _move(self, idea, move: tuple):
        status, who, reason = move[:3]
        became = move[4] if len(move) > 4 else {}
        ideas.idea_move(
            actor=self.b.actor(who),
            idea_id=idea.pk,
            to_status=status,
            reason=reason,
            adopted_goal_id=self.b.goals[became["goal"]].pk if "goal" in became else None,
            adopted_key_result_id=self.b.key_results[became["kr"]].pk if "kr" in became else None,
        )

    def comments(self):
        for target_type, key, who, text, days in sorted(COMMENTS, key=lambda c: -c[4]):
            target = self.b.goals[key] if target_type == "goal" else self.decisions[key]
            with at(self.moment(days, 13)):
                comment_add(
                    actor=self.b.actor(who),
                    target_type=target_type,
                    target_id=target.pk,
                    body=self.mentions(text),
                )
            self.b.advance()
