"""Schemas of organizations, teams, people and tokens, shared by the API, MCP tools and command line."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from charter.core.schemas import InSchema


class OrganizationOut(Schema):
    id: int
    name: str
    slug: str


class TeamOut(Schema):
    id: int
    name: str
    description: str
    parent_id: int | None
    member_count: int

    @staticmethod
    def resolve_member_count(obj) -> int:
        # Lists annotate the count; a single team has its memberships prefetched.
        count = getattr(obj, "member_count", None)
        return count if count is not None else len(obj.memberships.all())


class TeamMemberOut(Schema):
    user_id: int
    full_name: str = Field(alias="user.full_name")
    is_lead: bool


class TeamDetailOut(TeamOut):
    members: list[TeamMemberOut]
    children_ids: list[int]

    @staticmethod
    def resolve_members(obj):
        return list(obj.memberships.all())

    @staticmethod
    def resolve_children_ids(obj) -> list[int]:
        return [child.pk for child in obj.children.all()]


class PersonOut(Schema):
    id: int = Field(alias="user_id", description="The person's user id.")
    email: str = Field(alias="user.email")
    full_name: str = Field(alias="user.full_name")
    kind: str = Field(alias="user.kind", description="person or agent")
    role: str
    title: str
    is_active: bool
    team_ids: list[int]

    @staticmethod
    def resolve_team_ids(obj) -> list[int]:
        return [tm.team_id for tm in obj.user.team_memberships.all()]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    is_active: bool


class TokenIn(InSchema):
    name: str = Field(max_length=80, description="Where the token is used.")
    days: int | None = Field(90, description="Days until it expires; null for never.")


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The raw token: shown this once, never stored.")


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    team_id: int | None
    invited_by_id: int | None
    state: str = Field(description="pending, accepted, revoked or expired")
    expires_at: datetime
    created_at: datetime
    last_sent_at: datetime | None
    accepted_at: datetime | None
    accepted_by_id: int | None
    revoked_at: datetime | None


class InvitationSentOut(InvitationOut):
    link: str = Field(description="The invitation's link: in this answer and the email only, never stored.")


class InvitationIn(InSchema):
    emails: list[Annotated[str, Field(max_length=254)]] = Field(
        min_length=1, max_length=100, description="The addresses to invite (1 to 100)."
    )
    role: Literal["owner", "admin", "leader", "member", "viewer"] = Field(
        "member", description="Their role once they join; only an owner may invite an owner."
    )
    team_id: int | None = Field(None, description="A team they join too.")


class InvitationsCreatedOut(Schema):
    invitations: list[InvitationSentOut] = Field(
        description="One per address invited (a pending invitation of the same address is renewed)."
    )
    already_members: list[str] = Field(description="Addresses left out: they are already members.")
