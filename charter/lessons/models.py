"""A person's lessons: when they started each exercise and, once its check found the evidence, when it was
done and with what."""

from django.conf import settings
from django.db import models

from charter.core.models import OrgScopedModel


class LessonProgress(OrgScopedModel):
    """One person's work on one lesson (`rules.LESSONS`): started, then completed with its evidence."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.CharField(max_length=32)
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    evidence = models.TextField(blank=True, help_text="What showed the exercise done, in words.")
    evidence_url = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "person", "lesson"], name="lesson_progress_once")
        ]

    def __str__(self):
        return f"{self.person_id}: {self.lesson}"
