"""`charter demo` and `charter serve --demo-if-empty`: the demo has everything it promises."""

from io import StringIO

import pytest
from django.core.management import call_command

from charter.cli.demo.content import OWNER_EMAIL, OWNER_PASSWORD
from charter.cli.management.commands import serve
from charter.goals import rules
from charter.goals.models import CheckIn, Cycle, Goal, KeyResult
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
    cycles = {c.state for c in Cycle.objects.for_org(org)}
    assert cycles == {"active", "closed"}
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


def test_demo_if_empty_leaves_an_existing_organization_alone(served):
    err = StringIO()
    call_command("demo", "--if-empty", stdout=StringIO(), stderr=err)
    assert Organization.objects.count() == 1
    assert "not loaded" in err.getvalue()
