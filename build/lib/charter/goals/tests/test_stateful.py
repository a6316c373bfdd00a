"""A stateful property test of goals, key results and check-ins across two organizations.

Hypothesis drives random sequences of creating, moving (parent, team, cycle, supports links),
changing and deleting goals and key results and recording check-ins, all through the services with
an actor. Some attempts deliberately reach into the other organization, close an alignment loop or
touch a deleted object; the model says which ones must be refused, and a refused attempt must raise a
DomainError and change nothing. After every step:

- no link crosses organizations (parent, supports, cycle, team, owners, key result -> goal,
  check-in -> key result, check-in author);
- the alignment graph (parent links) has no loop, and no goal supports itself;
- every stored roll-up equals a fresh computation from the pure rules (`goals.rules`): key result
  progress, current value, confidence and last check-in from its check-ins; goal progress, confidence
  and last check-in from its key results and (freshly computed) children, bottom up (ADR 3).

The organizations are built once per test; each example runs in a savepoint rolled back at its end.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from charter.core.actor import Actor
from charter.core.errors import DomainError
from charter.core.models import AuditEvent
from charter.goals import rules, services
from charter.goals.models import CheckIn, Goal, GoalRevision, KeyResult, KeyResultRevision
from charter.goals.tests.factories import make_cycle
from charter.organizations.models import Membership, Role, Team
from charter.organizations.tests.factories import make_org, make_person, make_team

STATEFUL_SETTINGS = settings(
    max_examples=30,
    stateful_step_count=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
WEIGHTS = st.sampled_from([0.5, 1.0, 2.0, 3.0])
VALUES = st.integers(-50, 150).map(float)
PICK = st.integers(0, 99)  # position among the live key results
CROSS = st.sampled_from([False, False, False, True])  # act from the other organization, now and then


@dataclass
class Org:
    """One organization of the test: its owner (may do anything), a member of its first team, and
    the ids of its teams, cycles and people."""

    owner: Actor
    member: Actor
    team_ids: list[int]
    cycle_ids: list[int]
    user_ids: list[int]

    @property
    def id(self) -> int:
        return self.owner.organization.pk


def build_org(name: str) -> Org:
    owner = make_org(name)
    teams = [make_team(owner, f"{name} sales"), make_team(owner, f"{name} product")]
    member = make_person(owner, Role.MEMBER, team=teams[0])
    other = make_person(owner, Role.MEMBER, team=teams[1])
    cycles = [
        make_cycle(owner, f"{name} Q1"),
        make_cycle(owner, f"{name} Q2", days_before=-100, days_after=190, state="planning"),
    ]
    return Org(
        owner=owner,
        member=member,
        team_ids=[t.pk for t in teams],
        cycle_ids=[c.pk for c in cycles],
        user_ids=[owner.user_id, member.user_id, other.user_id],
    )


# ---- reading the whole database (both organizations) ----------------------------------------------


def org_of_goal(goal_id: int | None) -> int | None:
    return Goal.objects.unscoped().filter(pk=goal_id).values_list("organization_id", flat=True).first()


def org_of_key_result(key_result_id: int) -> int | None:
    return (
        KeyResult.objects.unscoped()
        .filter(pk=key_result_id)
        .values_list("organization_id", flat=True)
        .first()
    )


def parent_map() -> dict[int, int | None]:
    return dict(Goal.objects.unscoped().values_list("id", "parent_id"))


def descendants(goal_id: int, parents: dict[int, int | None]) -> list[int]:
    """The goal and every goal below it."""
    found, frontier = {goal_id}, {goal_id}
    while frontier:
        frontier = {g for g, p in parents.items() if p in frontier} - found
        found |= frontier
    return sorted(found)


def depth(goal_id: int, parents: dict[int, int | None]) -> int:
    """How many parents a goal has above it (bounded, should a loop ever exist)."""
    steps = 0
    while (goal_id := parents.get(goal_id)) is not None and steps <= len(parents):
        steps += 1
    return steps


def snapshot() -> tuple:
    """Everything a refused attempt must leave as it was."""
    return (
        sorted(
            Goal.objects.unscoped().values_list(
                "id",
                "organization_id",
                "cycle_id",
                "team_id",
                "owner_id",
                "parent_id",
                "weight",
                "progress",
                "confidence",
                "last_check_in_at",
                "version",
                "title",
            )
        ),
        sorted(Goal.supports.through.objects.values_list("from_goal_id", "to_goal_id")),
        sorted(
            KeyResult.objects.unscoped().values_list(
                "id",
                "organization_id",
                "goal_id",
                "kind",
                "start",
                "target",
                "target_max",
                "weight",
                "current",
                "progress",
                "confidence",
                "last_check_in_at",
                "version",
                "owner_id",
            )
        ),
        sorted(CheckIn.objects.unscoped().values_list("id", "key_result_id", "value", "confidence")),
        AuditEvent.objects.unscoped().count(),
        GoalRevision.objects.unscoped().count(),
        KeyResultRevision.objects.unscoped().count(),
    )


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


class GoalsMachine(RuleBasedStateMachine):
    """Random goal work in two organizations; `orgs` is set by the test before it runs."""

    orgs: list[Org] = []

    goals = Bundle("goals")
    key_results = Bundle("key_results")

    def __init__(self):
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # ---- running an attempt against the model's expectation ----

    def attempt(self, should_succeed: bool | None, call, what: str):
        """Run `call`; it must succeed when the model says so, else raise a DomainError and change
        nothing (`should_succeed=None`: either, but a refusal still changes nothing)."""
        before = snapshot()
        try:
            result = call()
        except DomainError as refused:
            assert should_succeed is not True, f"{what}: refused although valid: {refused!r}"
            assert snapshot() == before, f"{what}: refused ({refused!r}) but the database changed"
            event(f"{what}: refused")
            return None
        assert should_succeed is not False, f"{what}: accepted although it must be refused"
        event(f"{what}: done")
        return result

    def acting_for(self, object_org: int | None, cross: bool) -> tuple[Org, Org]:
        """(the organization whose actor acts, the other one): the object's own unless `cross`."""
        mine = self.orgs[0] if object_org in (None, self.orgs[0].id) else self.orgs[1]
        other = self.orgs[1] if mine is self.orgs[0] else self.orgs[0]
        return (other, mine) if cross else (mine, other)

    # ---- a start in each organization, so every rule has something to work on ----

    @initialize(target=goals)
    def seed_goals(self):
        ids = []
        for org in self.orgs:
            top = services.goal_create(actor=org.owner, cycle_id=org.cycle_ids[0], title="Top")
            team = services.goal_create(
                actor=org.owner,
                cycle_id=org.cycle_ids[0],
                title="Team",
                team_id=org.team_ids[0],
                parent_id=top.pk,
            )
            ids += [top.pk, team.pk]
        return multiple(*ids)

    @initialize(target=key_results)
    def seed_key_results(self):
        ids = []
        for org in self.orgs:
            goal = services.goal_create(
                actor=org.owner, cycle_id=org.cycle_ids[0], title="Measured", team_id=org.team_ids[0]
            )
            for kind, numbers in ((rules.INCREASE, (0, 10)), (rules.DECREASE, (10, 0))):
                kr = services.key_result_create(
                    actor=org.owner,
                    goal_id=goal.pk,
                    title="KR",
                    kind=kind,
                    start=numbers[0],
                    target=numbers[1],
                )
                ids.append(kr.pk)
        return multiple(*ids)

    # ---- goals ----

    @rule(
        target=goals,
        org=st.sampled_from([0, 1]),
        cross=CROSS,
        cycle=st.sampled_from([0, 1, 0, 1, "foreign"]),
        team=st.sampled_from([None, 0, 1, None, 0, 1, "foreign"]),
        parent=st.none() | goals,
        supports=st.lists(goals, max_size=1),
        weight=WEIGHTS,
    )
    def create_goal(self, org, cross, cycle, team, parent, supports, weight):
        """A new goal, usually in its parent's organization."""
        me, other = self.acting_for(org_of_goal(parent) if parent else self.orgs[org].id, cross)
        valid = "foreign" not in (cycle, team) and all(
            org_of_goal(g) == me.id for g in [*supports, parent] if g
        )
        goal = self.attempt(
            valid,
            lambda: services.goal_create(
                actor=me.owner,
                cycle_id=other.cycle_ids[0] if cycle == "foreign" else me.cycle_ids[cycle],
                title="Goal",
                team_id=other.team_ids[0]
                if team == "foreign"
                else None
                if team is None
                else me.team_ids[team],
                parent_id=parent,
                supports_ids=supports,
                weight=weight,
            ),
            "goal_create",
        )
        return goal.pk if goal else multiple()

    @rule(
        goal=goals,
        cross=CROSS,
        parent=st.none() | goals,
        loop=st.sampled_from([False, False, True]),
        team=st.sampled_from(["keep", None, 0, 1, "foreign"]),
        cycle=st.sampled_from(["keep", 0, 1, "foreign"]),
        supports=st.none() | st.lists(goals, max_size=2, unique=True),
        weight=st.none() | WEIGHTS,
    )
    def move_goal(self, goal, cross, parent, loop, team, cycle, supports, weight):
        """Reparent, change team, cycle, supports or weight; `loop` aims the parent at the goal's
        deepest descendant (or itself), which must be refused."""
        goal_org = org_of_goal(goal)
        me, other = self.acting_for(goal_org, cross)
        parents = parent_map()
        if loop and goal in parents:
            parent = max(descendants(goal, parents), key=lambda g: depth(g, parents))
        values = {"parent_id": parent}
        if team == "foreign":
            values["team_id"] = other.team_ids[0]
        elif team != "keep":
            values["team_id"] = None if team is None else me.team_ids[team]
        if cycle == "foreign":
            values["cycle_id"] = other.cycle_ids[0]
        elif cycle != "keep":
            values["cycle_id"] = me.cycle_ids[cycle]
        if supports is not None:
            values["supports_ids"] = supports
        if weight is not None:
            values["weight"] = weight
        linked = ([] if parent is None else [parent]) + (supports or [])
        valid = (
            goal_org == me.id
            and all(org_of_goal(g) == me.id for g in linked)
            and "foreign" not in (team, cycle)
            and goal not in (supports or [])
            and not rules.would_create_cycle(goal, parent, parents)
        )
        self.attempt(
            valid, lambda: services.goal_update(actor=me.owner, goal_id=goal, **values), "goal_update"
        )

    @rule(goal=goals, parent=st.none() | goals, team=st.sampled_from([None, 0, 1]))
    def member_moves_goal(self, goal, parent, team):
        """A member reaches only some goals; whatever the answer, a refusal changes nothing."""
        goal_org = org_of_goal(goal)
        me, _ = self.acting_for(goal_org, False)
        team_id = None if team is None else me.team_ids[team]
        self.attempt(
            None if goal_org is not None else False,
            lambda: services.goal_update(actor=me.member, goal_id=goal, parent_id=parent, team_id=team_id),
            "member goal_update",
        )

    @rule(goal=consumes(goals), cross=CROSS)
    def delete_goal(self, goal, cross):
        """Delete a goal: its key results go with it, its children stay, no longer aligned."""
        goal_org = org_of_goal(goal)
        me, _ = self.acting_for(goal_org, cross)
        self.attempt(
            goal_org == me.id, lambda: services.goal_delete(actor=me.owner, goal_id=goal), "goal_delete"
        )

    @rule(kr=consumes(key_results), cross=CROSS)
    def delete_key_result(self, kr, cross):
        kr_org = org_of_key_result(kr)
        me, _ = self.acting_for(kr_org, cross)
        self.attempt(
            kr_org == me.id,
            lambda: services.key_result_delete(actor=me.owner, key_result_id=kr),
            "key_result_delete",
        )

    # ---- key results and check-ins ----

    @rule(
        target=key_results,
        goal=goals,
        cross=CROSS,
        kind=st.sampled_from([rules.INCREASE, rules.DECREASE, rules.RANGE, rules.MILESTONE]),
        start=VALUES,
        span=st.integers(0, 100).map(float),
        weight=WEIGHTS,
        owner=st.sampled_from([None, 0, 1, 2, "foreign"]),
    )
    def create_key_result(self, goal, cross, kind, start, span, weight, owner):
        goal_org = org_of_goal(goal)
        me, other = self.acting_for(goal_org, cross)
        numbers = {
            rules.INCREASE: {"start": start, "target": start + span},
            rules.DECREASE: {"start": start, "target": start - span},
            rules.RANGE: {"start": start, "target": start + span, "target_max": start + 2 * span},
            rules.MILESTONE: {},
        }[kind]
        owner_id = other.user_ids[1] if owner == "foreign" else None if owner is None else me.user_ids[owner]
        kr = self.attempt(
            goal_org == me.id and owner != "foreign",
            lambda: services.key_result_create(
                actor=me.owner,
                goal_id=goal,
                title="KR",
                kind=kind,
                weight=weight,
                owner_id=owner_id,
                **numbers,
            ),
            "key_result_create",
        )
        return kr.pk if kr else multiple()

    @rule(kr=key_results, cross=CROSS, new_target=VALUES, weight=st.none() | WEIGHTS)
    def change_key_result(self, kr, cross, new_target, weight):
        kr_org = org_of_key_result(kr)
        me, _ = self.acting_for(kr_org, cross)
        current = KeyResult.objects.unscoped().filter(pk=kr).values("kind", "start", "target_max").first()
        values = {} if weight is None else {"weight": weight}
        valid = kr_org == me.id
        if current and current["kind"] != rules.MILESTONE:
            values["target"] = new_target
            start, kind = current["start"], current["kind"]
            valid = valid and not (
                (kind == rules.INCREASE and new_target < start)
                or (kind == rules.DECREASE and new_target > start)
                or (kind == rules.RANGE and current["target_max"] < new_target)
            )
        self.attempt(
            valid,
            lambda: services.key_result_update(actor=me.owner, key_result_id=kr, **values),
            "key_result_update",
        )

    def record(self, pick, actor_of, cross, value, confidence, days_ago, should_succeed):
        """A check-in on a live key result (picked by position), sometimes backdated: the latest by
        date is the current value."""
        live = sorted(KeyResult.objects.unscoped().values_list("id", flat=True))
        if not live:
            return
        kr = live[pick % len(live)]
        kr_org = org_of_key_result(kr)
        me, _ = self.acting_for(kr_org, cross)
        checked_at = timezone.now() - timedelta(days=days_ago, minutes=days_ago)
        self.attempt(
            should_succeed(kr_org == me.id),
            lambda: services.check_in_record(
                actor=actor_of(me),
                key_result_id=kr,
                value=value,
                confidence=confidence,
                checked_at=checked_at,
            ),
            "check_in_record",
        )

    @rule(pick=PICK, cross=CROSS, value=VALUES, confidence=st.integers(0, 10), days_ago=st.integers(0, 20))
    def check_in(self, pick, cross, value, confidence, days_ago):
        self.record(
            pick, lambda org: org.owner, cross, value, confidence, days_ago, lambda same_org: same_org
        )

    @rule(pick=PICK, cross=CROSS, value=VALUES, confidence=st.integers(0, 10), days_ago=st.integers(0, 20))
    def member_checks_in(self, pick, cross, value, confidence, days_ago):
        """A member checks in where their team reaches; elsewhere a refusal changes nothing."""
        self.record(
            pick,
            lambda org: org.member,
            cross,
            value,
            confidence,
            days_ago,
            lambda same_org: None if same_org else False,
        )

    # ---- invariants ----

    @invariant()
    def no_link_crosses_organizations(self):
        members = set(Membership.objects.unscoped().values_list("organization_id", "user_id"))
        team_org = dict(Team.objects.unscoped().values_list("id", "organization_id"))
        goal_org = dict(Goal.objects.unscoped().values_list("id", "organization_id"))
        for goal in Goal.objects.unscoped().select_related("cycle"):
            org = goal.organization_id
            assert goal.cycle.organization_id == org, f"goal {goal.pk}: cycle of another organization"
            assert goal.team_id is None or team_org[goal.team_id] == org, f"goal {goal.pk}: foreign team"
            assert (org, goal.owner_id) in members, f"goal {goal.pk}: owner outside the organization"
            assert goal.parent_id is None or goal_org[goal.parent_id] == org, (
                f"goal {goal.pk}: foreign parent"
            )
        for source, target in Goal.supports.through.objects.values_list("from_goal_id", "to_goal_id"):
            assert goal_org[source] == goal_org[target], f"goal {source} supports a foreign goal {target}"
        kr_org = {}
        for kr in KeyResult.objects.unscoped().values("id", "organization_id", "goal_id", "owner_id"):
            kr_org[kr["id"]] = kr["organization_id"]
            assert goal_org[kr["goal_id"]] == kr["organization_id"], f"key result {kr['id']}: foreign goal"
            assert kr["owner_id"] is None or (kr["organization_id"], kr["owner_id"]) in members
        for check_in in CheckIn.objects.unscoped().values(
            "id", "organization_id", "key_result_id", "author_id"
        ):
            assert kr_org[check_in["key_result_id"]] == check_in["organization_id"], (
                "check-in: foreign key result"
            )
            assert (check_in["organization_id"], check_in["author_id"]) in members, "check-in: foreign author"

    @invariant()
    def alignment_has_no_loop(self):
        parents = parent_map()
        for start in parents:
            seen, node = set(), start
            while node is not None:
                assert node not in seen, f"alignment loop through goal {node}"
                seen.add(node)
                node = parents[node]
        for source, target in Goal.supports.through.objects.values_list("from_goal_id", "to_goal_id"):
            assert source != target, f"goal {source} supports itself"

    @invariant()
    def roll_ups_equal_a_fresh_computation(self):
        latest = {}
        for check_in in CheckIn.objects.unscoped().order_by("checked_at", "id"):
            latest[check_in.key_result_id] = check_in
        krs_of: dict[int, list[KeyResult]] = {}
        for kr in KeyResult.objects.unscoped():
            last = latest.get(kr.pk)
            if last is not None:
                assert kr.current == last.value, f"key result {kr.pk}: current is not its latest check-in"
            assert (kr.confidence, kr.last_check_in_at) == (
                (last.confidence, last.checked_at) if last else (None, None)
            ), f"key result {kr.pk}: confidence or last check-in is stale"
            fresh = rules.key_result_progress(kr.kind, kr.start, kr.target, kr.current, kr.target_max)
            assert close(kr.progress, fresh), f"key result {kr.pk}: progress {kr.progress} != {fresh}"
            krs_of.setdefault(kr.goal_id, []).append(kr)

        goals = {g.pk: g for g in Goal.objects.unscoped()}
        children: dict[int, list[int]] = {}
        for goal in goals.values():
            if goal.parent_id is not None:
                children.setdefault(goal.parent_id, []).append(goal.pk)
        computed: dict[int, tuple] = {}

        def compute(goal_id: int) -> tuple:
            if goal_id not in computed:
                krs = krs_of.get(goal_id, [])
                kids = [(compute(c), goals[c].weight) for c in children.get(goal_id, [])]
                progress = rules.weighted_progress(
                    [(kr.progress, kr.weight) for kr in krs] + [(kid[0], w) for kid, w in kids]
                )
                kr_conf = [kr.confidence for kr in krs if kr.confidence is not None]
                kid_conf = [kid[1] for kid, _ in kids if kid[1] is not None]
                confidence = (
                    min(kr_conf) if kr_conf else round(sum(kid_conf) / len(kid_conf)) if kid_conf else None
                )
                moments = [kr.last_check_in_at for kr in krs] + [kid[2] for kid, _ in kids]
                last = max((m for m in moments if m is not None), default=None)
                computed[goal_id] = (progress, confidence, last)
            return computed[goal_id]

        for goal in goals.values():
            progress, confidence, last = compute(goal.pk)
            assert close(goal.progress, progress), f"goal {goal.pk}: progress {goal.progress} != {progress}"
            assert goal.confidence == confidence, (
                f"goal {goal.pk}: confidence {goal.confidence} != {confidence}"
            )
            assert goal.last_check_in_at == last, f"goal {goal.pk}: last check-in is stale"


@pytest.mark.django_db
def test_goals_stay_isolated_acyclic_and_rolled_up():
    GoalsMachine.orgs = [build_org("Acme"), build_org("Globex")]
    run_state_machine_as_test(GoalsMachine, settings=STATEFUL_SETTINGS)
