"""An organization's single sign-on settings (ADR 25)."""

from django.db import models

from charter.core.crypto import EncryptedCharField
from charter.core.models import OrgScopedModel
from charter.core.outbound import MAX_URL_LENGTH


class SingleSignOn(OrgScopedModel):
    """How an organization's people sign in with OpenID Connect. An empty issuer means the installation's
    provider (CHARTER_OIDC_*), if there is one; `sso_only` and `join_by_sso` apply to either provider.
    Roles are never read from the provider: a person who joins by single sign-on is a member."""

    name = models.CharField(max_length=60, blank=True, default="")  # "Sign in with <name>"
    issuer = models.URLField(max_length=MAX_URL_LENGTH, blank=True, default="")
    client_id = models.CharField(max_length=255, blank=True, default="")
    client_secret = EncryptedCharField(max_length=500, blank=True, default="")
    allow_private = models.BooleanField(default=False)
    sso_only = models.BooleanField(default=False)
    join_by_sso = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="one_sso_per_organization")]

    def __str__(self):
        return f"Single sign-on of organization {self.organization_id}"
