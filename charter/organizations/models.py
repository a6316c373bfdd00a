"""Organizations (tenants), people, roles, teams and personal API tokens."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from charter.core.models import OrgScopedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("A person needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person (or, later, an agent) who signs in with an email address."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        AGENT = "agent", "Agent"

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PERSON)
    # An IANA time zone name (Europe/Paris); empty: the installation's TIME_ZONE. Activated for each
    # signed-in request by charter.accounts.middleware (the row is read anyway: no query of its own).
    time_zone = models.CharField(max_length=64, blank=True, default="")
    # Raised by "sign out everywhere": it is part of the session hash, so every other session ends.
    session_generation = models.PositiveIntegerField(default=0)
    # True while the person has a confirmed authenticator (django-otp device); kept by
    # charter.accounts.services, so sign-in and the "organization requires it" check read no device.
    two_factor = models.BooleanField(default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def _get_session_auth_hash(self, secret=None):
        """Django's session hash (an HMAC of the password hash), with the session generation mixed in
        once it was raised: generation 0 keeps Django's own value, so existing sessions stay valid."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "charter.organizations.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Organization(models.Model):
    """The tenant: everything belongs to exactly one, and nothing crosses between two."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    stale_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days without a check-in before a goal is stale."
    )
    attainment_mark = models.FloatField(
        default=0.7, help_text="Grade at or above which a goal counts as attained."
    )
    agent_decision_cap = models.PositiveSmallIntegerField(
        default=0,
        help_text="The highest delegation level at which agents may decide alone (0: agents only propose).",
    )
    require_two_factor = models.BooleanField(
        default=False, help_text="Every member signs in with an authenticator app code as well."
    )
    # Empty: off. Else anyone with an address at this domain may ask to join as a member through the
    # organization's public sign-up page; the link to join is emailed to that address (it proves it).
    signup_domain = models.CharField(max_length=253, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    LEADER = "leader", "Leader"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Viewer"


class Membership(OrgScopedModel):
    """A person's place in an organization, with a role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    # An agent member's own cap on deciding alone (0-7); None: the organization's. Never above the
    # organization's `agent_decision_cap`, whichever is lower counts. People have none.
    decision_cap = models.PositiveSmallIntegerField(null=True, blank=True)
    # The identity provider's own id for this person (SCIM `externalId`); empty when not provisioned.
    external_id = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} ({self.role})"

    def agent_cap(self, organization_cap: int) -> int:
        """The level up to which this agent decides alone: its own cap, never above the organization's."""
        return organization_cap if self.decision_cap is None else min(self.decision_cap, organization_cap)


class Team(OrgScopedModel):
    """A unit of people and agents; teams form a tree."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # A SCIM group: the identity provider manages its name and members (`external_id`: its own id).
    provisioned = models.BooleanField(default=False)
    external_id = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="team_name_unique")]

    def __str__(self):
        return self.name


class TeamMembership(OrgScopedModel):
    """A person in a team; `is_lead` marks the team's leads."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="team_memberships")
    is_lead = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="team_membership_unique")]

    def __str__(self):
        return f"{self.user} in {self.team}"


class ApiToken(OrgScopedModel):
    """A personal API token: only its hash is stored; the prefix identifies it in lists and logs."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Empty: every action of the owner's role (personal tokens); else the scopes of permissions.SCOPES.
    scopes = models.JSONField(default=list, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class RateCounter(models.Model):
    """Hits of one key (an account, an address, a token) in its current fixed time window.

    Kept in the database so that every worker process sees the same counts; `throttle.hit` increments
    it with one atomic upsert, starting again from 1 when a new window begins (one row per key, so no
    clean-up query is needed on the way). Not scoped by organization: sign-in attempts come before one
    is known.
    """

    key = models.CharField(max_length=120, unique=True)
    window = models.BigIntegerField()  # the window's start, in seconds since the epoch
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["window"])]

    def __str__(self):
        return f"{self.key}@{self.window}: {self.hits}"


class Invitation(OrgScopedModel):
    """An invitation to join the organization by email: a single-use link that expires.

    Only the SHA-256 hash of the link's token is stored. The token itself is derived from
    `SECRET_KEY` and `token_salt` (`invitations.raw_token`), so that the background task that sends the
    email can rebuild it from the invitation's id, with no secret in the task's arguments; a resend
    draws a new salt, so the previous link stops working.
    """

    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    token_salt = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_accepted"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "email"])]

    def __str__(self):
        return f"Invitation of {self.email} ({self.role})"

    @property
    def state(self) -> str:
        """pending, accepted, revoked or expired."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @property
    def is_pending(self) -> bool:
        return self.state == "pending"
