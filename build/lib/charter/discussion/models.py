"""Comments on goals, key results, decisions and ideas, and the people they mention."""

from django.conf import settings
from django.db import models

from charter.core.models import OrgScopedModel


class Comment(OrgScopedModel):
    """A Markdown comment on one target (a registered type and id); deleted ones keep their place."""

    target_type = models.CharField(max_length=32)
    target_id = models.PositiveBigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["organization", "target_type", "target_id", "created_at"])]

    def __str__(self):
        return f"Comment {self.pk} on {self.target_type} {self.target_id}"


class Mention(OrgScopedModel):
    """A member of the organization named in a comment (and notified of it)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="mention_once_per_comment")]

    def __str__(self):
        return f"@{self.user_id} in comment {self.comment_id}"
