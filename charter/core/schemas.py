"""Schemas every interface shares: the one error body."""

from ninja import Schema


class ErrorOut(Schema):
    """The body of every refused API request."""

    code: str
    detail: str
    errors: dict[str, list[str]] = {}
