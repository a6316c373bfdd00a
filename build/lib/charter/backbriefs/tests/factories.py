"""Factories for back-briefs: a goal given to a team from outside asks for one, through the services."""

from types import SimpleNamespace

from charter.backbriefs.models import BackBrief
from charter.backbriefs.services import back_brief_submit
from charter.goals.tests.factories import make_goal
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person, make_team

TEXTS = {
    "intent": "New customers use the product on day one.",
    "plan": "Three set-up steps instead of nine.",
    "concerns": "The import API is late.",
    "needs": "Two days of the platform team.",
}


def make_given(owner, cycle, name="Onboarding"):
    """A team with a lead and a member, and a goal the owner gave it (so a back-brief is requested)."""
    team = make_team(owner, f"{name} team")
    lead = make_person(owner, Role.MEMBER, team=team, is_lead=True, full_name=f"{name} lead")
    member = make_person(owner, Role.MEMBER, team=team, full_name=f"{name} member")
    goal = make_goal(owner, cycle, f"{name} in a day", team_id=team.pk)
    back_brief = BackBrief.objects.for_org(owner.organization).get(goal=goal, team=team)
    return SimpleNamespace(owner=owner, team=team, lead=lead, member=member, goal=goal, back_brief=back_brief)


def submit(actor, back_brief, **texts):
    return back_brief_submit(actor=actor, back_brief_id=back_brief.pk, **{**TEXTS, **texts})
