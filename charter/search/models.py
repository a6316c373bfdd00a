"""The search index: one document per searchable object, with its text and its meaning vector."""

from django.db import models

from charter.core.models import OrgScopedModel


class SearchDocument(OrgScopedModel):
    """The indexed text of one object; `vector` is float32 bytes made by `model` with `dimension` values."""

    type = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    team_id = models.PositiveBigIntegerField(null=True, blank=True)
    cycle_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    vector = models.BinaryField(null=True, blank=True)
    model = models.CharField(max_length=120, blank=True)
    dimension = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "type", "object_id"], name="search_doc_once")
        ]
        indexes = [
            models.Index(fields=["type", "object_id"], name="search_doc_type_obj"),
            models.Index(fields=["organization", "model"], name="search_doc_org_model"),
        ]

    def __str__(self):
        return f"{self.type} {self.object_id}: {self.title}"


class SearchIndexState(OrgScopedModel):
    """A token that every write of the organization's documents changes, in the same transaction: the
    version under which each process keeps the organization's vector matrix (no count of the index)."""

    token = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="search_state_once")]

    def __str__(self):
        return f"Search index of {self.organization_id}: {self.token}"


class SearchSettings(OrgScopedModel):
    """An organization's search preferences (absent: the defaults from settings)."""

    similar_threshold = models.FloatField(
        help_text="Cosine similarity from which two goals count as similar."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="search_settings_once")]

    def __str__(self):
        return f"Search settings of {self.organization_id}"
