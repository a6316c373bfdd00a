"""Organization scoping that fails closed, and the audit trail of every write."""

from django.conf import settings
from django.db import models

from .errors import UnscopedQuery


class OrgQuerySet(models.QuerySet):
    """A queryset that refuses to run until it is limited to one organization.

    Scoped by `for_org(org)`, or implicitly when reached through a related manager of an object
    that was itself loaded in scope (Django marks those with an `instance` hint). `unscoped()` is the
    explicit way out for system work that spans organizations (migrations, sweeps, the scheduler).
    """

    _org_scoped = False

    def _clone(self):
        clone = super()._clone()
        clone._org_scoped = self._org_scoped
        return clone

    def for_org(self, organization):
        if organization is None:
            raise UnscopedQuery(f"{self.model.__name__}: for_org() needs an organization")
        org_id = getattr(organization, "pk", organization)
        clone = self.filter(organization_id=org_id)
        clone._org_scoped = True
        return clone

    def unscoped(self):
        clone = self._chain()
        clone._org_scoped = True
        return clone

    def _check_scope(self):
        if not self._org_scoped and "instance" not in self._hints:
            raise UnscopedQuery(
                f"Query on {self.model.__name__} without an organization; use .for_org(org) or .unscoped()"
            )

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def _guarded(name):
        def method(self, *args, **kwargs):
            self._check_scope()
            return getattr(super(), name)(*args, **kwargs)

        method.__name__ = name
        return method

    count = _guarded("count")
    exists = _guarded("exists")
    aggregate = _guarded("aggregate")
    update = _guarded("update")
    delete = _guarded("delete")
    iterator = _guarded("iterator")
    in_bulk = _guarded("in_bulk")
    del _guarded


class OrgScopedModel(models.Model):
    """Base of every model that belongs to one organization."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")

    objects = OrgQuerySet.as_manager()
    # Django's own machinery (deletion, FK access) uses the base manager; keep it plain.
    all_objects = models.Manager()  # noqa: DJ012 - a manager, not a field

    class Meta:
        abstract = True
        base_manager_name = "all_objects"


class AuditEvent(OrgScopedModel):
    """One write: who did what to which object, when, from which request (and token)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    via = models.CharField(max_length=16, blank=True)  # web, api, cli, mcp, system
    token = models.ForeignKey(
        "organizations.ApiToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "object_type", "object_id"])]

    def __str__(self):
        return f"{self.action} {self.object_type}:{self.object_id}"


class IdempotencyKey(OrgScopedModel):
    """An `Idempotency-Key` of an API POST: the first request's answer, replayed for a retry of it.

    One row per caller (token or person), organization and key. `status_code` is empty while the
    first request runs; `committed` is set inside the operation's transaction, so a write that
    committed is never run again for the key, even when its answer was lost. Rows expire
    (`expires_at`) and are purged by the worker's schedule.
    """

    caller = models.CharField(max_length=64)  # "token:<id>" or "user:<id>"
    key = models.CharField(max_length=255)
    route = models.CharField(max_length=300)  # method and path of the first request
    body_hash = models.CharField(max_length=64)  # sha256 of its body
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)  # 0: done, its answer lost
    committed = models.BooleanField(default=False)  # set in the operation's own transaction
    content_type = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.TextField(blank=True)  # never a secret: those fields are blanked (api.idempotency)
    withheld = models.JSONField(default=list, blank=True)  # the secret fields blanked: not replayed
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "caller", "key"], name="idempotency_key_once")
        ]

    def __str__(self):
        return f"{self.caller} {self.key}"
