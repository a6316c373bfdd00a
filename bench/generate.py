"""Seeded data for the web benchmarks: one organization of size S, M or L, loaded through bulk inserts.

    DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python bench/generate.py --size M --out state.json

Everything below the organization is written with explicit ids in bulk (PostgreSQL: COPY; SQLite:
executemany), not through the services, so that size L loads in minutes. The stored roll-ups are
computed with the same pure rules the services use (`goals.rules`), bottom up, so they equal what the
services would have stored. The organization, its owner (the person the runner signs in as), the mission
and the runner's API token go through the services. The same seed gives the same organization.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.urls import reverse  # noqa: E402

from charter.delegation.models import Decision, DecisionDomain, DecisionEvent, DelegationLevel  # noqa: E402
from charter.discussion.models import Comment  # noqa: E402
from charter.goals import rules  # noqa: E402
from charter.goals.models import CheckIn, Cycle, Goal, KeyResult  # noqa: E402
from charter.ideas.models import Idea, IdeaVote  # noqa: E402
from charter.mission.services import mission_update  # noqa: E402
from charter.organizations.middleware import SESSION_KEY as ORG_SESSION_KEY  # noqa: E402
from charter.organizations.models import Membership, Team, TeamMembership, User  # noqa: E402
from charter.organizations.services import organization_create, token_create  # noqa: E402
from charter.search.embedder import MODEL_NAME  # noqa: E402
from charter.search.models import SearchDocument, SearchVector  # noqa: E402


@dataclass(frozen=True)
class Size:
    people: int
    departments: int
    subteams: int  # per department
    cycles: int
    goals: int  # over all cycles
    key_results: int  # over all goals (the mean per goal is kept; the count varies 2..6 around it)
    skip_week: float  # share of key-result weeks without a check-in


SIZES = {
    "S": Size(people=50, departments=3, subteams=2, cycles=4, goals=160, key_results=560, skip_week=0.1),
    "M": Size(
        people=2_000, departments=12, subteams=15, cycles=8, goals=5_000, key_results=20_000, skip_week=0.0
    ),
    "L": Size(
        people=20_000,
        departments=40,
        subteams=50,
        cycles=8,
        goals=50_000,
        key_results=200_000,
        skip_week=0.19,
    ),
}
ORG_GOALS = 5  # goals of the whole organization per cycle
DEPARTMENT_GOALS = 3  # per department and cycle
PASSWORD = "bench-password-not-for-production"
OWNER_EMAIL = "owner@bench.example"
DIMENSION = 384

WORDS = [
    "customer",
    "retention",
    "onboarding",
    "reliability",
    "latency",
    "revenue",
    "churn",
    "hiring",
    "pipeline",
    "quality",
    "safety",
    "clinic",
    "patient",
    "partner",
    "platform",
    "mobile",
    "release",
    "security",
    "compliance",
    "cost",
    "margin",
    "growth",
    "market",
    "brand",
    "support",
    "response",
    "training",
    "coverage",
    "accuracy",
    "outage",
    "uptime",
    "referral",
    "adoption",
    "usage",
    "trust",
    "insight",
    "research",
    "pricing",
    "contract",
    "renewal",
    "backlog",
    "delivery",
    "audit",
    "data",
    "privacy",
    "feedback",
]
KR_VERBS = ["Reach", "Keep", "Ship", "Lower"]
VERBS = ["Grow", "Cut", "Improve", "Launch", "Stabilise", "Double", "Halve", "Win", "Build", "Simplify"]
DOMAINS = ["Hiring", "Budget under 10k", "Tech stack", "Pricing", "Vendors", "Roadmap order"]


def _title(rng: random.Random, n: int = 3) -> str:
    return f"{rng.choice(VERBS)} {' '.join(rng.sample(WORDS, n))}"


class Writer:
    """Bulk inserts with explicit ids: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.next_ids: dict[type, int] = {}
        self.counts: dict[str, int] = {}

    def ids(self, model, n: int) -> range:
        if model not in self.next_ids:
            top = model._base_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self.next_ids[model] = top + 1
        start = self.next_ids[model]
        self.next_ids[model] = start + n
        return range(start, start + n)

    def insert(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        fields = list(model._meta.local_concrete_fields)
        columns = [f.column for f in fields]
        now = datetime.now(UTC)

        def value(field, row):
            if field.attname in row:
                v = row[field.attname]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                v = now
            else:
                v = field.get_default()  # "" for text fields without one, else None
            if isinstance(field, models.JSONField):
                return json.dumps(v)
            return v

        table = connection.ops.quote_name(model._meta.db_table)
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # the driver's own cursor: psycopg's COPY
                with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([value(f, row) for f in fields])
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                    [[value(f, row) for f in fields] for row in rows],
                )
        self.counts[model.__name__] = self.counts.get(model.__name__, 0) + len(rows)

    def reset_sequences(self) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in self.next_ids:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1)) FROM {table}",
                    [table],
                )


def _quarters(today: date, n: int) -> list[tuple[str, date, date]]:
    """The n quarters ending with the one that contains today, oldest first."""
    year, q = today.year, (today.month - 1) // 3
    out = []
    for _ in range(n):
        start = date(year, 3 * q + 1, 1)
        end = date(year + (q == 3), (3 * q + 3) % 12 + 1, 1) - timedelta(days=1)
        out.append((f"{year} Q{q + 1}", start, end))
        q -= 1
        if q < 0:
            year, q = year - 1, 3
    return out[::-1]


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def generate(size_name: str, seed: int = 6) -> dict:
    size = SIZES[size_name]
    rng = random.Random(seed)
    w = Writer()
    now = datetime.now(UTC)
    today = now.date()
    started = time.monotonic()
    timings = {}

    def lap(name):
        timings[name] = round(time.monotonic() - started, 1)

    with transaction.atomic():
        owner = User.objects.create_user(email=OWNER_EMAIL, password=PASSWORD, full_name="Bench Owner")
        org, actor = organization_create(name=f"Bench {size_name}", owner=owner)
        mission_update(
            actor=actor,
            statement="Make healthcare reachable for everyone who needs it.",
            vision="Every patient is seen within a day.",
            values=[{"name": "Candour", "meaning": "Say what you see."}],
            reason="First mission of the benchmark organization.",
        )
        token, raw_token = token_create(actor=actor, name="bench runner", days=30)
        O = org.pk  # noqa: E741 - short: it is in every row

        # ---- people ------------------------------------------------------------------------------
        hashed = make_password(PASSWORD)
        user_ids = [owner.pk, *w.ids(User, size.people - 1)]
        w.insert(
            User,
            [
                {
                    "id": uid,
                    "password": hashed,
                    "email": f"person{i}@bench.example",
                    "full_name": f"Person {i:05d}",
                    "is_active": True,
                    "date_joined": now,
                }
                for i, uid in enumerate(user_ids[1:], start=1)
            ],
        )
        roles = dict.fromkeys(user_ids[1:], "member")
        for uid in user_ids[1 : 1 + max(1, size.people // 100)]:
            roles[uid] = "admin"
        for uid in user_ids[-max(1, size.people // 50) :]:
            roles[uid] = "viewer"

        # ---- teams: departments, each with sub-teams ---------------------------------------------
        dept_ids = list(w.ids(Team, size.departments))
        sub_ids = {d: list(w.ids(Team, size.subteams)) for d in dept_ids}
        team_rows = [
            {"id": d, "organization_id": O, "name": f"Department {i + 1:02d}", "parent_id": None}
            for i, d in enumerate(dept_ids)
        ]
        for i, d in enumerate(dept_ids):
            team_rows += [
                {"id": s, "organization_id": O, "name": f"Team {i + 1:02d}.{j + 1:02d}", "parent_id": d}
                for j, s in enumerate(sub_ids[d])
            ]
        w.insert(Team, team_rows)
        all_subs = [s for d in dept_ids for s in sub_ids[d]]
        dept_of = {s: d for d in dept_ids for s in sub_ids[d]}
        members = {t: [] for t in [*dept_ids, *all_subs]}
        leads = {}
        # The owner leads department 1; every other person is in one sub-team (the first is its lead);
        # each department's lead is the lead of its first sub-team.
        for i, uid in enumerate(user_ids[1:]):
            members[all_subs[i % len(all_subs)]].append(uid)
        tm_rows = []
        for s in all_subs:
            for k, uid in enumerate(members[s]):
                tm_rows.append({"organization_id": O, "team_id": s, "user_id": uid, "is_lead": k == 0})
            if members[s]:
                leads[s] = members[s][0]
        for n, d in enumerate(dept_ids):
            lead = owner.pk if n == 0 else leads.get(sub_ids[d][0], owner.pk)
            leads[d] = lead
            members[d] = [lead]
            tm_rows.append({"organization_id": O, "team_id": d, "user_id": lead, "is_lead": True})
            if lead != owner.pk:
                roles[lead] = "leader"
        for row, tm_id in zip(tm_rows, w.ids(TeamMembership, len(tm_rows)), strict=True):
            row["id"] = tm_id
        w.insert(TeamMembership, tm_rows)
        w.insert(
            Membership,
            [
                {"id": mid, "organization_id": O, "user_id": uid, "role": role, "is_active": True}
                for mid, (uid, role) in zip(w.ids(Membership, len(roles)), sorted(roles.items()), strict=True)
            ],
        )
        lap("people")

        # ---- cycles ------------------------------------------------------------------------------
        quarters = _quarters(today, size.cycles)
        cycle_ids = list(w.ids(Cycle, len(quarters)))
        cycles = []
        for cid, (name, start, end) in zip(cycle_ids, quarters, strict=True):
            state = "active" if start <= today <= end else "closed"
            cycles.append({"id": cid, "organization_id": O, "name": name, "starts_on": start, "ends_on": end,
                           "state": state})  # fmt: skip
        w.insert(Cycle, cycles)

        # ---- goals: organization → department → sub-team, per cycle -------------------------------
        per_cycle = size.goals // size.cycles
        goals: list[dict] = []
        for cycle in cycles:
            created = _at(cycle["starts_on"], 9)
            level0, level1 = [], {d: [] for d in dept_ids}

            def goal(team_id, parent_id, owner_id, cycle=cycle, created=created):
                g = {
                    "organization_id": O,
                    "cycle_id": cycle["id"],
                    "team_id": team_id,
                    "owner_id": owner_id,
                    "title": _title(rng),
                    "description": "",
                    "purpose": f"So that {' '.join(rng.sample(WORDS, 6))}.",
                    "end_state": f"We see {' '.join(rng.sample(WORDS, 5))}.",
                    "constraints": "Not at the expense of patient safety." if rng.random() < 0.5 else "",
                    "freedoms": "How the team gets there." if rng.random() < 0.5 else "",
                    "parent_id": parent_id,
                    "weight": 1.0,
                    "created_at": created,
                    "updated_at": created,
                }
                goals.append(g)
                return g

            for _ in range(ORG_GOALS):
                level0.append(goal(None, None, rng.choice([owner.pk, *[leads[d] for d in dept_ids]])))
            for d in dept_ids:
                for _ in range(DEPARTMENT_GOALS):
                    level1[d].append(goal(d, rng.choice(level0), leads[d]))
            rest = per_cycle - ORG_GOALS - DEPARTMENT_GOALS * len(dept_ids)
            for k in range(max(rest, 0)):
                s = all_subs[k % len(all_subs)]
                owner_id = rng.choice(members[s]) if members[s] else leads[dept_of[s]]
                goal(s, rng.choice(level1[dept_of[s]]), owner_id)
        for g, gid in zip(goals, w.ids(Goal, len(goals)), strict=True):
            g["id"] = gid
        for g in goals:  # parents were dicts until the ids were known
            g["parent_id"] = g["parent_id"]["id"] if g["parent_id"] else None
        lap("goals built")

        # ---- key results and check-ins --------------------------------------------------------------
        cycle_by_id = {c["id"]: c for c in cycles}
        krs: list[dict] = []
        check_ins: list[dict] = []
        mean = size.key_results / len(goals)
        kinds = [rules.INCREASE] * 11 + [rules.DECREASE] * 4 + [rules.RANGE] * 2 + [rules.MILESTONE] * 3
        kr_ids = iter(w.ids(KeyResult, int(len(goals) * (mean + 2))))
        ci_total = 0
        for g in goals:
            cycle = cycle_by_id[g["cycle_id"]]
            n = max(1, min(round(mean) + rng.randint(-2, 2), 10))
            team_people = members.get(g["team_id"]) or [g["owner_id"]]
            last_day = min(cycle["ends_on"], today - timedelta(days=1))
            weeks = max(0, (last_day - cycle["starts_on"]).days // 7)
            for pos in range(n):
                kind = rng.choice(kinds)
                start, target, target_max, unit = 0.0, 1.0, None, ""
                if kind == rules.INCREASE:
                    start = float(rng.randint(0, 50))
                    target, unit = start + rng.randint(10, 200), rng.choice(["%", "users", "deals", ""])
                elif kind == rules.DECREASE:
                    start = float(rng.randint(60, 300))
                    target, unit = start - rng.randint(20, 55), rng.choice(["ms", "tickets", "days"])
                elif kind == rules.RANGE:
                    start, target, target_max, unit = float(rng.randint(40, 60)), 80.0, 90.0, "%"
                kr = {
                    "id": next(kr_ids),
                    "organization_id": O,
                    "goal_id": g["id"],
                    "title": f"{rng.choice(KR_VERBS)} {' '.join(rng.sample(WORDS, 3))}",
                    "kind": kind,
                    "unit": unit,
                    "start": start,
                    "target": target,
                    "target_max": target_max,
                    "current": start,
                    "weight": 1.0,
                    "owner_id": rng.choice(team_people),
                    "position": pos,
                    "progress": 0.0,
                    "confidence": None,
                    "last_check_in_at": None,
                    "created_at": g["created_at"],
                    "updated_at": g["created_at"],
                }
                reach = rng.uniform(0.2, 1.2)  # the share of the way this key result gets by the cycle's end
                confidence = rng.randint(4, 8)
                total_weeks = max(1, (cycle["ends_on"] - cycle["starts_on"]).days // 7)
                for week in range(1, weeks + 1):
                    if rng.random() < size.skip_week:
                        continue
                    share = reach * week / total_weeks + rng.uniform(-0.05, 0.05)
                    if kind == rules.MILESTONE:
                        value = 1.0 if share >= 0.9 else 0.0
                    elif kind == rules.RANGE:
                        value = round(start + (target - start) * share, 1)
                    else:
                        value = round(start + (target - start) * share, 1)
                    confidence = min(10, max(0, confidence + rng.choice([-1, 0, 0, 1])))
                    at = _at(cycle["starts_on"] + timedelta(days=7 * week), rng.randint(8, 17))
                    check_ins.append(
                        {
                            "organization_id": O,
                            "key_result_id": kr["id"],
                            "value": value,
                            "confidence": confidence,
                            "note": "On plan." if rng.random() < 0.2 else "",
                            "author_id": kr["owner_id"],
                            "checked_at": at,
                            "is_late": False,
                            "created_at": at,
                        }
                    )
                    kr.update(current=value, confidence=confidence, last_check_in_at=at, updated_at=at)
                kr["progress"] = rules.key_result_progress(kind, start, target, kr["current"], target_max)
                krs.append(kr)
            if len(check_ins) >= 200_000:  # keep memory flat at size L
                for row, cid in zip(check_ins, w.ids(CheckIn, len(check_ins)), strict=True):
                    row["id"] = cid
                w.insert(CheckIn, check_ins)
                ci_total += len(check_ins)
                check_ins = []
        for row, cid in zip(check_ins, w.ids(CheckIn, len(check_ins)), strict=True):
            row["id"] = cid
        w.insert(CheckIn, check_ins)
        ci_total += len(check_ins)
        lap("check-ins")

        # ---- roll-ups, bottom up (children before parents: deeper levels were created later) -----
        _roll_up(goals, krs)
        w.insert(Goal, goals)
        w.insert(KeyResult, krs)
        lap("goals and key results")

        # ---- decisions, ideas, comments -----------------------------------------------------------
        domain_ids = list(w.ids(DecisionDomain, len(DOMAINS)))
        w.insert(
            DecisionDomain,
            [{"id": i, "organization_id": O, "name": n} for i, n in zip(domain_ids, DOMAINS, strict=True)],
        )
        w.insert(
            DelegationLevel,
            [
                {"id": lid, "organization_id": O, "team_id": d, "domain_id": dom, "level": rng.randint(2, 6)}
                for lid, (d, dom) in zip(
                    w.ids(DelegationLevel, len(dept_ids) * len(domain_ids)),
                    [(d, dom) for d in dept_ids for dom in domain_ids],
                    strict=True,
                )
            ],
        )
        n_decisions = max(20, size.people // 3)
        decisions, events, links = [], [], []
        goals_of_team = {}
        for g in goals:
            goals_of_team.setdefault(g["team_id"], []).append(g["id"])
        since = _at(quarters[0][1], 9)
        span = (now - since).total_seconds()
        for did in w.ids(Decision, n_decisions):
            team = rng.choice(all_subs)
            proposed = since + timedelta(seconds=rng.uniform(0, span * 0.98))
            decided = rng.random() < 0.8
            decided_at = proposed + timedelta(hours=rng.uniform(1, 96)) if decided else None
            recorder = leads.get(team, owner.pk)
            decisions.append(
                {
                    "id": did,
                    "organization_id": O,
                    "title": f"Choose {' '.join(rng.sample(WORDS, 3))}",
                    "context": f"We need to settle {' '.join(rng.sample(WORDS, 8))}.",
                    "decision": "We go with the second option." if decided else "",
                    "rationale": "Cheaper to undo." if decided else "",
                    "domain_id": rng.choice(domain_ids),
                    "team_id": team,
                    "status": "decided" if decided else "proposed",
                    "level": rng.randint(2, 6),
                    "relation": "lead",
                    "awaiting": "" if decided else "decision",
                    "addressed_to_id": None if decided else leads[dept_of[team]],
                    "recorded_by_id": recorder,
                    "decided_by_id": recorder if decided else None,
                    "proposed_at": proposed,
                    "decided_at": decided_at,
                    "created_at": proposed,
                    "updated_at": decided_at or proposed,
                }
            )
            events.append({"organization_id": O, "decision_id": did, "actor_id": recorder, "kind": "recorded",
                           "status": decisions[-1]["status"], "created_at": proposed})  # fmt: skip
            if goals_of_team.get(team):
                links.append({"decision_id": did, "goal_id": rng.choice(goals_of_team[team])})
        w.insert(Decision, decisions)
        for row, eid in zip(events, w.ids(DecisionEvent, len(events)), strict=True):
            row["id"] = eid
        w.insert(DecisionEvent, events)
        through = Decision.goals.through
        for row, lid in zip(links, w.ids(through, len(links)), strict=True):
            row["id"] = lid
        w.insert(through, links)

        ideas, votes = [], []
        for iid in w.ids(Idea, max(10, size.people // 10)):
            at = since + timedelta(seconds=rng.uniform(0, span))
            ideas.append({"id": iid, "organization_id": O, "title": f"What if we {_title(rng).lower()}",
                          "description": "Worth a try.", "author_id": rng.choice(user_ids),
                          "status": rng.choice(["new", "new", "exploring", "parked"]),
                          "created_at": at, "updated_at": at})  # fmt: skip
            for uid in set(rng.sample(user_ids, rng.randint(0, 5))):
                votes.append({"organization_id": O, "idea_id": iid, "user_id": uid, "created_at": at})
        w.insert(Idea, ideas)
        for row, vid in zip(votes, w.ids(IdeaVote, len(votes)), strict=True):
            row["id"] = vid
        w.insert(IdeaVote, votes)

        comments = []
        for cid in w.ids(Comment, len(goals) // 2):
            g = rng.choice(goals)
            at = g["created_at"] + timedelta(days=rng.uniform(1, 60))
            comments.append({"id": cid, "organization_id": O, "target_type": "goal", "target_id": g["id"],
                             "author_id": rng.choice(user_ids), "body": f"How does this help {rng.choice(WORDS)}?",  # noqa: E501
                             "created_at": at, "deleted": False})  # fmt: skip
        w.insert(Comment, comments)
        lap("decisions, ideas, comments")

        # ---- the search index: texts, and random unit vectors (a query costs the same whatever they mean)
        vec_rng = np.random.default_rng(seed)
        docs = []
        for g in goals:
            docs.append(("goal", g["id"], g["title"], f"{g['purpose']} {g['end_state']}", g["team_id"],
                         g["cycle_id"], reverse("goal_detail", args=[g["id"]])))  # fmt: skip
        team_cycle = {g["id"]: (g["team_id"], g["cycle_id"], g["title"]) for g in goals}
        for k in krs:
            t, c, title = team_cycle[k["goal_id"]]
            docs.append(("key_result", k["id"], k["title"], f"Key result of the goal “{title}”", t, c,
                         reverse("goal_detail", args=[k["goal_id"]])))  # fmt: skip
        for d in decisions:
            docs.append(("decision", d["id"], d["title"], d["context"], d["team_id"], None,
                         reverse("decision_detail", args=[d["id"]])))  # fmt: skip
        for i in ideas:
            docs.append(("idea", i["id"], i["title"], i["description"], None, None,
                         reverse("idea_detail", args=[i["id"]])))  # fmt: skip
        doc_ids = iter(w.ids(SearchDocument, len(docs)))
        for start in range(0, len(docs), 50_000):
            chunk = [(next(doc_ids), *doc) for doc in docs[start : start + 50_000]]
            vectors = vec_rng.standard_normal((len(chunk), DIMENSION)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            w.insert(
                SearchDocument,
                [
                    {
                        "id": doc_id,
                        "organization_id": O,
                        "type": typ,
                        "object_id": oid,
                        "title": title[:300],
                        "body": body,
                        "team_id": team_id,
                        "cycle_id": cycle_id,
                        "url": url,
                        "updated_at": now,
                    }  # fmt: skip
                    for doc_id, typ, oid, title, body, team_id, cycle_id, url in chunk
                ],
            )
            w.insert(  # each document's meaning beside it, as the services store it
                SearchVector,
                [
                    {
                        "document_id": doc[0],
                        "organization_id": O,
                        "vector": vec.tobytes(),
                        "model": MODEL_NAME,
                        "dimension": DIMENSION,
                    }  # fmt: skip
                    for doc, vec in zip(chunk, vectors, strict=True)
                ],
            )
        if not w.postgres:  # SQLite's keyword index is an FTS5 table the services keep
            _sqlite_fts(org.pk)
        w.reset_sequences()
        lap("search index")

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    lap("analyze")

    # A signed-in session for the runner, as login() would make it.
    session = SessionStore()
    session[SESSION_KEY] = str(owner.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = owner.get_session_auth_hash()
    session[ORG_SESSION_KEY] = org.pk
    session.set_expiry(60 * 60 * 24)
    session.create()
    session.save()

    current = next(c for c in cycles if c["state"] == "active")
    current_goals = [g for g in goals if g["cycle_id"] == current["id"]]
    current_ids = {g["id"] for g in current_goals}
    current_krs = sorted(k["id"] for k in krs if k["goal_id"] in current_ids)
    sample = random.Random(seed + 1)
    return {
        "size": size_name,
        "seed": seed,
        "organization_id": org.pk,
        "owner_email": OWNER_EMAIL,
        "password": PASSWORD,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "session_key": session.session_key,
        "token": raw_token,
        "cycle_id": current["id"],
        "department_id": dept_ids[0],
        "department_goals": sum(
            1 for g in current_goals if g["team_id"] in (dept_ids[0], *sub_ids[dept_ids[0]])
        ),
        "cycle_goals": len(current_goals),
        "goal_ids": sample.sample(sorted(current_ids), min(200, len(current_ids))),
        "key_result_ids": sample.sample(current_krs, min(500, len(current_krs))),
        "search_terms": sample.sample(WORDS, 10),
        "rows": w.counts,
        "seconds": timings,
    }


def _roll_up(goals: list[dict], krs: list[dict]) -> None:
    """Each goal's progress, confidence and last check-in, as goals.services.rollup computes them."""
    kr_of: dict[int, list[dict]] = {}
    for k in krs:
        kr_of.setdefault(k["goal_id"], []).append(k)
    children: dict[int, list[dict]] = {}
    for g in goals:
        if g["parent_id"]:
            children.setdefault(g["parent_id"], []).append(g)
    for g in reversed(goals):  # every child comes after its parent in `goals`
        # In the order the service reads them (key results by position, goals by title), so that the
        # floating-point sums are the same to the last bit.
        ks = kr_of.get(g["id"], [])
        cs = sorted(children.get(g["id"], []), key=lambda c: (c["title"], c["id"]))
        parts = [(x["progress"], x["weight"]) for x in ks + cs]
        g["progress"] = rules.weighted_progress(parts)
        kr_conf = [k["confidence"] for k in ks if k["confidence"] is not None]
        child_conf = [c["confidence"] for c in cs if c["confidence"] is not None]
        g["confidence"] = (
            min(kr_conf) if kr_conf else round(sum(child_conf) / len(child_conf)) if child_conf else None
        )
        dates = [x["last_check_in_at"] for x in ks + cs if x["last_check_in_at"] is not None]
        g["last_check_in_at"] = max(dates) if dates else None


def _sqlite_fts(organization_id: int) -> None:
    from charter.search import keyword

    backend = keyword.backend()
    with connection.cursor() as cursor:
        for doc_id, title, body in SearchDocument.objects.for_org(organization_id).values_list(
            "id", "title", "body"
        ):
            backend.write(cursor, doc_id, title, body)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--out", type=Path, help="Write the runner's state (ids, session, token) here as JSON."
    )
    args = parser.parse_args(argv)
    state = generate(args.size, seed=args.seed)
    text = json.dumps(state, indent=2, default=str)
    if args.out:
        args.out.write_text(text)
    print(json.dumps({"size": state["size"], "rows": state["rows"], "seconds": state["seconds"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
