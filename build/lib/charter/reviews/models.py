"""Cycle reviews: each team's grades of its goals, how it adapts them, and its retrospective."""

from django.conf import settings
from django.db import models

from charter.core.models import OrgScopedModel


class CycleReview(OrgScopedModel):
    """A team's review of one cycle: the retrospective (what worked, what did not, what we change)."""

    cycle = models.ForeignKey("goals.Cycle", on_delete=models.CASCADE, related_name="reviews")
    team = models.ForeignKey("organizations.Team", on_delete=models.CASCADE, related_name="cycle_reviews")
    what_worked = models.TextField(blank=True)
    what_did_not = models.TextField(blank=True)
    what_we_change = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "team__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "team"], name="cycle_review_one_per_team"),
        ]

    def __str__(self):
        return f"Review of {self.team} in {self.cycle}"

    @property
    def has_retrospective(self) -> bool:
        return self.submitted_at is not None


class GoalGrade(OrgScopedModel):
    """A goal's grade (0.0-1.0) at the end of its cycle and what the team does with it next."""

    class Adaptation(models.TextChoices):
        KEEP = "keep", "Keep as it is"
        CARRY_OVER = "carry_over", "Carry over to another cycle"
        REVISE = "revise", "Revise"
        DROP = "drop", "Drop"

    cycle = models.ForeignKey("goals.Cycle", on_delete=models.CASCADE, related_name="grades")
    goal = models.ForeignKey("goals.Goal", on_delete=models.CASCADE, related_name="grades")
    team = models.ForeignKey(
        "organizations.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="goal_grades"
    )
    grade = models.FloatField(null=True, blank=True, help_text="0.0 to 1.0; empty until graded.")
    suggested_grade = models.FloatField(null=True, blank=True, help_text="From progress when graded.")
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    adaptation = models.CharField(max_length=16, choices=Adaptation.choices, default=Adaptation.KEEP)
    adaptation_reason = models.TextField(blank=True)
    carried_to = models.ForeignKey(
        "goals.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_from"
    )

    class Meta:
        ordering = ["goal__title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "cycle"], name="goal_grade_one_per_goal_cycle"),
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | models.Q(grade__gte=0, grade__lte=1),
                name="goal_grade_0_1",
            ),
        ]

    def __str__(self):
        return f"{self.goal}: {self.grade}"
