"""Lint settings: admins only, validated, audited, and per organization; selectors build the data."""

import pytest

from charter.core.errors import NotFound, PermissionDenied, ValidationError
from charter.core.models import AuditEvent
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.lint import selectors
from charter.lint.services import lint_settings_update
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team

pytestmark = pytest.mark.django_db


def _codes(actor, cycle) -> set[str]:
    return {f.code for f in selectors.cycle_findings(actor=actor, cycle_id=cycle.pk)["findings"]}


def test_settings_are_audited_and_apply_to_one_organization(owner, other_owner, cycle):
    theirs = make_cycle(other_owner, "Theirs")
    make_goal(owner, cycle, "Nothing measured")
    make_goal(other_owner, theirs, "Nothing measured either")
    lint_settings_update(actor=owner, disabled=["CH001"], thresholds={"CH004": {"max_key_results": 6}})
    assert "CH001" not in _codes(owner, cycle)
    assert "CH001" in _codes(other_owner, theirs)
    event = AuditEvent.objects.for_org(owner.organization).get(action="lint_settings.update")
    assert event.changes["disabled"] == [[], ["CH001"]]


def test_only_admins_configure(owner):
    leader = make_person(owner, Role.LEADER)
    with pytest.raises(PermissionDenied):
        lint_settings_update(actor=leader, disabled=[])


def test_unknown_rules_and_thresholds_are_refused_with_where(owner):
    with pytest.raises(ValidationError) as error:
        lint_settings_update(actor=owner, disabled=["CH999"], thresholds={"CH101": {"max_share": 2}})
    assert set(error.value.errors) == {"disabled", "CH101.max_share"}


def test_leader_owning_the_key_results_below(owner, cycle):
    product = make_team(owner, "Product")
    growth = make_team(owner, "Growth", parent=product)
    lead = make_person(owner, Role.LEADER, team=product, is_lead=True)
    parent = make_goal(owner, cycle, "Customers stay")
    goal = make_goal(owner, cycle, "Grow", team_id=growth.pk, parent_id=parent.pk)
    for i in range(3):
        make_key_result(owner, goal, f"Sign-ups to {i + 10}", start=0, target=i + 10, owner_id=lead.user_id)
    assert "CH101" in _codes(owner, cycle)


def test_another_organizations_cycle_is_not_found(owner, other_owner):
    theirs = make_cycle(other_owner, "Theirs")
    with pytest.raises(NotFound):
        selectors.cycle_findings(actor=owner, cycle_id=theirs.pk)
