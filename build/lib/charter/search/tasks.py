"""Background tasks of search: they take ids and are safe to run twice."""

from django.tasks import task

from . import services


@task()
def index_item(type_: str, object_id: int) -> str:
    """Bring one object's search document up to date (or remove it when the object is gone)."""
    return services.index_item(type_=type_, object_id=object_id)
