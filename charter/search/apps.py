from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _drop_stale_keywords(using="default", **kwargs) -> None:
    """SQLite's keyword index is a virtual table no model describes, so `flush` leaves its rows behind:
    drop every row whose search document is gone (after migrate and after flush, which both end here)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite" or "search_fts" not in connection.introspection.table_names():
        return
    from .queries import sqlite_drop_stale_keywords

    sqlite_drop_stale_keywords(using=using)


class SearchConfig(AppConfig):
    name = "charter.search"
    label = "search"

    def ready(self):
        from . import panels, registry, signals  # noqa: F401 - panels registers the similar goals panel

        registry.on_register(signals.connect)

        post_migrate.connect(_drop_stale_keywords, sender=self, dispatch_uid="search.drop-stale-keywords")
