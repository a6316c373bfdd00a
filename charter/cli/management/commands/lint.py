"""`charter lint`: the goal lint on the database (a cycle of an organization) or on a goals file."""

import json
from collections import defaultdict
from datetime import date, datetime

from django.core.management.base import CommandError
from django.utils import timezone

from charter.cli.base import CharterCommand, organization_for, owner_actor
from charter.cli.goalsfile import GoalsFileError, read_goals_file
from charter.goals.models import Cycle
from charter.lint import registry, selectors
from charter.search.selectors import embed_texts


class Command(CharterCommand):
    help = "Check goals against the lint rules; exit code 1 when a finding is an error, 2 for a bad file."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="A goals file (YAML); without it, the database.")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--organization", help="Organization slug (default: the only one).")
        parser.add_argument("--cycle", help="Cycle name (default: the current cycle; a file: every cycle).")

    def handle(self, *args, file, format, organization, cycle, **options):
        if file:
            findings = self._file_findings(file, cycle, organization)
            rows = [{"file": file, **f.as_dict()} for f in findings]
            lines = [f"{file}:{f.line}: {_describe(f)}" for f in findings]
        else:
            findings = self._database_findings(organization, cycle)
            rows = [f.as_dict() for f in findings]
            lines = [f"{_where(f)}: {_describe(f)}" for f in findings]
        self.stdout.write(json.dumps(rows, indent=2, default=str) if format == "json" else "\n".join(lines))
        errors = sum(f.severity == registry.ERROR for f in findings)
        if errors:
            raise CommandError(f"{errors} error{'s' if errors != 1 else ''} found.", returncode=1)

    def _database_findings(self, slug, cycle_name):
        actor = owner_actor(organization_for(slug))
        if cycle_name:
            found = Cycle.objects.for_org(actor.organization).filter(name__iexact=cycle_name).first()
            if found is None:
                raise CommandError(
                    f"{actor.organization.slug} has no cycle called {cycle_name!r}.", returncode=2
                )
        else:
            found = selectors.current_cycle(actor=actor)
            if found is None:
                raise CommandError(f"{actor.organization.slug} has no cycle yet.", returncode=2)
        return selectors.cycle_findings(actor=actor, cycle_id=found.pk)["findings"]

    def _file_findings(self, file, cycle_name, slug):
        try:
            doc = read_goals_file(file, file)
        except GoalsFileError as error:
            raise CommandError(str(error), returncode=2)
        stale_days, disabled, thresholds = 14, (), {}
        if slug:
            actor = owner_actor(organization_for(slug))
            settings = selectors.lint_settings(actor=actor)
            stale_days, disabled, thresholds = (
                actor.organization.stale_days,
                settings.disabled,
                settings.thresholds,
            )
        findings = []
        cycles = {c.name: c for c in doc.cycles}
        for name, goals in _goals_by_cycle(doc, cycle_name).items():
            cycle = _cycle_data(cycles.get(name))
            context = registry.Context(
                now=timezone.now(), stale_days=stale_days, cycle=cycle, thresholds=thresholds
            )
            meaning = _meaning(doc, goals)
            org = registry.OrgData(meaning=meaning) if meaning is not None else None
            findings += registry.run(goals, context, org, disabled=disabled)
        return sorted(findings, key=lambda f: (f.line, f.code))


def _meaning(doc, goals) -> registry.MeaningData | None:
    """The meaning rules' data for a file's goals: their texts embedded as the search index embeds a goal
    (title, then intent and description), and the mission's; None without an embedding model."""
    by_key = {g.key: g for g in doc.goals}
    texts = [_goal_text(by_key[g.id]) for g in goals]
    mission = doc.mission
    mission_text = ""
    if mission is not None:
        values = [f"{v.name}: {v.meaning}" for v in mission.values]
        mission_text = "\n".join(t for t in (mission.statement, mission.vision, *values) if t)
    found = embed_texts(texts + ([f"Mission. {mission_text}"] if mission_text else []))
    if found is None:
        return None
    return registry.MeaningData(
        vectors={g.id: found[i] for i, g in enumerate(goals)},
        mission=found[len(goals)] if mission_text else None,
        team_parents={t.name: t.parent for t in doc.teams},
    )


def _goal_text(goal) -> str:
    body = "\n".join(
        t for t in (goal.purpose, goal.end_state, goal.constraints, goal.freedoms, goal.description) if t
    )
    return f"{goal.title}. {body}".strip()


def _describe(f) -> str:
    return f"{f.code} {f.severity}: {f.message} ({f.hint})"


def _where(f) -> str:
    if f.goal_id is not None:
        return f'goal {f.goal_id} "{f.goal_title}"'
    return f'team "{f.team}"' if f.team else "organization"


def _cycle_data(cycle) -> registry.CycleData:
    if cycle is None:
        return registry.CycleData()
    today = timezone.localdate()
    running = cycle.state != "closed" and cycle.starts_on <= today <= cycle.ends_on
    return registry.CycleData(cycle.starts_on, cycle.ends_on, running)


def _goals_by_cycle(doc, cycle_name) -> dict:
    """The file's goals as the rules see them, grouped by their cycle (the only one when unnamed)."""
    cycles = {c.name: c for c in doc.cycles}
    only = next(iter(cycles.values())) if len(cycles) == 1 else None
    parent_of = {t.name: t.parent for t in doc.teams}
    grouped = defaultdict(list)
    for goal in doc.goals:
        cycle = cycles.get(goal.cycle) if goal.cycle else only
        if cycle_name and (cycle is None or cycle.name.lower() != cycle_name.lower()):
            continue
        grouped[cycle.name if cycle else None].append(_goal_data(goal, parent_of))
    if cycle_name and not grouped and cycle_name.lower() not in {c.lower() for c in cycles}:
        raise CommandError(f"The file has no cycle called {cycle_name!r}.", returncode=2)
    return grouped


def _moment(value) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.combine(value, datetime.min.time()))


def _goal_data(goal, parent_of) -> registry.GoalData:
    check_ins = [c.at for kr in goal.key_results for c in kr.check_ins if isinstance(c.at, date)]
    is_team = goal.team is not None and parent_of.get(goal.team) is not None
    return registry.GoalData(
        id=goal.key,
        title=goal.title,
        owner_id=goal.owner.lower(),
        owner=goal.owner,
        team_id=goal.team,
        team=goal.team or "",
        level="team" if is_team else "strategic",
        has_parent=goal.parent is not None,
        parent_id=goal.parent,
        supports=tuple(goal.supports),
        purpose=goal.purpose,
        end_state=goal.end_state,
        constraints=goal.constraints,
        freedoms=goal.freedoms,
        key_results=tuple(
            registry.KeyResultData(kr.title, kr.kind, kr.start, kr.target, kr.weight, kr.owner, kr.line)
            for kr in goal.key_results
        ),
        last_check_in_at=max(map(_moment, check_ins), default=None),
        line=goal.line,
        lines={name: goal.line_of(name) for name in ("title", "owner", "key_results", "parent")},
    )
