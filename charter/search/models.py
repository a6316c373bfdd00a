"""The search index: one document per searchable object, with its text, and its meaning vector beside it."""

from django.db import models

from charter.core.models import OrgScopedModel


class SearchDocument(OrgScopedModel):
    """The indexed text of one object (its meaning vector, when there is one, is its `SearchVector`)."""

    type = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    team_id = models.PositiveBigIntegerField(null=True, blank=True)
    cycle_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "type", "object_id"], name="search_doc_once")
        ]
        indexes = [
            models.Index(fields=["type", "object_id"], name="search_doc_type_obj"),
        ]

    def __str__(self):
        return f"{self.type} {self.object_id}: {self.title}"


class SearchVector(OrgScopedModel):
    """A document's meaning: float32 bytes made by `model` with `dimension` values.

    In a table of its own so that the keyword search's scan of the documents does not read the vectors
    (1.5 KB a row, kept inline by PostgreSQL: 50 MB read per query at size M instead of about 9)."""

    document = models.OneToOneField(
        SearchDocument, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    vector = models.BinaryField()
    model = models.CharField(max_length=120)
    dimension = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["organization", "model"], name="search_vec_org_model")]

    def __str__(self):
        return f"Vector of {self.document_id} ({self.model})"


class SearchIndexState(OrgScopedModel):
    """A token that every write of the organization's documents changes, in the same transaction: the
    version under which each process keeps the organization's vector matrix (no count of the index); and
    `counter`, which every such write raises by one under the row's lock, so that writes are numbered in
    the order they commit (`SearchChange` records what each changed)."""

    token = models.CharField(max_length=32)
    counter = models.PositiveBigIntegerField(default=0)

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


class SearchChange(OrgScopedModel):
    """A document written or removed by the write numbered `counter` (`SearchIndexState.counter`), which set
    the index token `token`. A process holding the organization's matrix at counter c reads the changes
    after c and reads again only those documents' rows (`vectors.matrix`); a missing document (None): the
    write did not say which documents it changed, so the matrix is rebuilt. Old changes are pruned
    (`vectors.KEEP_CHANGES`): a process further behind rebuilds."""

    counter = models.PositiveBigIntegerField()
    token = models.CharField(max_length=32)
    document_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "counter"], name="search_change_org_counter")]

    def __str__(self):
        return f"Change {self.counter} of {self.organization_id}: document {self.document_id}"
