"""Every write of a registered model enqueues the indexing of that object once the transaction commits."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .tasks import index_item

_connected: set[str] = set()


def _enqueue(type_: str, object_id: int) -> None:
    index_item.enqueue(type_, object_id)


def _changed(type_: str, sender, instance, **kwargs) -> None:
    transaction.on_commit(partial(_enqueue, type_, instance.pk))


def connect(reg) -> None:
    if reg.type in _connected:
        return
    _connected.add(reg.type)
    handler = partial(_changed, reg.type)
    # weak=False: the partial would otherwise be collected at once.
    post_save.connect(handler, sender=reg.model, weak=False, dispatch_uid=f"search.save.{reg.type}")
    post_delete.connect(
        lambda sender, instance, **kw: transaction.on_commit(partial(_enqueue, reg.type, instance.pk)),
        sender=reg.model,
        weak=False,
        dispatch_uid=f"search.delete.{reg.type}",
    )
