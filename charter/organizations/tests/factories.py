"""Factories for organizations, people and teams; everything goes through the services."""

import itertools

from charter.organizations.models import Role, User
from charter.organizations.selectors import actor_for
from charter.organizations.services import organization_create, person_add, team_create, team_member_set

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def make_user(full_name: str | None = None, email: str | None = None) -> User:
    n = next(_seq)
    return User.objects.create_user(
        email or f"person{n}@example.org", PASSWORD, full_name=full_name or f"Person {n}"
    )


def make_org(name: str | None = None, owner: User | None = None):
    """A new organization and its owner's actor."""
    owner = owner or make_user()
    _, actor = organization_create(name=name or f"Org {next(_seq)}", owner=owner)
    return actor


def make_person(owner_actor, role: str = Role.MEMBER, team=None, is_lead: bool = False, full_name=None):
    """A person in the owner's organization with `role`; returns their actor."""
    n = next(_seq)
    membership = person_add(
        actor=owner_actor,
        email=f"member{n}@example.org",
        full_name=full_name or f"Member {n}",
        role=role,
        password=PASSWORD,
    )
    if team is not None:
        team_member_set(actor=owner_actor, team_id=team.pk, user_id=membership.user_id, is_lead=is_lead)
    return refresh_actor(membership.user, owner_actor.organization)


def refresh_actor(user, organization, via="web"):
    return actor_for(user=user, organization=organization, via=via)


def make_team(owner_actor, name: str | None = None, parent=None):
    return team_create(actor=owner_actor, name=name or f"Team {next(_seq)}", parent_id=parent and parent.pk)


def drawn(picker) -> str:
    """A picker's options as the page draws them (`organizations/_picker_options.html`)."""
    from django.template.loader import render_to_string

    return render_to_string("organizations/_picker_options.html", {"picker": picker})
