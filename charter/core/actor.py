"""Who acts: a person (or later an agent) inside one organization, with what they may do."""

from dataclasses import dataclass, field

from .errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    """Passed to every service and selector; built by the interface that received the request."""

    user: object
    organization: object
    role: str
    allowed: frozenset[str] = field(default_factory=frozenset)
    team_ids: frozenset[int] = field(default_factory=frozenset)  # teams the person belongs to
    lead_team_ids: frozenset[int] = field(default_factory=frozenset)  # teams the person leads
    organization_count: int = 0  # active organizations of the person; 0 when not read (then ask)
    request_id: str = ""
    via: str = "web"
    token_id: int | None = None  # the API token the request came with; audited with every write
    # A scoped token's scopes, and the actions its owner's role allows that the scopes leave out: a
    # refusal of one of those names the scopes, not the role.
    scopes: tuple[str, ...] = ()
    beyond_scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def user_id(self) -> int:
        return self.user.pk

    @property
    def organization_id(self) -> int:
        return self.organization.pk

    def can(self, action: str) -> bool:
        return action in self.allowed

    def require(self, action: str, message: str | None = None) -> None:
        if action not in self.allowed:
            what = action.replace(".", " ")
            if message is None and action in self.beyond_scopes:
                message = (
                    f"This token's scopes ({', '.join(self.scopes)}) do not allow it to {what}; "
                    f"your role ({self.role}) does: use a token with a scope that covers it."
                )
            raise PermissionDenied(message or f"Your role ({self.role}) may not {what}.")
