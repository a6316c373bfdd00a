"""`charter demo` and `charter serve --demo-if-empty`: the demo has everything it promises."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from charter.backbriefs.models import BackBrief
from charter.cli.demo.content import OWNER_EMAIL, OWNER_PASSWORD
from charter.cli.management.commands import serve
from charter.delegation import rules as delegation_rules
from charter.delegation.models import Decision, DecisionDomain, DelegationLevel
from charter.discussion.models import Comment, Mention
from charter.goals import rules
from charter.goals.models import CheckIn, Cycle, Goal, KeyResult
from charter.ideas.models import Idea
from charter.notifications.models import Notification
from charter.organizations.models import Membership, Organization, Role, Team, TeamMembership


@pytest.fixture
def served(db, monkeypatch):
    """Run `charter serve --demo-if-empty` with gunicorn replaced by a recorder."""
    calls = []
    monkeypatch.setattr(serve, "serve", lambda **kwargs: calls.append(kwargs))
    out = StringIO()
    call_command("serve", "--demo-if-empty", "--port", "8123", stdout=out, stderr=StringIO())
    return calls, out.getvalue()


def test_serve_loads_demo_when_empty_and_prints_url_and_login(served):
    calls, out = served
    assert calls == [{"host": "127.0.0.1", "port": 8123, "workers": serve.default_workers()}]
    assert "http://127.0.0.1:8123/" in out
    assert OWNER_EMAIL in out and OWNER_PASSWORD in out


def test_serve_prints_the_demo_login_again_on_later_runs(served, monkeypatch):
    out = StringIO()
    call_command("serve", "--demo-if-empty", "--port", "8123", stdout=out, stderr=StringIO())
    assert f"Log in as {OWNER_EMAIL} with the password {OWNER_PASSWORD}" in out.getvalue()


def test_demo_has_what_it_promises(served):
    org = Organization.objects.get()
    assert Team.objects.for_org(org).count() >= 6
    assert Team.objects.for_org(org).filter(parent__parent__isnull=False).exists(), "a tree at least 3 deep"
    roles = set(Membership.objects.for_org(org).values_list("role", flat=True))
    assert Membership.objects.for_org(org).count() >= 20
    assert roles == set(Role.values)
    assert TeamMembership.objects.for_org(org).filter(is_lead=True).count() >= 6
    assert set(KeyResult.objects.for_org(org).values_list("kind", flat=True)) == set(KeyResult.Kind.values)
    assert not KeyResult.objects.for_org(org).filter(owner__isnull=True).exists()
    cycles = [c.state for c in Cycle.objects.for_org(org)]
    assert sorted(cycles) == ["active", "closed"]  # its own two: no first cycle beside them
    current = (
        Goal.objects.for_org(org)
        .filter(cycle__state="active")
        .select_related("cycle", "organization", "team")
    )
    statuses = {g.status for g in current}
    assert {rules.ON_TRACK, rules.AT_RISK, rules.OFF_TRACK, rules.STALE} <= statuses
    assert all(g.has_intent for g in current)
    assert current.filter(team__parent__isnull=True).count() >= 3, "strategic goals"
    assert current.filter(parent__isnull=False).count() >= 6, "team goals contribute to strategic goals"
    assert CheckIn.objects.for_org(org).filter(is_late=True).count() == 0
    assert CheckIn.objects.for_org(org).count() >= 200


def test_demo_has_a_delegation_board_with_overrides_and_a_decision_log(served):
    org = Organization.objects.get()
    assert DecisionDomain.objects.for_org(org).count() >= 5
    levels = DelegationLevel.objects.for_org(org).select_related("team")
    top = {lv.domain_id for lv in levels if lv.team.parent_id is None}
    assert top == set(DecisionDomain.objects.for_org(org).values_list("pk", flat=True)), "set for the top"
    overrides = [lv for lv in levels if lv.team.parent_id is not None]
    assert len(overrides) >= 5 and len({lv.level for lv in levels}) >= 5
    decisions = Decision.objects.for_org(org)
    assert 10 <= decisions.count() <= 60  # the log, and the history the delegation advice reads
    statuses = set(decisions.values_list("status", flat=True))
    r = delegation_rules
    assert statuses == {r.PROPOSED, r.DECIDED, r.ESCALATED, r.SUPERSEDED}
    awaiting = set(decisions.values_list("awaiting", flat=True))
    assert {"leader_decision", "leader_agreement", "leader_advice", "team_decision"} <= awaiting
    assert not decisions.filter(goals__isnull=True).exists(), "every decision serves a goal"
    week_ago = timezone.now() - timedelta(days=7)
    assert decisions.filter(status=r.PROPOSED, proposed_at__lt=week_ago).exists(), "waiting days"
    today = timezone.localdate()
    due = [d for d in decisions.filter(needed_by__isnull=False) if d.is_open]
    assert any(d.is_overdue(today) for d in due), "an open decision past its decide-by day"
    assert any(not d.is_overdue(today) for d in due), "an open decision due later"


def test_demo_has_back_briefs_ideas_comments_and_an_inbox(served):
    org = Organization.objects.get()
    states = list(BackBrief.objects.for_org(org).values_list("state", flat=True))
    assert states.count("confirmed") >= 5
    assert {"requested", "submitted", "clarification_requested"} <= set(states)
    assert not BackBrief.objects.for_org(org).filter(team__parent__isnull=True).exists(), "own team: none"
    ideas = Idea.objects.for_org(org)
    assert set(ideas.values_list("status", flat=True)) == set(Idea.Status.values)
    adopted = ideas.filter(status="adopted")
    assert adopted.count() == 2 and not adopted.filter(adopted_goal__isnull=True).exists()
    assert adopted.filter(adopted_key_result__isnull=False).exists()
    assert ideas.filter(votes__isnull=False).distinct().count() >= 6
    kinds = set(Comment.objects.for_org(org).values_list("target_type", flat=True))
    assert {"goal", "decision", "idea"} <= kinds and Mention.objects.for_org(org).count() >= 5
    inbox = Notification.objects.for_org(org).filter(recipient__email=OWNER_EMAIL, read_at__isnull=True)
    assert {"decision.needs_you", "back_brief.submitted", "mention", "idea.adopted"} <= set(
        inbox.values_list("event", flat=True)
    )


def test_demo_has_a_team_goal_aligned_to_nothing(served):
    org = Organization.objects.get()
    orphans = Goal.objects.for_org(org).filter(
        cycle__state="active", parent__isnull=True, team__parent__isnull=False
    )
    assert orphans.exists() and not orphans.filter(supports__isnull=False).exists()


def test_demo_if_empty_leaves_an_existing_organization_alone(served):
    err = StringIO()
    call_command("demo", "--if-empty", stdout=StringIO(), stderr=err)
    assert Organization.objects.count() == 1
    assert "not loaded" in err.getvalue()


def test_the_demo_login_has_key_results_due_for_this_weeks_check_in(served):
    """Her check-in page is not empty: she owns key results with no check-in for a week; and home's
    "My goals" are the goals of those rows (plus those she is accountable for)."""
    from django.test import Client
    from django.urls import reverse

    org = Organization.objects.get()
    client = Client()
    assert client.login(username=OWNER_EMAIL, password=OWNER_PASSWORD)
    rows = client.get(reverse("check_in_week")).context["rows"]
    due = timezone.now() - timedelta(days=7)  # home's CHECK_IN_DUE_DAYS: check-ins are weekly
    assert len(rows) >= 2 and all(r["kr"].last_check_in_at < due for r in rows)
    home = client.get(reverse("home")).context
    waiting = {kr.pk for kr in home["waiting"]}
    assert {r["kr"].pk for r in rows} <= waiting
    mine = {g["id"] for g in home["my_goals"]}
    assert {r["kr"].goal_id for r in rows} <= mine
    accountable = set(
        Goal.objects.for_org(org)
        .filter(owner__email=OWNER_EMAIL, cycle__state="active")
        .values_list("id", flat=True)
    )
    assert mine == {r["kr"].goal_id for r in rows} | accountable
