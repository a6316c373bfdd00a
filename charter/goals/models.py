"""Cycles, goals with intent, key results and check-ins; roll-ups are stored and kept by services."""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone

from charter.core.models import OrgScopedModel

from . import rules


class Cycle(OrgScopedModel):
    """A period (a quarter, a year) in which goals are pursued."""

    class State(models.TextChoices):
        PLANNING = "planning", "Planning"
        ACTIVE = "active", "Active"
        REVIEWING = "reviewing", "Reviewing"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=80)
    starts_on = models.DateField()
    ends_on = models.DateField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PLANNING)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="cycle_name_unique"),
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="cycle_dates"),
        ]

    def __str__(self):
        return self.name


class Goal(OrgScopedModel):
    """A qualitative outcome owned by a team, with its intent; rolls up into its parent."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="goals")
    team = models.ForeignKey(
        "organizations.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
        help_text="Empty for a goal of the whole organization.",
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_goals")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Intent (commander's intent): why, what success looks like, what must not happen, what is free.
    purpose = models.TextField(blank=True)
    end_state = models.TextField(blank=True)
    constraints = models.TextField(blank=True)
    freedoms = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The goal this one contributes to; its progress rolls up there.",
    )
    supports = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="supported_by")
    weight = models.FloatField(default=1.0)
    # Roll-ups, kept by the services on every change below them.
    progress = models.FloatField(default=0.0)
    confidence = models.PositiveSmallIntegerField(null=True, blank=True)
    last_check_in_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["organization", "cycle", "team"]),
            models.Index(fields=["organization", "parent"]),
        ]

    def __str__(self):
        return self.title

    @property
    def level(self) -> str:
        if self.team_id is None or self.team.parent_id is None:
            return "strategic"
        return "team"

    @property
    def has_intent(self) -> bool:
        return bool(self.purpose.strip() and self.end_state.strip())

    @cached_property
    def status(self) -> str:
        return rules.status(
            rules.StatusInputs(
                progress=self.progress,
                starts_on=self.cycle.starts_on,
                ends_on=self.cycle.ends_on,
                confidence=self.confidence,
                last_check_in_at=self.last_check_in_at,
                now=timezone.now(),
                stale_days=self.organization.stale_days,
            )
        )


class KeyResult(OrgScopedModel):
    """A measurable result of a goal."""

    class Kind(models.TextChoices):
        INCREASE = rules.INCREASE, "Increase to a target"
        DECREASE = rules.DECREASE, "Decrease to a target (lower is better)"
        RANGE = rules.RANGE, "Stay within a range"
        MILESTONE = rules.MILESTONE, "Milestone (done or not)"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INCREASE)
    unit = models.CharField(max_length=24, blank=True)
    start = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True, help_text="For a range: its lower bound.")
    target_max = models.FloatField(null=True, blank=True, help_text="For a range: its upper bound.")
    current = models.FloatField(null=True, blank=True)
    weight = models.FloatField(default=1.0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_key_results",
    )
    position = models.PositiveSmallIntegerField(default=0)
    progress = models.FloatField(default=0.0)  # raw: may exceed 1 when the target is beaten
    confidence = models.PositiveSmallIntegerField(null=True, blank=True)
    last_check_in_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Since when check-ins are expected (check-in participation): its creation unless a goals file said
    # otherwise (an imported key result was created at the import, but its check-ins go back further).
    tracked_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    def progress_of(self, value: float | None) -> float:
        return rules.key_result_progress(self.kind, self.start, self.target, value, self.target_max)


class CheckIn(OrgScopedModel):
    """A dated update of a key result: value, confidence 0-10, a note."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="check_ins")
    value = models.FloatField()
    confidence = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)
    is_late = models.BooleanField(default=False, help_text="Recorded after its cycle was closed.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["key_result", "checked_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(confidence__lte=10), name="check_in_confidence_0_10"),
        ]

    def __str__(self):
        return f"{self.key_result}: {self.value:g}"


class GoalRevision(OrgScopedModel):
    """One change of a goal: who, when, why, and each changed field's old and new value."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="revisions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict)  # field -> [old, new]
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "goal"])]

    def __str__(self):
        return f"Revision of {self.goal_id}: {', '.join(self.changes)}"


class KeyResultRevision(OrgScopedModel):
    """One change of a key result: who, when, why, and each changed field's old and new value."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="revisions")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="key_result_revisions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict)  # field -> [old, new]
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "goal"])]

    def __str__(self):
        return f"Revision of key result {self.key_result_id}: {', '.join(self.changes)}"
