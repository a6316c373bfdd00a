"""Decision domains, delegation levels per team and domain (with their history), and decision records."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models

from charter.core.models import OrgScopedModel

from . import rules


class DecisionDomain(OrgScopedModel):
    """An area of decisions the organization names: hiring, budget under 10k, tech stack, pricing ..."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    examples = models.TextField(blank=True, help_text="Typical decisions of this domain.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="decision_domain_unique")
        ]

    def __str__(self):
        return self.name


LEVEL_CHOICES = [(n, f"{n} {rules.LEVELS[n].name}") for n in rules.LEVELS]


class DelegationLevel(OrgScopedModel):
    """The level (1 tell … 7 delegate) set for one team in one domain; unset cells inherit."""

    team = models.ForeignKey("organizations.Team", on_delete=models.CASCADE, related_name="+")
    domain = models.ForeignKey(DecisionDomain, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "domain"], name="delegation_level_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=7), name="delegation_level_range"
            ),
        ]

    def __str__(self):
        return f"{self.team_id}/{self.domain_id}: {self.level}"


class DelegationChange(OrgScopedModel):
    """One change of a delegation level, kept forever with its reason."""

    team = models.ForeignKey("organizations.Team", on_delete=models.CASCADE, related_name="+")
    domain = models.ForeignKey(DecisionDomain, on_delete=models.CASCADE, related_name="changes")
    # None: the team's own level was cleared, so it inherits again.
    level = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES, null=True, blank=True)
    previous_level = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES, null=True, blank=True)
    reason = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "team", "domain"])]

    def __str__(self):
        return f"{self.previous_level} → {self.level}"


class Decision(OrgScopedModel):
    """A decision record; its status follows the delegation level enforced by the services."""

    class Status(models.TextChoices):
        PROPOSED = rules.PROPOSED, "Proposed"
        DECIDED = rules.DECIDED, "Decided"
        ESCALATED = rules.ESCALATED, "Escalated"
        SUPERSEDED = rules.SUPERSEDED, "Superseded"
        WITHDRAWN = rules.WITHDRAWN, "Withdrawn"

    title = models.CharField(max_length=200)
    context = models.TextField(blank=True)
    options = models.TextField(blank=True)
    decision = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    consequences = models.TextField(blank=True)
    domain = models.ForeignKey(DecisionDomain, on_delete=models.PROTECT, related_name="decisions")
    team = models.ForeignKey("organizations.Team", on_delete=models.PROTECT, related_name="+")
    goals = models.ManyToManyField("goals.Goal", blank=True, related_name="decisions")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    level = models.PositiveSmallIntegerField(
        choices=LEVEL_CHOICES, help_text="Effective level when recorded."
    )
    relation = models.CharField(max_length=16, help_text="The recorder's relation to the team.")
    # What the record waits for (rules.AWAITING), and from whom.
    awaiting = models.CharField(max_length=24, blank=True)
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consulted = models.BooleanField(default=False, help_text="Level 3: the team's input was recorded.")
    advice_requested = models.BooleanField(default=False)
    advice = models.TextField(blank=True)
    advised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    advised_at = models.DateTimeField(null=True, blank=True)
    escalated = models.BooleanField(default=False)
    escalated_at = models.DateTimeField(null=True, blank=True)
    proposed_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    needed_by = models.DateField(
        null=True, blank=True, help_text="Decide by: the day the answer is needed (optional)."
    )
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "team", "domain"]),
            models.Index(fields=["organization", "addressed_to", "status"]),
        ]

    def __str__(self):
        return self.title

    @property
    def latency(self) -> timedelta | None:
        """Proposed to decided; None while undecided."""
        return self.decided_at - self.proposed_at if self.decided_at else None

    @property
    def level_info(self) -> "rules.Level":
        return rules.LEVELS[self.level]

    @property
    def is_open(self) -> bool:
        return self.status in (rules.PROPOSED, rules.ESCALATED)

    def is_overdue(self, today: date) -> bool:
        """Still waiting after its decide-by day (`today` in the reader's time zone)."""
        return rules.is_overdue(self.needed_by, self.is_open, today)


class DecisionEvent(OrgScopedModel):
    """A step in a decision's life (recorded, agreed, advised, decided, escalated, withdrawn, superseded)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The leader an owner or admin stood in for ("act for"); the step followed that leader's authority.
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.kind} → {self.status}"


class AdviceSettings(OrgScopedModel):
    """An organization's overrides of the advice rules' thresholds (`rules.AdviceThresholds`)."""

    thresholds = models.JSONField(default=dict, blank=True, help_text="{name: value} overrides.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="advice_settings_unique")]


class AdviceAnswer(OrgScopedModel):
    """A leader's answer to delegation advice: accepted (the level changed, `change` holds it) or dismissed
    with a reason; the evidence as it was shown is kept. A dismissal makes the cell's rule of that kind read
    only the records made after it."""

    class Answer(models.TextChoices):
        ACCEPTED = rules.ACCEPTED, "Accepted"
        DISMISSED = rules.DISMISSED, "Dismissed"

    team = models.ForeignKey("organizations.Team", on_delete=models.CASCADE, related_name="+")
    domain = models.ForeignKey(DecisionDomain, on_delete=models.CASCADE, related_name="advice_answers")
    kind = models.CharField(max_length=16, choices=[(k, rules.ADVICE_NAMES[k]) for k in rules.ADVICE_KINDS])
    answer = models.CharField(max_length=16, choices=Answer.choices)
    level = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES)
    suggested_level = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES)
    evidence = models.TextField()
    figures = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change = models.ForeignKey(
        DelegationChange, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "team", "domain"])]

    def __str__(self):
        return f"{self.kind} {self.answer}"


# ---- delegation poker -----------------------------------------------------------------------------


class PokerSession(OrgScopedModel):
    """A delegation poker session (Management 3.0): invited people pick a level per domain in private,
    all cards turn at once, the spread is discussed, a leader sets the team's level from it."""

    class State(models.TextChoices):
        PICKING = rules.POKER_PICKING, "Picking"
        REVEALED = rules.POKER_REVEALED, "Revealed"

    title = models.CharField(max_length=200)
    team = models.ForeignKey("organizations.Team", on_delete=models.CASCADE, related_name="+")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.PICKING)
    deadline = models.DateTimeField(null=True, blank=True, help_text="The cards turn by themselves then.")
    revealed_at = models.DateTimeField(null=True, blank=True)
    # Why the cards turned: everyone picked, a leader turned them, or the deadline passed (rules.REVEAL_*).
    revealed_how = models.CharField(max_length=16, blank=True)
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Bumped by every change a participant should see (a pick made, the reveal, a level set): the live
    # page asks for it every few seconds and redraws only when it moved.
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "state"])]

    def __str__(self):
        return self.title


class PokerItem(OrgScopedModel):
    """One domain played in a session, and the level a leader set from it (linked to the board's change)."""

    session = models.ForeignKey(PokerSession, on_delete=models.CASCADE, related_name="items")
    domain = models.ForeignKey(DecisionDomain, on_delete=models.CASCADE, related_name="+")
    level_set = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES, null=True, blank=True)
    change = models.ForeignKey(
        DelegationChange, null=True, blank=True, on_delete=models.SET_NULL, related_name="poker_items"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["session", "domain"], name="poker_item_unique")]

    def __str__(self):
        return f"{self.session_id}/{self.domain_id}"


class PokerParticipant(OrgScopedModel):
    """A person invited to pick in a session."""

    session = models.ForeignKey(PokerSession, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="poker_participant_unique")]

    def __str__(self):
        return f"{self.session_id}/{self.user_id}"


class PokerPick(OrgScopedModel):
    """A participant's card for one domain: private until the cards turn."""

    session = models.ForeignKey(PokerSession, on_delete=models.CASCADE, related_name="picks")
    item = models.ForeignKey(PokerItem, on_delete=models.CASCADE, related_name="picks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES)
    picked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="poker_pick_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=7), name="poker_pick_range"),
        ]

    def __str__(self):
        return f"{self.item_id}/{self.user_id}"
