"""Goal, key result and check-in services: roll-ups, alignment, authority, isolation, audit."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from charter.core.errors import Conflict, NotFound, PermissionDenied, UnscopedQuery, ValidationError
from charter.core.models import AuditEvent
from charter.goals import services
from charter.goals.models import CheckIn, Goal, KeyResult
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team


def progress(goal) -> float:
    return Goal.objects.for_org(goal.organization).get(pk=goal.pk).progress


def test_roll_up_through_three_levels(owner, cycle):
    top = make_goal(owner, cycle, "Strategic")
    mid = make_goal(owner, cycle, "Team", parent_id=top.pk)
    low = make_goal(owner, cycle, "Individual", parent_id=mid.pk)
    kr_low = make_key_result(owner, low, start=0, target=100)
    kr_mid = make_key_result(owner, mid, start=10, target=0, kind="decrease", weight=3)

    services.check_in_record(actor=owner, key_result_id=kr_low.pk, value=50, confidence=8)
    assert progress(low) == pytest.approx(0.5)
    assert progress(mid) == pytest.approx((0.5 * 1 + 0.0 * 3) / 4)
    assert progress(top) == pytest.approx(0.125)

    services.check_in_record(actor=owner, key_result_id=kr_mid.pk, value=5, confidence=6)
    assert progress(mid) == pytest.approx((0.5 + 0.5 * 3) / 4)
    assert progress(top) == pytest.approx(0.5)
    top.refresh_from_db()
    assert top.confidence == 6  # children on average when the goal has no key result of its own
    assert top.last_check_in_at is not None


def test_exceeded_key_result_shows_above_100_but_rolls_up_clamped(owner, cycle):
    goal = make_goal(owner, cycle)
    kr = make_key_result(owner, goal, start=0, target=10)
    services.check_in_record(actor=owner, key_result_id=kr.pk, value=15, confidence=9)
    kr.refresh_from_db()
    assert kr.progress == pytest.approx(1.5)
    assert progress(goal) == pytest.approx(1.0)


def test_moving_a_goal_re_rolls_old_and_new_parent(owner, cycle):
    old, new = make_goal(owner, cycle, "Old parent"), make_goal(owner, cycle, "New parent")
    child = make_goal(owner, cycle, "Child", parent_id=old.pk)
    kr = make_key_result(owner, child)
    services.check_in_record(actor=owner, key_result_id=kr.pk, value=80, confidence=8)
    assert progress(old) == pytest.approx(0.8)

    services.goal_update(actor=owner, goal_id=child.pk, parent_id=new.pk)
    assert progress(old) == 0.0
    assert progress(new) == pytest.approx(0.8)


def test_alignment_cycle_is_refused_with_a_clear_error(owner, cycle):
    a = make_goal(owner, cycle, "A")
    b = make_goal(owner, cycle, "B", parent_id=a.pk)
    c = make_goal(owner, cycle, "C", parent_id=b.pk)
    with pytest.raises(ValidationError) as exc:
        services.goal_update(actor=owner, goal_id=a.pk, parent_id=c.pk)
    assert "cannot contribute to itself" in exc.value.errors["parent_id"][0]
    with pytest.raises(ValidationError):
        services.goal_update(actor=owner, goal_id=a.pk, parent_id=a.pk)
    assert Goal.objects.for_org(owner.organization).get(pk=a.pk).parent_id is None


def test_deleting_a_goal_re_rolls_its_parent_and_frees_children(owner, cycle):
    parent = make_goal(owner, cycle)
    child = make_goal(owner, cycle, parent_id=parent.pk)
    grandchild = make_goal(owner, cycle, parent_id=child.pk)
    kr = make_key_result(owner, child)
    services.check_in_record(actor=owner, key_result_id=kr.pk, value=100, confidence=9)
    assert progress(parent) == pytest.approx(0.5)  # child at 1.0 averaged with grandchild at 0
    services.goal_delete(actor=owner, goal_id=child.pk)
    assert progress(parent) == 0.0
    assert Goal.objects.for_org(owner.organization).get(pk=grandchild.pk).parent_id is None


def test_key_result_validation_names_the_field(owner, cycle):
    goal = make_goal(owner, cycle)
    with pytest.raises(ValidationError) as exc:
        services.key_result_create(actor=owner, goal_id=goal.pk, title="NPS", start=20, target=None)
    assert "target" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.key_result_create(
            actor=owner, goal_id=goal.pk, title="Churn", kind="decrease", start=3, target=8
        )
    assert "target" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.key_result_create(
            actor=owner, goal_id=goal.pk, title="Latency", kind="range", start=900, target=200
        )
    assert "target_max" in exc.value.errors
    assert not KeyResult.objects.for_org(owner.organization).exists()


def test_check_in_validation_and_late_marking(owner):
    closed = make_cycle(owner, "Closed", days_before=120, days_after=-30, state="closed")
    goal = make_goal(owner, closed)
    kr = make_key_result(owner, goal)
    with pytest.raises(ValidationError) as exc:
        services.check_in_record(actor=owner, key_result_id=kr.pk, value=5, confidence=11)
    assert "confidence" in exc.value.errors
    check_in = services.check_in_record(actor=owner, key_result_id=kr.pk, value=5, confidence=5)
    assert check_in.is_late


def test_backdated_check_in_does_not_replace_the_latest_value(owner, cycle):
    kr = make_key_result(owner, make_goal(owner, cycle))
    services.check_in_record(actor=owner, key_result_id=kr.pk, value=60, confidence=7)
    services.check_in_record(
        actor=owner,
        key_result_id=kr.pk,
        value=20,
        confidence=4,
        checked_at=timezone.now() - timedelta(days=7),
    )
    kr.refresh_from_db()
    assert (kr.current, kr.confidence) == (60, 7)


def test_member_may_only_change_their_teams_goals(owner, cycle):
    mine, theirs = make_team(owner, "Mine"), make_team(owner, "Theirs")
    member = make_person(owner, Role.MEMBER, team=mine)
    their_goal = make_goal(owner, cycle, team_id=theirs.pk)
    kr = make_key_result(owner, their_goal)
    with pytest.raises(PermissionDenied):
        services.goal_update(actor=member, goal_id=their_goal.pk, title="Hijacked")
    with pytest.raises(PermissionDenied):
        services.check_in_record(actor=member, key_result_id=kr.pk, value=1, confidence=5)
    with pytest.raises(PermissionDenied):
        services.goal_create(actor=member, cycle_id=cycle.pk, title="Not mine", team_id=theirs.pk)
    own = services.goal_create(actor=member, cycle_id=cycle.pk, title="Ours", team_id=mine.pk)
    services.goal_update(actor=member, goal_id=own.pk, title="Ours, better")


def test_member_may_not_move_their_own_goal_to_a_team_they_may_not_create_goals_for(owner, cycle):
    """Finding 15: owning a goal let a member move it anywhere; moving needs the right to create there."""
    mine, theirs = make_team(owner, "Mine"), make_team(owner, "Theirs")
    member = make_person(owner, Role.MEMBER, team=mine)
    own = services.goal_create(actor=member, cycle_id=cycle.pk, title="Ours", team_id=mine.pk)
    personal = services.goal_create(actor=member, cycle_id=cycle.pk, title="Mine alone")
    for goal in (own, personal):
        with pytest.raises(PermissionDenied) as exc:
            services.goal_update(actor=member, goal_id=goal.pk, team_id=theirs.pk)
        assert exc.value.errors == {"team_id": [exc.value.message]}
        goal.refresh_from_db()
        assert goal.team_id in (mine.pk, None) and goal.version == 1
    # A personal goal handed to someone else outside any team is not the member's to place either.
    with pytest.raises(PermissionDenied):
        services.goal_update(actor=member, goal_id=personal.pk, owner_id=owner.user_id)
    # Their own team, and a leader moving it, stay allowed.
    services.goal_update(actor=member, goal_id=personal.pk, team_id=mine.pk)
    assert services.goal_update(actor=owner, goal_id=own.pk, team_id=theirs.pk).team_id == theirs.pk


def test_viewer_may_not_write(owner, cycle):
    viewer = make_person(owner, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.goal_create(actor=viewer, cycle_id=cycle.pk, title="Nope")


def test_other_organizations_objects_are_not_found(owner, other_owner, cycle):
    goal = make_goal(owner, cycle)
    kr = make_key_result(owner, goal)
    with pytest.raises(NotFound):
        services.goal_update(actor=other_owner, goal_id=goal.pk, title="x")
    with pytest.raises(NotFound):
        services.check_in_record(actor=other_owner, key_result_id=kr.pk, value=1, confidence=5)
    other_cycle = make_cycle(other_owner)
    with pytest.raises(ValidationError) as exc:
        services.goal_create(actor=other_owner, cycle_id=other_cycle.pk, title="Sneaky", parent_id=goal.pk)
    assert "parent_id" in exc.value.errors
    with pytest.raises(ValidationError):
        services.goal_create(actor=other_owner, cycle_id=cycle.pk, title="Wrong cycle")


def test_stale_version_is_a_conflict(owner, cycle):
    goal = make_goal(owner, cycle)
    services.goal_update(actor=owner, goal_id=goal.pk, version=1, title="First edit")
    with pytest.raises(Conflict):
        services.goal_update(actor=owner, goal_id=goal.pk, version=1, title="Stale edit")


def test_every_write_is_audited(owner, cycle):
    goal = make_goal(owner, cycle)
    kr = make_key_result(owner, goal)
    services.check_in_record(actor=owner, key_result_id=kr.pk, value=3, confidence=7)
    actions = list(AuditEvent.objects.for_org(owner.organization).values_list("action", flat=True))
    assert {"cycle.create", "goal.create", "key_result.create", "check_in.create"} <= set(actions)
    event = AuditEvent.objects.for_org(owner.organization).get(action="check_in.create")
    assert event.actor_id == owner.user_id
    assert event.changes["value"] == 3


def test_queries_fail_closed_without_an_organization(owner, cycle):
    make_goal(owner, cycle)
    for query in (
        lambda: list(Goal.objects.all()),
        lambda: Goal.objects.filter(title__icontains="x").count(),
        lambda: CheckIn.objects.exists(),
        lambda: Goal.objects.update(title="everything"),
    ):
        with pytest.raises(UnscopedQuery):
            query()


def test_events_announce_goals_and_status_changes(owner, cycle):
    from charter.core import events

    seen = []
    names = ("goal.created", "goal.updated", "goal.status_changed")
    handlers = {n: events.subscribe(n)(lambda n=n, **kw: seen.append((n, kw))) for n in names}
    try:
        goal = make_goal(owner, cycle)
        services.goal_update(actor=owner, goal_id=goal.pk, title="Renamed")
        kr = make_key_result(owner, goal)
        services.check_in_record(actor=owner, key_result_id=kr.pk, value=90, confidence=9)
        services.check_in_record(actor=owner, key_result_id=kr.pk, value=90, confidence=1)
    finally:
        for name, handler in handlers.items():
            events._handlers[name].remove(handler)
    assert [name for name, _ in seen][:2] == ["goal.created", "goal.updated"]
    changes = [(kw["before"], kw["after"]) for name, kw in seen if name == "goal.status_changed"]
    assert changes[-1] == ("on_track", "off_track")


def test_a_token_limited_to_check_ins_still_checks_in_on_its_teams_key_results(owner, cycle):
    import dataclasses

    team = make_team(owner, "Agents' team")
    member = make_person(owner, Role.MEMBER, team=team)
    kr = make_key_result(owner, make_goal(owner, cycle, team_id=team.pk))
    check_ins_only = dataclasses.replace(member, allowed=frozenset({"organization.view", "check_in.create"}))
    services.check_in_record(actor=check_ins_only, key_result_id=kr.pk, value=3, confidence=6)
    with pytest.raises(PermissionDenied):
        services.goal_update(actor=check_ins_only, goal_id=kr.goal_id, title="Not allowed")


def _chain(owner, cycle, depth):
    parent = None
    for level in range(depth):
        parent = make_goal(owner, cycle, f"Level {level}", parent_id=parent and parent.pk)
    return parent


def _statements(ctx) -> list[str]:
    """The service's own statements; SAVEPOINT and RELEASE come from the test's transaction."""
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


@pytest.mark.parametrize("depth", [1, 4])
def test_a_check_in_costs_seven_queries_at_any_depth_and_reindexes_nothing(
    owner, cycle, depth, django_capture_on_commit_callbacks
):
    """The key result locked (1), the check-in, its key result and its audit event written (3), the goal
    chain read and locked (1), its key results and children read (1), the roll-ups written (1). No text
    the search index holds changes, so nothing is queued for it."""
    kr = make_key_result(owner, _chain(owner, cycle, depth), start=0, target=100)
    # A first check-in gives the goals their first status (an event others may react to): this one is
    # the second, which leaves the status as it is.
    services.check_in_record(
        actor=owner,
        key_result_id=kr.pk,
        value=40,
        confidence=6,
        checked_at=timezone.now() - timedelta(hours=1),
    )

    with django_capture_on_commit_callbacks() as queued, CaptureQueriesContext(connection) as ctx:
        services.check_in_record(actor=owner, key_result_id=kr.pk, value=40, confidence=6)

    assert len(_statements(ctx)) == 7, _statements(ctx)
    assert queued == []
    assert [g.progress for g in Goal.objects.for_org(owner.organization)] == [pytest.approx(0.4)] * depth
    kr.refresh_from_db()
    assert (kr.current, kr.confidence, kr.progress) == (40, 6, pytest.approx(0.4))
    assert kr.updated_at == kr.last_check_in_at
    with connection.cursor() as cursor:  # the roll-up's plain UPDATE stores the moment as the ORM does
        cursor.execute(
            "SELECT COUNT(*) FROM goals_goal g, goals_keyresult k"
            " WHERE k.id = %s AND g.last_check_in_at = k.last_check_in_at",
            [kr.pk],
        )
        assert cursor.fetchone() == (depth,)


def test_the_published_goal_is_the_locked_one_with_its_new_roll_up(owner, cycle, django_assert_num_queries):
    from charter.core import events

    goal = make_goal(owner, cycle, "Leaf", parent_id=_chain(owner, cycle, 2).pk)
    kr = make_key_result(owner, goal, start=0, target=10)
    seen = []
    handler = events.subscribe("goal.status_changed")(lambda **kw: seen.append(kw["goal"]))
    try:
        services.check_in_record(actor=owner, key_result_id=kr.pk, value=1, confidence=0)
    finally:
        events._handlers["goal.status_changed"].remove(handler)
    (published,) = seen
    with django_assert_num_queries(0):  # its cycle and organization came with the key result
        assert (published.pk, published.progress, published.confidence) == (goal.pk, pytest.approx(0.1), 0)
        assert published.status == "off_track"


def test_a_new_organization_starts_with_the_current_quarter_as_an_active_cycle(owner):
    from charter.goals import rules
    from charter.goals.models import Cycle
    from charter.organizations.tests.factories import make_org

    name, starts_on, ends_on = rules.quarter_of(timezone.localdate())
    (first,) = Cycle.objects.for_org(owner.organization)
    assert (first.name, first.starts_on, first.ends_on, first.state) == (name, starts_on, ends_on, "active")
    assert AuditEvent.objects.for_org(owner.organization).filter(action="cycle.create").count() == 1
    with services.without_first_cycle():
        bare = make_org("Brings its own")
    assert not Cycle.objects.for_org(bare.organization).exists()


@pytest.mark.parametrize(
    ("day", "name", "starts_on", "ends_on"),
    [
        ("2027-01-01", "Q1 2027", "2027-01-01", "2027-03-31"),
        ("2026-05-15", "Q2 2026", "2026-04-01", "2026-06-30"),
        ("2026-09-30", "Q3 2026", "2026-07-01", "2026-09-30"),
        ("2026-12-31", "Q4 2026", "2026-10-01", "2026-12-31"),
    ],
)
def test_quarter_of(day, name, starts_on, ends_on):
    from datetime import date

    from charter.goals import rules

    got = rules.quarter_of(date.fromisoformat(day))
    assert got == (name, date.fromisoformat(starts_on), date.fromisoformat(ends_on))
