"""Schemas of comments, shared by the API, MCP tools and command line."""

from datetime import datetime

from ninja import Field, Schema

from charter.core.schemas import InSchema

from .services import MAX_BODY

BODY_DOC = "Markdown. Mention a member with `@[Full Name](user:ID)`; they are notified."


class CommentOut(Schema):
    id: int
    target_type: str
    target_id: int
    author_id: int
    author_name: str = Field(validation_alias="author.full_name")
    body: str = Field(description="Markdown source; empty once deleted.")
    body_html: str = Field(description="The body rendered to safe HTML.")
    created_at: datetime
    edited_at: datetime | None
    deleted: bool

    @staticmethod
    def resolve_body_html(obj) -> str:
        from charter.core.markdown import render

        return str(render(obj.body))


class CommentFilters(Schema):
    target_type: str | None = Field(None, description="goal, key_result, decision, idea ...")
    target_id: int | None = None


class CommentIn(InSchema):
    target_type: str = Field(max_length=32, description="goal, key_result, decision, idea ...")
    target_id: int
    body: str = Field(max_length=MAX_BODY, description=BODY_DOC)


class CommentPatch(InSchema):
    body: str = Field(max_length=MAX_BODY, description=BODY_DOC)
