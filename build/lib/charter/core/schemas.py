"""Schemas every interface shares: the one error body."""

from ninja import Schema
from pydantic import ConfigDict


class ErrorOut(Schema):
    """The body of every refused API request."""

    code: str
    detail: str
    errors: dict[str, list[str]] = {}


class InSchema(Schema):
    """The base of every request body: an unknown field is refused (422 naming it), so a write can
    never set what the caller may not choose, such as the organization, a role or the author."""

    model_config = ConfigDict(extra="forbid")
