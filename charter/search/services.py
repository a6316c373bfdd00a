"""Writes of the search index: one object's document (text, keywords, vector), and full reindexing.

Indexing is system work run by background tasks: it reads objects across organizations through the
registry and stores each document in the object's own organization.
"""

import logging
from collections.abc import Callable

from django.db import transaction

from . import embedder as embedding
from . import keyword, registry
from .models import SearchDocument, SearchVector
from .vectors import pack, touch

log = logging.getLogger(__name__)
MAX_BODY = 20_000


def _fields(reg, obj) -> dict:
    return {
        "title": (reg.title(obj) or "")[:300],
        "body": (reg.text(obj) or "")[:MAX_BODY],
        "team_id": reg.team_id(obj) if reg.team_id else None,
        "cycle_id": reg.cycle_id(obj) if reg.cycle_id else None,
        "url": reg.url(obj) or "",
    }


def _embed_text(fields: dict) -> str:
    return f"{fields['title']}. {fields['body']}".strip()


def _remove(type_: str, object_id: int) -> None:
    docs = SearchDocument.objects.unscoped().filter(type=type_, object_id=object_id)
    rows = list(docs.values_list("id", "organization_id"))
    if rows:
        keyword.backend().remove([doc_id for doc_id, _ in rows])
        docs.delete()
        changed = {}
        for doc_id, org_id in rows:
            changed.setdefault(org_id, []).append(doc_id)
        touch(changed)


def _store(reg, obj, embedder, vector=None) -> SearchDocument:
    fields = _fields(reg, obj)
    if embedder is not None and vector is None:
        vector = embedder.embed([_embed_text(fields)])[0]
    doc, _ = SearchDocument.objects.unscoped().update_or_create(
        organization_id=obj.organization_id, type=reg.type, object_id=obj.pk, defaults=fields
    )
    vectors = SearchVector.objects.unscoped()
    if embedder is None:
        vectors.filter(document=doc).delete()
    else:
        meaning = {"vector": pack(vector), "model": embedder.name, "dimension": embedder.dimension}
        vectors.update_or_create(document=doc, defaults={"organization_id": doc.organization_id, **meaning})
    keyword.backend().write(doc.pk, doc.title, doc.body)
    return doc


def index_item(*, type_: str, object_id: int) -> str:
    """Index one object now; remove its document when it is gone or has no text. Safe to run twice."""
    reg = registry.get(type_)
    if reg is None:
        return "unknown type"
    with transaction.atomic():
        obj = reg.get(object_id)
        if obj is None or not (reg.text(obj) or reg.title(obj)):
            _remove(type_, object_id)
            return "removed"
        doc = _store(reg, obj, embedding.get_embedder())
        touch({obj.organization_id: [doc.pk]})
    return "indexed"


def reindex(*, organization_id: int | None = None, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the documents of every registered type (one organization or all), embedding in batches.

    Documents whose object is gone are dropped; vectors of another model are replaced.
    """
    emb = embedding.get_embedder()
    objs = []
    for reg in registry.registrations():
        qs = reg.objects()
        if organization_id:
            qs = qs.filter(organization_id=organization_id)
        objs += [(reg, o) for o in qs.order_by("pk")]
    total, done = len(objs), 0
    _drop_orphans(organization_id, {(reg.type, o.pk) for reg, o in objs})
    for start in range(0, total, embedding.BATCH):
        batch = [(reg, o) for reg, o in objs[start : start + embedding.BATCH] if reg.text(o) or reg.title(o)]
        vectors = emb.embed([_embed_text(_fields(r, o)) for r, o in batch]) if emb and batch else None
        with transaction.atomic():
            changed = {}
            for i, (reg, obj) in enumerate(batch):
                doc = _store(reg, obj, emb, vectors[i] if vectors is not None else None)
                changed.setdefault(obj.organization_id, []).append(doc.pk)
            touch(changed)
        done = min(total, start + embedding.BATCH)
        if progress:
            progress(done, total)
    return total


def _drop_orphans(organization_id: int | None, keep: set[tuple[str, int]]) -> None:
    docs = SearchDocument.objects.unscoped()
    if organization_id:
        docs = docs.filter(organization_id=organization_id)
    for type_, object_id in docs.values_list("type", "object_id"):
        if (type_, object_id) not in keep:
            with transaction.atomic():
                _remove(type_, object_id)
