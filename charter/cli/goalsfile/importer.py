"""Apply a goals file to an organization through the services; the caller holds the transaction."""

from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time

from django.utils import timezone

from charter.core.actor import Actor
from charter.core.errors import DomainError
from charter.goals import services as goals
from charter.goals.selectors import cycle_list
from charter.mission.services import mission_update
from charter.organizations import services as orgs
from charter.organizations.selectors import actor_for, person_list, team_list

from .reader import GoalsFileError, parents_first
from .schema import GoalIn, GoalsFile, Item, KeyResultIn


def _error_text(error: DomainError) -> str:
    details = [f"{f}: {' '.join(m)}" for f, m in (error.errors or {}).items() if m != [error.message]]
    return " ".join([error.message, "; ".join(details)]).strip()


class GoalsImport:
    """One import run: resolves names, emails and keys to rows as it creates them."""

    def __init__(self, doc: GoalsFile, *, actor: Actor, filename: str, advance=lambda step=1: None):
        self.doc, self.actor, self.filename, self.advance = doc, actor, filename, advance
        self.counts: Counter = Counter()
        self.users: dict[str, object] = {}
        self.teams: dict[str, object] = {}
        self.cycles: dict[str, object] = {}
        self.goals: dict[str, object] = {}
        self.actors: dict[str, Actor | None] = {}
        self.reattributed = 0

    @staticmethod
    def size(doc: GoalsFile) -> int:
        """Steps the import reports to a progress bar."""
        return sum(1 + sum(1 + len(kr.check_ins) for kr in g.key_results) for g in doc.goals)

    @contextmanager
    def at(self, item: Item, what: str, field: str | None = None):
        """Turn a service's refusal into `FILE:LINE: what: why` for the item that caused it."""
        try:
            yield
        except DomainError as error:
            line = item.line_of(field) if field else item.line
            raise GoalsFileError(self.filename, [(line, f"{what}: {_error_text(error)}")])

    def fail(self, line: int, message: str):
        raise GoalsFileError(self.filename, [(line, message)])

    def run(self) -> Counter:
        self._mission()
        self._people()
        self._cycles()
        self._teams()
        self._refresh_teams()
        self._goals()
        self._finish()
        return self.counts

    # ---- mission, people, cycles, teams ---------------------------------------------------------

    def _mission(self):
        mission = self.doc.mission
        if mission is None or not mission.statement:
            return
        values = [{"name": v.name, "meaning": v.meaning} for v in mission.values]
        with self.at(mission, "mission"):
            mission_update(
                actor=self.actor,
                statement=mission.statement,
                vision=mission.vision,
                values=values,
                reason=f"Imported from {self.filename}",
            )
        self.counts["mission"] += 1

    def _people(self):
        self.users = {m.user.email: m.user for m in person_list(actor=self.actor)}
        listed = {p.email.lower() for p in self.doc.people}
        wanted = [(p, p.name, p.role, p.title) for p in self.doc.people]
        for team in self.doc.teams:
            for member in team.members:
                if member.email.lower() not in listed and member.name:
                    listed.add(member.email.lower())
                    wanted.append((member, member.name, member.role or "member", ""))
        for item, name, role, title in wanted:
            email = item.email.lower()
            if email in self.users:
                continue
            with self.at(item, f'person "{item.email}"'):
                membership = orgs.person_add(
                    actor=self.actor, email=email, full_name=name, role=role, title=title
                )
            self.users[email] = membership.user
            self.counts["people"] += 1

    def user(self, item: Item, field: str, email: str | None):
        if email is None:
            return None
        user = self.users.get(email.strip().lower())
        if user is None:
            self.fail(item.line_of(field), f'unknown person "{email}": list them under people')
        return user

    def _cycles(self):
        self.cycles = {c.name.lower(): c for c in cycle_list(actor=self.actor)}
        for cycle in self.doc.cycles:
            if cycle.name.lower() in self.cycles:
                continue
            # Closed at the end, so check-ins made while it ran are not marked late.
            state = "active" if cycle.state == "closed" else cycle.state
            with self.at(cycle, f'cycle "{cycle.name}"'):
                self.cycles[cycle.name.lower()] = goals.cycle_create(
                    actor=self.actor,
                    name=cycle.name,
                    starts_on=cycle.starts_on,
                    ends_on=cycle.ends_on,
                    state=state,
                )
            self.counts["cycles"] += 1

    def _teams(self):
        self.teams = {t.name.lower(): t for t in team_list(actor=self.actor)}
        for team in parents_first(
            self.doc.teams, lambda t: t.name.lower(), lambda t: (t.parent or "").lower()
        ):
            if team.name.lower() not in self.teams:
                parent = self.team(team, "parent", team.parent)
                with self.at(team, f'team "{team.name}"'):
                    self.teams[team.name.lower()] = orgs.team_create(
                        actor=self.actor,
                        name=team.name,
                        description=team.description,
                        parent_id=parent and parent.pk,
                    )
                self.counts["teams"] += 1
            for member in team.members:
                user = self.user(member, "email", member.email)
                with self.at(member, f'member "{member.email}" of team "{team.name}"'):
                    orgs.team_member_set(
                        actor=self.actor,
                        team_id=self.teams[team.name.lower()].pk,
                        user_id=user.pk,
                        is_lead=member.lead,
                    )

    def _refresh_teams(self):
        """The importer's teams as the file left them: a goal it gives a team it belongs to asks that
        team for no back-brief (a new organization's owner was in no team when the import began)."""
        fresh = actor_for(user=self.actor.user, organization=self.actor.organization, via=self.actor.via)
        if fresh is not None:
            self.actor = replace(self.actor, team_ids=fresh.team_ids, lead_team_ids=fresh.lead_team_ids)

    def team(self, item: Item, field: str, name: str | None):
        if name is None:
            return None
        team = self.teams.get(name.lower())
        if team is None:
            self.fail(item.line_of(field), f'unknown team "{name}"')
        return team

    # ---- goals, key results, check-ins ----------------------------------------------------------

    def _goals(self):
        for goal in parents_first(self.doc.goals, lambda g: g.key, lambda g: g.parent):
            created = self._goal(goal)
            self.goals[goal.key] = created
            self.counts["goals"] += 1
            self.advance()
            for kr in goal.key_results:
                self._key_result(goal, created, kr)
        for goal in self.doc.goals:
            if goal.supports:
                with self.at(goal, f'goal "{goal.key}"', "supports"):
                    goals.goal_update(
                        actor=self.actor,
                        goal_id=self.goals[goal.key].pk,
                        supports_ids=[self.goals[ref].pk for ref in goal.supports],
                    )

    def _goal(self, goal: GoalIn):
        cycle_name = goal.cycle or self.doc.cycles[0].name
        cycle = self.cycles.get(cycle_name.lower())
        if cycle is None:
            self.fail(goal.line_of("cycle"), f'goal "{goal.key}": unknown cycle "{cycle_name}"')
        team = self.team(goal, "team", goal.team)
        owner = self.user(goal, "owner", goal.owner)
        parent = self.goals.get(goal.parent) if goal.parent else None
        with self.at(goal, f'goal "{goal.key}"'):
            return goals.goal_create(
                actor=self.actor,
                cycle_id=cycle.pk,
                title=goal.title,
                owner_id=owner.pk,
                team_id=team and team.pk,
                description=goal.description,
                purpose=goal.purpose,
                end_state=goal.end_state,
                constraints=goal.constraints,
                freedoms=goal.freedoms,
                parent_id=parent and parent.pk,
                weight=goal.weight,
            )

    def _key_result(self, goal: GoalIn, created, kr: KeyResultIn):
        owner = self.user(kr, "owner", kr.owner)
        with self.at(kr, f'key result "{kr.title}"'):
            row = goals.key_result_create(
                actor=self.actor,
                goal_id=created.pk,
                title=kr.title,
                kind=kr.kind,
                start=kr.start,
                target=kr.target,
                target_max=kr.target_max,
                unit=kr.unit,
                weight=kr.weight,
                owner_id=owner and owner.pk,
                current=kr.current,
                tracked_since=_tracked_since(kr),
            )
        self.counts["key_results"] += 1
        self.advance()
        for check_in in sorted(kr.check_ins, key=lambda c: _moment(c.at)):
            author = self.user(check_in, "author", check_in.author) if check_in.author else None
            actor = self._author(author, row)
            with self.at(check_in, f'check-in of "{kr.title}" on {check_in.at}'):
                goals.check_in_record(
                    actor=actor,
                    key_result_id=row.pk,
                    value=check_in.value,
                    confidence=check_in.confidence,
                    note=check_in.note,
                    checked_at=_moment(check_in.at),
                )
            self.counts["check_ins"] += 1
            self.advance()

    def _author(self, user, key_result) -> Actor:
        """The check-in's author when they may still check in on it, else the importing owner."""
        if user is None:
            return self.actor
        if user.email not in self.actors:
            self.actors[user.email] = actor_for(user=user, organization=self.actor.organization, via="cli")
        actor = self.actors[user.email]
        if actor is not None and goals.may_check_in(actor, key_result):
            return actor
        self.reattributed += 1
        return self.actor

    def _finish(self):
        for cycle in self.doc.cycles:
            row = self.cycles[cycle.name.lower()]
            if cycle.state == "closed" and row.state != "closed":
                with self.at(cycle, f'cycle "{cycle.name}"'):
                    goals.cycle_update(
                        actor=self.actor,
                        cycle_id=row.pk,
                        name=row.name,
                        starts_on=row.starts_on,
                        ends_on=row.ends_on,
                        state="closed",
                    )
        for person in self.doc.people:
            if not person.active:
                user = self.users[person.email.lower()]
                with self.at(person, f'person "{person.email}"'):
                    orgs.person_update(
                        actor=self.actor,
                        user_id=user.pk,
                        role=person.role,
                        title=person.title,
                        is_active=False,
                    )


def _tracked_since(kr: KeyResultIn) -> datetime | None:
    """Since when the key result's check-ins are expected: the file's `since`, else its first check-in
    (an older file), else None (from the import); so an export and re-import keep participation."""
    if kr.since is not None:
        return _moment(kr.since)
    moments = [_moment(c.at) for c in kr.check_ins]
    earliest = min(moments, default=None)
    return earliest if earliest is not None and earliest < timezone.now() else None


def _moment(value: datetime | date) -> datetime:
    """A timezone-aware moment; a bare date means noon, a naive time the site's time zone."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(12))
    return value if timezone.is_aware(value) else timezone.make_aware(value)
