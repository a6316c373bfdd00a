"""Every write about organizations, people, teams and tokens."""

import dataclasses
import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.errors import NotFound, PermissionDenied, ValidationError
from charter.core.events import publish

from .actors import actor_from, token_with_actor
from .models import ApiToken, Membership, Organization, Role, Team, TeamMembership, User
from .permissions import SCOPES, allowed_actions, scoped_actions

TOKEN_PREFIX = "chr_"


def organization_create(*, name: str, owner: User, slug: str | None = None) -> tuple[Organization, Actor]:
    """A new organization with `owner` as its owner; returns the owner's actor in it."""
    name = name.strip()
    if not name:
        raise ValidationError("An organization needs a name.", field="name")
    base = slugify(slug or name)[:50] or "org"
    candidate, n = base, 1
    while Organization.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    with transaction.atomic():
        org = Organization.objects.create(name=name, slug=candidate)
        Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
        actor = Actor(
            user=owner, organization=org, role=Role.OWNER, allowed=allowed_actions(Role.OWNER), via="system"
        )
        audit(actor, "organization.create", org)
        publish("organization.created", organization=org, actor=actor)
    return org, actor


def organization_update(
    *, actor: Actor, name: str, stale_days: int, attainment_mark: float, agent_decision_cap: int | None = None
) -> Organization:
    actor.require("organization.manage")
    errors = {}
    if agent_decision_cap is not None and not 0 <= agent_decision_cap <= 7:
        errors["agent_decision_cap"] = ["A delegation level from 0 (agents only propose) to 7."]
    if not name.strip():
        errors["name"] = ["An organization needs a name."]
    if not 1 <= stale_days <= 365:
        errors["stale_days"] = ["Between 1 and 365 days."]
    if not 0.0 < attainment_mark <= 1.0:
        errors["attainment_mark"] = ["Between 0.0 (exclusive) and 1.0."]
    if errors:
        raise ValidationError("The settings are not valid.", errors=errors)
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=actor.organization_id)
        values = {"name": name.strip(), "stale_days": stale_days, "attainment_mark": attainment_mark}
        if agent_decision_cap is not None:
            values["agent_decision_cap"] = agent_decision_cap
        changes = changed_fields(org, values)
        if changes:
            org.save()
            audit(actor, "organization.update", org, changes)
    return org


def _validate_person(email: str, full_name: str, password: str | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except DjangoValidationError:
        errors["email"] = ["Enter a valid email address."]
    if not full_name.strip():
        errors["full_name"] = ["A person needs a name."]
    if password:
        try:
            validate_password(password, User(email=email, full_name=full_name))
        except DjangoValidationError as exc:
            errors["password"] = list(exc.messages)
    return errors


def person_add(
    *,
    actor: Actor,
    email: str,
    full_name: str,
    role: str = Role.MEMBER,
    password: str | None = None,
    title: str = "",
    team_ids: list[int] | None = None,
) -> Membership:
    """Add a person to the actor's organization, creating their account when it is new."""
    actor.require("people.manage")
    email = email.strip().lower()
    errors = _validate_person(email, full_name, password)
    if role not in Role.values:
        errors["role"] = [f"Unknown role {role!r}; one of {', '.join(Role.values)}."]
    elif role == Role.OWNER and actor.role != Role.OWNER:
        errors["role"] = ["Only an owner may make another owner."]
    if errors:
        raise ValidationError("The person could not be added.", errors=errors)
    teams = list(Team.objects.for_org(actor.organization).filter(pk__in=team_ids or []))
    if len(teams) != len(set(team_ids or [])):
        raise NotFound("No such team.", field="team_ids")
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password, full_name=full_name.strip())
        if Membership.objects.for_org(actor.organization).filter(user=user).exists():
            raise ValidationError(f"{email} is already in this organization.", field="email")
        membership = Membership.objects.create(
            organization=actor.organization, user=user, role=role, title=title
        )
        for team in teams:
            TeamMembership.objects.create(organization=actor.organization, team=team, user=user)
        audit(actor, "person.add", membership, {"email": email, "role": role})
    return membership


def user_ensure(*, email: str, full_name: str, password: str | None = None) -> tuple[User, bool]:
    """The account for `email`, created (with `password`, if given) when there is none; for set-up tools."""
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    errors = _validate_person(email, full_name, password)
    if errors:
        raise ValidationError(f"No account could be made for {email}.", errors=errors)
    return User.objects.create_user(email, password, full_name=full_name.strip()), True


def person_update(*, actor: Actor, user_id: int, role: str, title: str, is_active: bool) -> Membership:
    actor.require("people.manage")
    with transaction.atomic():
        membership = (
            Membership.objects.for_org(actor.organization).select_for_update().filter(user_id=user_id).first()
        )
        if membership is None:
            raise NotFound("No such person.")
        if role not in Role.values:
            raise ValidationError(f"Unknown role {role!r}.", field="role")
        if Role.OWNER in (role, membership.role) and actor.role != Role.OWNER:
            raise PermissionDenied("Only an owner may give or take the owner role.")
        owners = Membership.objects.for_org(actor.organization).filter(role=Role.OWNER, is_active=True)
        if membership.role == Role.OWNER and (role != Role.OWNER or not is_active) and owners.count() == 1:
            raise ValidationError("An organization keeps at least one active owner.", field="role")
        changes = changed_fields(membership, {"role": role, "title": title, "is_active": is_active})
        if changes:
            membership.save()
            audit(actor, "person.update", membership, changes)
    return membership


def _team_parent(actor: Actor, parent_id: int | None, team: Team | None = None) -> Team | None:
    if parent_id is None:
        return None
    parent = Team.objects.for_org(actor.organization).filter(pk=parent_id).first()
    if parent is None:
        raise NotFound("No such parent team.", field="parent_id")
    if team is not None:
        node, seen = parent, set()
        while node is not None and node.pk not in seen:
            if node.pk == team.pk:
                raise ValidationError(
                    f"{parent.name} is inside {team.name}; a team cannot be placed under itself.",
                    field="parent_id",
                )
            seen.add(node.pk)
            node = node.parent
    return parent


def team_create(*, actor: Actor, name: str, description: str = "", parent_id: int | None = None) -> Team:
    actor.require("team.manage")
    name = name.strip()
    if not name:
        raise ValidationError("A team needs a name.", field="name")
    if Team.objects.for_org(actor.organization).filter(name__iexact=name).exists():
        raise ValidationError(f"There is already a team called {name}.", field="name")
    with transaction.atomic():
        team = Team.objects.create(
            organization=actor.organization,
            name=name,
            description=description,
            parent=_team_parent(actor, parent_id),
        )
        audit(actor, "team.create", team)
    return team


def team_update(*, actor: Actor, team_id: int, name: str, description: str, parent_id: int | None) -> Team:
    actor.require("team.manage")
    with transaction.atomic():
        team = Team.objects.for_org(actor.organization).select_for_update().filter(pk=team_id).first()
        if team is None:
            raise NotFound("No such team.")
        name = name.strip()
        if not name:
            raise ValidationError("A team needs a name.", field="name")
        if Team.objects.for_org(actor.organization).filter(name__iexact=name).exclude(pk=team.pk).exists():
            raise ValidationError(f"There is already a team called {name}.", field="name")
        parent = _team_parent(actor, parent_id, team)
        changes = changed_fields(
            team, {"name": name, "description": description, "parent_id": parent and parent.pk}
        )
        if changes:
            team.save()
            audit(actor, "team.update", team, changes)
    return team


def team_member_set(*, actor: Actor, team_id: int, user_id: int, is_lead: bool = False) -> TeamMembership:
    """Add a person to a team, or change whether they lead it."""
    actor.require("team.manage")
    team = Team.objects.for_org(actor.organization).filter(pk=team_id).first()
    if team is None:
        raise NotFound("No such team.")
    if not Membership.objects.for_org(actor.organization).filter(user_id=user_id).exists():
        raise NotFound("No such person.", field="user_id")
    with transaction.atomic():
        tm, created = TeamMembership.objects.for_org(actor.organization).get_or_create(
            team=team, user_id=user_id, defaults={"organization": actor.organization, "is_lead": is_lead}
        )
        if not created and tm.is_lead != is_lead:
            tm.is_lead = is_lead
            tm.save(update_fields=["is_lead"])
        audit(actor, "team.member_set", tm, {"is_lead": is_lead})
    return tm


def team_member_remove(*, actor: Actor, team_id: int, user_id: int) -> None:
    actor.require("team.manage")
    with transaction.atomic():
        tm = (
            TeamMembership.objects.for_org(actor.organization)
            .filter(team_id=team_id, user_id=user_id)
            .first()
        )
        if tm is None:
            raise NotFound("That person is not in that team.")
        audit(actor, "team.member_remove", tm)
        tm.delete()


def password_change(*, actor: Actor, old_password: str, new_password: str) -> None:
    """Change the actor's own password (audited, without any password in the record). Every other
    session of theirs ends: Django checks each session's password hash on its next request."""
    user = actor.user
    if not user.check_password(old_password):
        raise ValidationError("The current password is not right.", field="old_password")
    try:
        validate_password(new_password, user)
    except DjangoValidationError as exc:
        raise ValidationError("Choose another password.", errors={"new_password": list(exc.messages)})
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit(actor, "user.password_change", user)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(
    *, actor: Actor, name: str, days: int | None = 90, scopes: list[str] | None = None
) -> tuple[ApiToken, str]:
    """A personal API token; the raw value is returned once and never stored."""
    actor.require("token.manage")
    return token_issue(actor=actor, user=actor.user, name=name, days=days, scopes=scopes)


def token_issue(
    *, actor: Actor, user: User, name: str, days: int | None, scopes: list[str] | None = None
) -> tuple[ApiToken, str]:
    """Issue a token for `user` (the actor, or an agent its sponsor answers for); callers check who may."""
    name = name.strip()
    if not name:
        raise ValidationError("Name the token after where it is used.", field="name")
    if days is not None and not 1 <= days <= 3650:
        raise ValidationError("Expiry must be between 1 and 3650 days.", field="days")
    unknown = sorted(set(scopes or ()) - set(SCOPES))
    if unknown:
        raise ValidationError(f"Unknown scope {unknown[0]!r}: use {', '.join(SCOPES)}.", field="scopes")
    secret = secrets.token_urlsafe(32)
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secret}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            organization=actor.organization,
            user=user,
            name=name,
            prefix=prefix,
            token_hash=_hash(raw),
            scopes=[s for s in SCOPES if s in set(scopes or ())],
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
        changes = {"prefix": prefix, "expires_at": token.expires_at, "scopes": token.scopes}
        audit(actor, "token.create", token, changes | {"user_id": user.pk})
    return token, raw


def token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    actor.require("token.manage")
    with transaction.atomic():
        token = ApiToken.objects.for_org(actor.organization).filter(pk=token_id, user=actor.user).first()
        if token is None:
            raise NotFound("No such token.")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit(actor, "token.revoke", token)
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token for a raw value, with its user and organization; marks its last use.

    The same query reads the owner's role and teams in the token's organization (`actor_marks`), so
    that `token_actor` needs no other query."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = token_with_actor(_hash(raw))
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.unscoped().filter(pk=token.pk).update(last_used_at=now)
    return token


def token_actor(raw: str, *, request_id: str = "", via: str = "api") -> Actor | None:
    """The actor a raw token acts as: its owner's role actions narrowed to its scopes, with the token
    noted for the audit trail; None for an unknown, revoked or expired token or an owner who left.
    The REST API and the MCP server both authenticate through here."""
    api_token = token_authenticate(raw or "")
    actor = api_token and actor_from(
        user=api_token.user,
        organization=api_token.organization,
        marks=api_token.actor_marks,
        request_id=request_id,
        via=via,
    )
    if actor is None:
        return None
    return dataclasses.replace(
        actor, allowed=scoped_actions(actor.allowed, api_token.scopes), token_id=api_token.pk
    )
