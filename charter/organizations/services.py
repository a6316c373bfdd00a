"""Every write about organizations, people, teams and tokens."""

import dataclasses
import secrets
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from charter.core.actor import Actor
from charter.core.audit import audit, changed_fields
from charter.core.crypto import token_hash
from charter.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from charter.core.events import publish

from . import invitations, queries, throttle
from .actors import actor_from, token_with_actor
from .invitations import InvitationUnusable
from .models import ApiToken, Invitation, Membership, Organization, Role, Team, TeamMembership, User
from .permissions import SCIM_SCOPE, SCOPES, allowed_actions, scoped_actions

TOKEN_PREFIX = "chr_"


def organization_slug_check(slug: str) -> str:
    """A slug typed by a person: lower-case letters, digits and hyphens, free; else a ValidationError."""
    slug = slug.strip().lower()
    if not slug:
        raise ValidationError("An organization needs a short name for its links.", field="slug")
    if len(slug) > 50 or slugify(slug) != slug:
        raise ValidationError(
            "Use up to 50 lower-case letters, digits and hyphens, e.g. acme-sales.", field="slug"
        )
    if Organization.objects.filter(slug=slug).exists():
        raise ValidationError(f"The short name {slug} is taken; choose another.", field="slug")
    return slug


def organization_create(
    *,
    name: str,
    owner: User,
    slug: str | None = None,
    strict_slug: bool = False,
    via: str = "system",
    request_id: str = "",
) -> tuple[Organization, Actor]:
    """A new organization with `owner` as its owner; returns the owner's actor in it.

    The slug is derived from `slug` or the name and made unique with a number; with `strict_slug` (a
    slug a person typed) it must be valid and free as it is. Publishes `organization.created`, inside
    the transaction, for the apps that give a new organization its first things."""
    name = name.strip()
    if not name:
        raise ValidationError("An organization needs a name.", field="name")
    if len(name) > 120:
        raise ValidationError("Keep the organization's name to 120 characters.", field="name")
    if strict_slug:
        candidate = organization_slug_check(slug or "")
    else:
        base = slugify(slug or name)[:50] or "org"
        candidate, n = base, 1
        while Organization.objects.filter(slug=candidate).exists():
            n += 1
            candidate = f"{base}-{n}"
    with transaction.atomic():
        org = Organization.objects.create(name=name, slug=candidate)
        Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
        actor = Actor(
            user=owner,
            organization=org,
            role=Role.OWNER,
            allowed=allowed_actions(Role.OWNER),
            via=via,
            request_id=request_id,
        )
        audit(actor, "organization.create", org, {"slug": org.slug})
        publish("organization.created", organization=org, actor=actor)
    return org, actor


def organization_create_allowed() -> bool:
    """Whether signed-in people may create organizations from the web and the API (a setting)."""
    return bool(getattr(settings, "CHARTER_ALLOW_ORGANIZATION_CREATE", True))


def organization_create_by(*, user: User, name: str, slug: str, request_id: str = "", via: str = "web"):
    """A signed-in person creates another organization and owns it; off when the setting says so."""
    if not organization_create_allowed():
        raise PermissionDenied("On this installation only administrators create organizations.")
    if getattr(user, "kind", User.Kind.PERSON) != User.Kind.PERSON:
        raise PermissionDenied("Only people create organizations.")
    return organization_create(
        name=name, owner=user, slug=slug, strict_slug=True, via=via, request_id=request_id
    )


def first_run_setup(
    *, full_name: str, email: str, password: str, organization_name: str, slug: str, request_id: str = ""
) -> tuple[User, Organization, Actor]:
    """The first person and organization of an empty installation; refused once anyone exists."""
    email = email.strip().lower()
    errors = _validate_person(email, full_name, password or None)
    if not password:
        errors["password"] = ["Choose a password."]
    if not organization_name.strip():
        errors["organization_name"] = ["An organization needs a name."]
    try:
        organization_slug_check(slug)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError("Charter could not be set up yet.", errors=errors)
    with transaction.atomic():
        if connection.vendor == "postgresql":  # two first runs at once: the second waits, then is refused
            queries.lock_users()
        if User.objects.exists():
            raise PermissionDenied("Charter is already set up: sign in instead.")
        user = User.objects.create_user(email, password, full_name=full_name.strip())
        org, actor = organization_create(
            name=organization_name, owner=user, slug=slug, strict_slug=True, via="web", request_id=request_id
        )
        audit(actor, "setup.complete", user, {"email": email, "organization": org.slug})
    return user, org, actor


def organization_update(
    *,
    actor: Actor,
    name: str,
    stale_days: int,
    attainment_mark: float,
    agent_decision_cap: int | None = None,
    require_two_factor: bool | None = None,
    signup_domain: str | None = None,
) -> Organization:
    actor.require("organization.manage")
    errors = {}
    if signup_domain is not None:
        signup_domain = signup_domain.strip().lower().lstrip("@")
        if signup_domain and not invitations.DOMAIN.fullmatch(signup_domain):
            errors["signup_domain"] = ["A domain such as example.org, without @ (empty: sign-up off)."]
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
        if require_two_factor is not None:
            values["require_two_factor"] = require_two_factor
        if signup_domain is not None:
            values["signup_domain"] = signup_domain
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
    external_id: str = "",
) -> Membership:
    """Add a person to the actor's organization, creating their account when it is new.

    `external_id`: the identity provider's id for them, when it provisions them (SCIM)."""
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
            organization=actor.organization, user=user, role=role, title=title, external_id=external_id
        )
        for team in teams:
            TeamMembership.objects.create(organization=actor.organization, team=team, user=user)
        changes = {"email": email, "role": role} | ({"external_id": external_id} if external_id else {})
        audit(actor, "person.add", membership, changes)
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
            if not is_active:
                _sign_out_when_in_no_organization(user_id)
    return membership


def _sign_out_when_in_no_organization(user_id: int) -> None:
    """A person deactivated in their last organization is signed out of every session at once (the
    session generation is part of each session's hash); one still active elsewhere keeps their sessions,
    which stop acting in this organization on their next request anyway."""
    if not Membership.objects.unscoped().filter(user_id=user_id, is_active=True).exists():
        User.objects.filter(pk=user_id).update(session_generation=F("session_generation") + 1)


def person_identity_update(
    *,
    actor: Actor,
    user_id: int,
    email: str | None = None,
    full_name: str | None = None,
    external_id: str | None = None,
) -> Membership:
    """The identity provider renames a person, changes their address or its own id for them (SCIM).

    The account's name and address change only when the person belongs to no other organization: one
    organization never rewrites an account another shares (its address is where a reset link goes)."""
    actor.require("people.manage")
    with transaction.atomic():
        membership = (
            Membership.objects.for_org(actor.organization)
            .select_for_update()
            .select_related("user")
            .filter(user_id=user_id)
            .first()
        )
        if membership is None:
            raise NotFound("No such person.")
        user = membership.user
        values = {}
        if email is not None and email.strip().lower() != user.email:
            values["email"] = email.strip().lower()
        if full_name is not None and full_name.strip() != user.full_name:
            values["full_name"] = full_name.strip()
        if values:
            errors = _validate_person(
                values.get("email", user.email), values.get("full_name", user.full_name), None
            )
            if errors:
                raise ValidationError("The person's details are not valid.", errors=errors)
            if (
                Membership.objects.unscoped()
                .filter(user=user)
                .exclude(organization=actor.organization)
                .exists()
            ):
                raise PermissionDenied(
                    f"{user.email} also belongs to another organization, so their name and address are "
                    "theirs to change, not this organization's."
                )
            if "email" in values and User.objects.filter(email=values["email"]).exclude(pk=user.pk).exists():
                raise Conflict(f"Another account already uses {values['email']}.", field="email")
        user_changes = changed_fields(user, values)
        if user_changes:
            user.save(update_fields=list(user_changes))
        member_changes = {}
        if external_id is not None:
            member_changes = changed_fields(membership, {"external_id": external_id})
            if member_changes:
                membership.save(update_fields=["external_id"])
        if user_changes or member_changes:
            audit(actor, "person.identity_update", membership, user_changes | member_changes)
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


def team_provision(*, actor: Actor, name: str, external_id: str = "") -> tuple[Team, bool]:
    """The identity provider takes a team over as a SCIM group: a new team, or the unprovisioned team of
    that name (so an existing team is linked rather than doubled); True when the team is new."""
    actor.require("team.manage")
    name = name.strip()
    with transaction.atomic():
        team = Team.objects.for_org(actor.organization).select_for_update().filter(name__iexact=name).first()
        if team is not None and team.provisioned:
            raise Conflict(f"The group {team.name} is already provisioned.", field="displayName")
        created = team is None
        if created:
            team = team_create(actor=actor, name=name)
        team.provisioned, team.external_id = True, external_id
        team.save(update_fields=["provisioned", "external_id"])
        audit(actor, "team.provision", team, {"external_id": external_id, "created": created})
    return team, created


def team_unprovision(*, actor: Actor, team_id: int) -> Team:
    """The identity provider lets a group go: the team, its members, goals and decisions stay in Charter,
    no longer managed by the provider."""
    actor.require("team.manage")
    with transaction.atomic():
        team = (
            Team.objects.for_org(actor.organization)
            .select_for_update()
            .filter(pk=team_id, provisioned=True)
            .first()
        )
        if team is None:
            raise NotFound("No such group.")
        team.provisioned, team.external_id = False, ""
        team.save(update_fields=["provisioned", "external_id"])
        audit(actor, "team.unprovision", team)
    return team


def team_external_id_set(*, actor: Actor, team_id: int, external_id: str) -> Team:
    actor.require("team.manage")
    with transaction.atomic():
        team = Team.objects.for_org(actor.organization).select_for_update().filter(pk=team_id).first()
        if team is None:
            raise NotFound("No such team.")
        changes = changed_fields(team, {"external_id": external_id})
        if changes:
            team.save(update_fields=["external_id"])
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
            token_hash=token_hash(raw),
            scopes=[s for s in SCOPES if s in set(scopes or ())],
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
        changes = {"prefix": prefix, "expires_at": token.expires_at, "scopes": token.scopes}
        audit(actor, "token.create", token, changes | {"user_id": user.pk})
    return token, raw


def scim_token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """The organization's SCIM provisioning token (an owner's or admin's): it acts only at /scim/v2/, as
    its maker with the people and team actions; the raw value is returned once and never stored."""
    actor.require("people.manage")
    actor.require("team.manage")
    name = name.strip()
    if not name:
        raise ValidationError("Name the token after the identity provider that uses it.", field="name")
    with transaction.atomic():
        token, raw = token_issue(actor=actor, user=actor.user, name=name, days=None)
        token.scopes = [SCIM_SCOPE]
        token.save(update_fields=["scopes"])
        audit(actor, "scim_token.create", token, {"prefix": token.prefix})
    return token, raw


def scim_token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    """Revoke one of the organization's SCIM tokens, whoever made it."""
    actor.require("people.manage")
    with transaction.atomic():
        token = ApiToken.objects.for_org(actor.organization).select_for_update().filter(pk=token_id).first()
        if token is None or SCIM_SCOPE not in token.scopes:
            raise NotFound("No such SCIM token.")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit(actor, "scim_token.revoke", token)
    return token


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
    token = token_with_actor(token_hash(raw))
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.unscoped().filter(pk=token.pk).update(last_used_at=now)
    return token


def token_actor(raw: str, *, request_id: str = "", via: str = "api", scim: bool = False) -> Actor | None:
    """The actor a raw token acts as: its owner's role actions narrowed to its scopes, with the token
    noted for the audit trail; None for an unknown, revoked or expired token or an owner who left.
    The REST API and the MCP server both authenticate through here; the SCIM endpoint with `scim`, and
    a SCIM token acts there only (a personal or agent token never does)."""
    api_token = token_authenticate(raw or "")
    if api_token is not None and (SCIM_SCOPE in (api_token.scopes or ())) != scim:
        return None
    actor = api_token and actor_from(
        user=api_token.user,
        organization=api_token.organization,
        marks=api_token.actor_marks,
        request_id=request_id,
        via=via,
    )
    if actor is None:
        return None
    allowed = scoped_actions(actor.allowed, api_token.scopes)
    return dataclasses.replace(
        actor,
        allowed=allowed,
        token_id=api_token.pk,
        scopes=tuple(api_token.scopes or ()),
        beyond_scopes=actor.allowed - allowed,
    )


# ---- invitations ------------------------------------------------------------------------------------


@dataclasses.dataclass
class InvitationsSent:
    """What `invitation_create` did: the invitations sent (each with its link, shown once) and the
    addresses left out because they are already in the organization."""

    sent: list[tuple[Invitation, str]]
    already_members: list[str]


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.CHARTER_INVITATION_DAYS)


def _invitation_renew(invitation: Invitation) -> str:
    """A new token and expiry for the invitation (the previous link stops working); the new link."""
    invitation.token_salt = secrets.token_urlsafe(24)
    raw = invitations.raw_token(invitation.token_salt)
    invitation.token_hash = token_hash(raw)
    invitation.expires_at = _invitation_expiry()
    invitation.last_sent_at = timezone.now()
    return invitations.link(raw)


def _invitation_send_later(invitation_id: int) -> None:
    def enqueue():
        from .tasks import invitation_email_send

        invitation_email_send.enqueue(invitation_id=invitation_id)

    transaction.on_commit(enqueue)


def invitation_create(
    *, actor: Actor, emails: list[str] | str, role: str = Role.MEMBER, team_id: int | None = None
) -> InvitationsSent:
    """Invite one or many addresses with a role (and a team); each gets an emailed single-use link.

    An address with a pending invitation gets it renewed (role, team, new link and expiry), not a second
    one; an address already in the organization is reported, not invited. One bad address refuses the
    whole request, naming it."""
    actor.require("people.invite")
    addresses = invitations.parse_addresses(emails)
    if not addresses:
        raise ValidationError("Enter at least one email address.", field="emails")
    if len(addresses) > invitations.MAX_ADDRESSES:
        raise ValidationError(
            f"At most {invitations.MAX_ADDRESSES} addresses at once; you gave {len(addresses)}.",
            field="emails",
        )
    for address in addresses:
        try:
            validate_email(address)
        except DjangoValidationError:
            raise ValidationError(
                f"“{address}” is not a valid email address; nobody was invited.", field="emails"
            )
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}; one of {', '.join(Role.values)}.", field="role")
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise PermissionDenied("Only an owner may invite an owner.")
    team = None
    if team_id is not None:
        team = Team.objects.for_org(actor.organization).filter(pk=team_id).first()
        if team is None:
            raise NotFound("No such team.", field="team_id")
    org = actor.organization
    with transaction.atomic():
        members = set(
            Membership.objects.for_org(org)
            .filter(user__email__in=addresses)
            .values_list("user__email", flat=True)
        )
        pending = {
            invitation.email: invitation
            for invitation in Invitation.objects.for_org(org)
            .select_for_update()
            .filter(email__in=addresses, accepted_at__isnull=True, revoked_at__isnull=True)
        }
        sent, already = [], []
        for address in addresses:
            if address in members:
                already.append(address)
                continue
            invitation = pending.get(address) or Invitation(organization=org, email=address)
            renewed = invitation.pk is not None
            invitation.role, invitation.team, invitation.invited_by = role, team, actor.user
            link = _invitation_renew(invitation)
            invitation.save()
            changes = {"email": address, "role": role, "team_id": team and team.pk, "renewed": renewed}
            audit(actor, "invitation.create", invitation, changes)
            _invitation_send_later(invitation.pk)
            sent.append((invitation, link))
    return InvitationsSent(sent=sent, already_members=already)


def _pending_invitation(actor: Actor, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.for_org(actor.organization).select_for_update().filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise NotFound("No such invitation.")
    if invitation.accepted_at is not None:
        raise ValidationError(f"{invitation.email} already accepted this invitation.")
    if invitation.revoked_at is not None:
        raise ValidationError(f"The invitation of {invitation.email} was revoked; invite them again.")
    if invitation.role == Role.OWNER and actor.role != Role.OWNER:
        raise PermissionDenied("Only an owner may handle an invitation to be an owner.")
    return invitation


def invitation_resend(*, actor: Actor, invitation_id: int) -> tuple[Invitation, str]:
    """Send a pending (or expired) invitation again, with a new link and a new expiry; the new link."""
    actor.require("people.invite")
    with transaction.atomic():
        invitation = _pending_invitation(actor, invitation_id)
        link = _invitation_renew(invitation)
        invitation.save()
        audit(actor, "invitation.resend", invitation, {"expires_at": invitation.expires_at})
        _invitation_send_later(invitation.pk)
    return invitation, link


def invitation_revoke(*, actor: Actor, invitation_id: int) -> Invitation:
    """Revoke a pending invitation: its link then says so."""
    actor.require("people.invite")
    with transaction.atomic():
        invitation = _pending_invitation(actor, invitation_id)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit(actor, "invitation.revoke", invitation)
    return invitation


def invitation_for_token(raw_token: str, *, lock: bool = False) -> Invitation:
    """The invitation of a link, with its organization and team; NotFound for an unknown token."""
    query = Invitation.objects.unscoped().select_related("organization", "team", "invited_by")
    if lock:
        query = query.select_for_update(of=("self",))
    invitation = query.filter(token_hash=token_hash(raw_token or "")).first()
    if invitation is None:
        raise NotFound("This invitation link is not known. Check that it was copied whole.")
    return invitation


def invitation_check_usable(invitation: Invitation) -> None:
    """Raise InvitationUnusable, saying what happened and what to do, unless it can be accepted."""
    ask = f"Ask {invitation.invited_by or 'an admin of ' + invitation.organization.name} for a new one."
    state = invitation.state
    if state == "accepted":
        message = f"This invitation to {invitation.organization.name} was already used."
        raise InvitationUnusable(
            f"{message} Sign in instead, or, if it was not you, {ask[0].lower()}{ask[1:]}", state=state
        )
    if state == "revoked":
        raise InvitationUnusable(
            f"This invitation to {invitation.organization.name} was withdrawn. {ask}", state=state
        )
    if state == "expired":
        when = timezone.localtime(invitation.expires_at).strftime("%-d %B %Y")
        raise InvitationUnusable(
            f"This invitation to {invitation.organization.name} expired on {when}. {ask}", state=state
        )


def invitation_accept(
    *,
    raw_token: str,
    user: User | None = None,
    full_name: str | None = None,
    password: str | None = None,
    request_id: str = "",
    via: str = "web",
) -> Membership:
    """Join the invitation's organization with its role (and team).

    `user`: the signed-in person, whose address must be the invited one; else a new account for the
    invited address with `full_name` and `password` (an existing account must sign in first)."""
    with transaction.atomic():
        invitation = invitation_for_token(raw_token, lock=True)
        invitation_check_usable(invitation)
        org = invitation.organization
        if user is not None:
            if user.email.lower() != invitation.email:
                raise PermissionDenied(
                    f"This invitation is for {invitation.email}, and you are signed in as {user.email}. "
                    "Sign out, then open the link again."
                )
        else:
            if User.objects.filter(email=invitation.email).exists():
                raise PermissionDenied(f"{invitation.email} already has an account: sign in first to join.")
            errors = _validate_person(invitation.email, full_name or "", password)
            if not password:
                errors["password"] = ["Choose a password."]
            if errors:
                raise ValidationError("Your account could not be made yet.", errors=errors)
            user = User.objects.create_user(invitation.email, password, full_name=(full_name or "").strip())
        membership = Membership.objects.for_org(org).filter(user=user).first()
        if membership is None:
            membership = Membership.objects.create(organization=org, user=user, role=invitation.role)
        elif not membership.is_active:
            membership.is_active, membership.role = True, invitation.role
            membership.save(update_fields=["is_active", "role"])
        if invitation.team_id is not None:
            TeamMembership.objects.for_org(org).get_or_create(
                team_id=invitation.team_id, user=user, defaults={"organization": org}
            )
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        actor = Actor(
            user=user,
            organization=org,
            role=membership.role,
            allowed=allowed_actions(membership.role),
            request_id=request_id,
            via=via,
        )
        audit(
            actor, "invitation.accept", invitation, {"role": membership.role, "team_id": invitation.team_id}
        )
    return membership


SIGNUPS_PER_ADDRESS_HOUR = 5  # sign-up emails asked from one network address in an hour
SIGNUPS_PER_EMAIL_DAY = 3  # and sent to one address in a day


def signup_request(*, organization_slug: str, email: str, client: str = "", request_id: str = "") -> bool:
    """Someone asks to join an organization whose sign-up domain their address is at: they are emailed a
    single-use link (an invitation as member, from nobody), which proves the address. True when an email
    is on its way; False, silently, for a member or past the throttle (the page says the same either way,
    so it tells no one who is a member)."""
    org = Organization.objects.filter(slug=organization_slug).exclude(signup_domain="").first()
    if org is None:
        raise NotFound("This organization does not take sign-ups.")
    email = email.strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationError("Enter a valid email address.", field="email")
    if email.rsplit("@", 1)[1] != org.signup_domain:
        raise ValidationError(
            f"Only addresses at {org.signup_domain} can join {org.name} this way; ask one of its admins "
            "for an invitation.",
            field="email",
        )
    if throttle.hit(f"signup:address:{client or 'unknown'}", seconds=3600) > SIGNUPS_PER_ADDRESS_HOUR:
        return False
    if throttle.hit(f"signup:email:{throttle.email_key(email)}", seconds=86400) > SIGNUPS_PER_EMAIL_DAY:
        return False
    with transaction.atomic():
        if Membership.objects.for_org(org).filter(user__email=email).exists():
            return False
        invitation = (
            Invitation.objects.for_org(org)
            .select_for_update()
            .filter(email=email, accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        ) or Invitation(organization=org, email=email, role=Role.MEMBER)
        _invitation_renew(invitation)
        invitation.save()
        system = Actor(
            user=SimpleNamespace(pk=None), organization=org, role="system", via="web", request_id=request_id
        )
        audit(system, "invitation.signup", invitation, {"email": email, "role": invitation.role})
        _invitation_send_later(invitation.pk)
    return True
