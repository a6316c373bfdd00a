"""Back-briefs: a team restates the intent of a goal it received, and the leader confirms it."""

from django.conf import settings
from django.db import models

from charter.core.models import OrgScopedModel


class BackBrief(OrgScopedModel):
    """A team's restatement of a goal's intent, with its plan, concerns and needs, awaiting confirmation."""

    class State(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SUBMITTED = "submitted", "Submitted"
        CONFIRMED = "confirmed", "Confirmed"
        CLARIFICATION_REQUESTED = "clarification_requested", "Clarification requested"
        # The goal moved to another team before this one was confirmed: kept for the record.
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN_STATES = (State.REQUESTED, State.SUBMITTED, State.CLARIFICATION_REQUESTED)
    TO_WRITE_STATES = (State.REQUESTED, State.CLARIFICATION_REQUESTED)

    goal = models.ForeignKey("goals.Goal", on_delete=models.CASCADE, related_name="back_briefs")
    team = models.ForeignKey("organizations.Team", on_delete=models.CASCADE, related_name="back_briefs")
    state = models.CharField(max_length=32, choices=State.choices, default=State.REQUESTED)
    intent = models.TextField(blank=True, help_text="The goal's intent in the team's own words.")
    plan = models.TextField(blank=True)
    concerns = models.TextField(blank=True)
    needs = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    clarification = models.TextField(blank=True, help_text="What the reviewer asked to clarify.")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["organization", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "team"],
                condition=models.Q(state__in=["requested", "submitted", "clarification_requested"]),
                name="back_brief_one_open_per_goal_team",
            )
        ]

    def __str__(self):
        return f"Back-brief of {self.team} on {self.goal}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def waiting_since(self):
        """When the current wait began: for the team to write, or for the reviewer to confirm."""
        if self.state == self.State.SUBMITTED:
            return self.submitted_at
        if self.state == self.State.CLARIFICATION_REQUESTED:
            return self.reviewed_at
        if self.state == self.State.CONFIRMED:
            return self.confirmed_at
        return self.requested_at


class BackBriefEvent(OrgScopedModel):
    """One step in a back-brief's history: who moved it from which state to which, and what they said."""

    back_brief = models.ForeignKey(BackBrief, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32, choices=BackBrief.State.choices)
    note = models.TextField(blank=True)
    # The four texts as submitted, so a resubmission does not erase what was said before.
    snapshot = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_state or '—'} → {self.to_state}"

    @property
    def from_state_label(self) -> str:
        return dict(BackBrief.State.choices).get(self.from_state, "")
