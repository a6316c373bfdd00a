"""Ideas: anyone's proposals, linked to goals, voted on, moved through a pipeline with reasons."""

from django.conf import settings
from django.db import models

from charter.core.models import OrgScopedModel


class Idea(OrgScopedModel):
    """A proposal; once adopted it links to the goal or key result it became."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        EXPLORING = "exploring", "Exploring"
        ADOPTED = "adopted", "Adopted"
        PARKED = "parked", "Parked"
        REJECTED = "rejected", "Rejected"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)  # Markdown
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    goals = models.ManyToManyField("goals.Goal", blank=True, related_name="ideas")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    adopted_goal = models.ForeignKey(
        "goals.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_key_result = models.ForeignKey(
        "goals.KeyResult", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "status", "created_at"])]

    def __str__(self):
        return self.title


class IdeaVote(OrgScopedModel):
    """One person's vote for one idea (at most one each)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="idea_vote_once")]

    def __str__(self):
        return f"{self.user_id} votes for {self.idea_id}"


class IdeaTransition(OrgScopedModel):
    """A move of an idea through the pipeline: from, to, who, why, when."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=Idea.Status.choices)
    to_status = models.CharField(max_length=16, choices=Idea.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.idea_id}: {self.from_status} → {self.to_status}"
