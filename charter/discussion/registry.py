"""Which objects people may comment on: owning apps register their target types here.

An app above discussion calls `register_target("decision", Decision, "decision_detail", "decision_id")` in
its AppConfig.ready(); the comment services then find the object (scoped to the actor's organization) and
its page without importing that app.
"""

from dataclasses import dataclass

from django.urls import reverse

from charter.core.errors import NotFound


@dataclass(frozen=True)
class Target:
    """A kind of object that carries a comment thread, and the page that shows it."""

    target_type: str
    model: type
    url_name: str
    url_kwarg: str

    def url(self, target_id: int) -> str:
        return reverse(self.url_name, kwargs={self.url_kwarg: target_id})


_targets: dict[str, Target] = {}


def register_target(target_type: str, model: type, url_name: str, url_kwarg: str) -> None:
    _targets[target_type] = Target(target_type, model, url_name, url_kwarg)


def get_target(target_type: str) -> Target:
    target = _targets.get(target_type)
    if target is None:
        raise NotFound(f"Nothing to comment on of type {target_type!r}.")
    return target


def target_object(actor, target_type: str, target_id: int):
    """The target object in the actor's organization; NotFound for unknown types, missing and foreign ids."""
    obj = get_target(target_type).model.objects.for_org(actor.organization).filter(pk=target_id).first()
    if obj is None:
        raise NotFound(f"No such {target_type.replace('_', ' ')}.")
    return obj
