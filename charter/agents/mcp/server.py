"""The MCP server: each tool authenticates its token, calls `tools.py` with the actor, and answers JSON text.

Input schemas come from the domain In-schemas (the fields of `CheckInIn`, `DecisionIn` ...), flattened
into the tool's arguments; domain errors become MCP tool errors carrying the service's message.
"""

import inspect
import json
from typing import Annotated, Literal

from asgiref.sync import sync_to_async
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp_types import ToolAnnotations
from ninja.responses import NinjaJSONEncoder
from pydantic import Field

from charter.backbriefs.schemas import BackBriefSubmitIn
from charter.core.errors import DomainError
from charter.delegation.schemas import DecisionIn, RespondIn
from charter.discussion.schemas import CommentIn
from charter.goals.schemas import CheckInIn
from charter.ideas.schemas import IdeaIn

from . import briefs, tools
from .auth import REQUEST_TOKEN, actor_for_token, bearer

READ_ONLY = ToolAnnotations(
    readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False
)
WRITE = ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=False, openWorldHint=False)
TYPES_DOC = "Only these types: mission, goal, key_result, decision, idea, review, comment."
INSTRUCTIONS = (
    "Charter: goals under mission command. Read your mission brief first (get_mission_brief), work within "
    "the intent and your team's delegation levels; above your authority a decision becomes a proposal."
)


def error_text(error: DomainError) -> str:
    """The error, then each field's problems (unless they only repeat it)."""
    details = [
        f"{field}: {' '.join(messages)}"
        for field, messages in (error.errors or {}).items()
        if messages != [error.message]
    ]
    return " ".join([error.message, "; ".join(details)]).strip()


def _run(raw: str, fn, kwargs: dict, error=ToolError):
    """Authenticate the token, call the tool function with its actor; domain errors become `error`."""
    try:
        result = fn(actor_for_token(raw), **kwargs)
    except DomainError as exc:
        raise error(error_text(exc)) from exc
    if isinstance(result, str):
        return result
    return json.dumps(result, cls=NinjaJSONEncoder, ensure_ascii=False, indent=1)


def _fields(model, rename: dict | None = None) -> list[inspect.Parameter]:
    """The In-schema's fields as keyword arguments of a tool, with their types, defaults and descriptions."""
    params = []
    for name, info in model.model_fields.items():
        default = (
            inspect.Parameter.empty if info.is_required() else info.get_default(call_default_factory=True)
        )
        params.append(
            inspect.Parameter(
                (rename or {}).get(name, name),
                inspect.Parameter.KEYWORD_ONLY,
                default=default,
                # Constraints (max_length, ge ...) and the description, without the default (given above).
                annotation=Annotated[(info.annotation, *info.metadata, Field(description=info.description))],
            )
        )
    return params


class CharterMCP:
    """Builds the server; `token` fixes the caller (stdio, tests), else each HTTP request's Bearer token."""

    def __init__(self, token: str | None = None):
        self.token = token
        self.server = MCPServer(name="charter", instructions=INSTRUCTIONS)
        self._register_reads()
        self._register_writes()
        self._register_resources()

    def raw_token(self, ctx: Context | None) -> str:
        if self.token is not None:
            return self.token
        return bearer(ctx.headers if ctx is not None else None) or REQUEST_TOKEN.get()

    async def call(self, ctx, fn, error=ToolError, **kwargs):
        # Django's ORM is synchronous; thread_sensitive keeps every call on one thread (one connection).
        return await sync_to_async(_run, thread_sensitive=True)(self.raw_token(ctx), fn, kwargs, error)

    def _add(self, name: str, fn, params: list[inspect.Parameter], doc: str, annotations: ToolAnnotations):
        """Register `fn(actor, **arguments)` as a tool whose arguments are `params`."""

        async def tool(ctx: Context, **kwargs):
            return await self.call(ctx, fn, **kwargs)

        context = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context)
        tool.__signature__ = inspect.Signature([*params, context], return_annotation=str)
        tool.__annotations__ = {p.name: p.annotation for p in params} | {"ctx": Context, "return": str}
        tool.__name__ = name
        self.server.add_tool(tool, name=name, description=doc, annotations=annotations)

    def _register_reads(self):
        self.server.add_tool(
            self.get_mission_brief,
            name="get_mission_brief",
            description="The mission brief of a goal (or, without goal_id, yours over all your goals): "
            "mission, chain of intent, key results, what your team may decide, recent decisions.",
            annotations=READ_ONLY,
        )
        self.server.add_tool(
            self.list_my_goals,
            name="list_my_goals",
            description="Goals you own or your teams work on.",
            annotations=READ_ONLY,
        )
        self.server.add_tool(
            self.get_goal,
            name="get_goal",
            description="A goal with its intent, key results and alignment.",
            annotations=READ_ONLY,
        )
        self.server.add_tool(
            self.search,
            name="search",
            description="Find mission, goals, key results, decisions, ideas, reviews and comments by words "
            "or meaning.",
            annotations=READ_ONLY,
        )

    async def get_mission_brief(
        self,
        ctx: Context,
        goal_id: Annotated[int | None, Field(description="The goal; empty for your own brief.")] = None,
        format: Literal["markdown", "json"] = "markdown",
        full: Annotated[bool, Field(description="The full brief rather than the short one.")] = False,
    ) -> str:
        return await self.call(ctx, tools.get_mission_brief, goal_id=goal_id, format=format, full=full)

    async def list_my_goals(self, ctx: Context) -> str:
        return await self.call(ctx, tools.list_my_goals)

    async def get_goal(self, ctx: Context, goal_id: int) -> str:
        return await self.call(ctx, tools.get_goal, goal_id=goal_id)

    async def search(
        self,
        ctx: Context,
        query: Annotated[str, Field(description="Words to look for.")],
        types: Annotated[list[str] | None, Field(description=TYPES_DOC)] = None,
    ) -> str:
        return await self.call(ctx, tools.search, query=query, types=types)

    def _register_writes(self):
        key_result = inspect.Parameter("key_result_id", inspect.Parameter.KEYWORD_ONLY, annotation=int)
        self._add(
            "record_check_in",
            tools.record_check_in,
            [key_result, *_fields(CheckInIn)],
            "Record a check-in on a key result: its value now, your confidence (0-10), a note.",
            WRITE,
        )
        self._add(
            "submit_back_brief",
            _submit_back_brief,
            _back_brief_params(),
            "Submit your team's back-brief: the intent in your words, plan, concerns and needs.",
            WRITE,
        )
        self._add(
            "record_decision",
            tools.record_decision,
            _fields(DecisionIn),
            "Record a decision. Within your authority it is decided; above it, it becomes a proposal "
            "to the one who decides, and the result says so.",
            WRITE,
        )
        self._add(
            "list_waiting_decisions",
            tools.list_waiting_decisions,
            [],
            "Decisions waiting for your answer (proposals and escalations addressed to you), newest first.",
            READ_ONLY,
        )
        decision = inspect.Parameter("decision_id", inspect.Parameter.KEYWORD_ONLY, annotation=int)
        self._add(
            "respond_to_decision",
            tools.respond_to_decision,
            [decision, *_fields(RespondIn)],
            "Answer a decision waiting for you: agree, advise (with your advice in note), decide, escalate; "
            "or withdraw your own proposal. Refused, with why, when it does not wait for you or would make "
            "you decide above your authority or your cap.",
            WRITE,
        )
        self._add(
            "propose_idea",
            tools.propose_idea,
            _fields(IdeaIn),
            "Propose an idea, linked to the goals it would help reach.",
            WRITE,
        )
        self._add(
            "add_comment",
            tools.add_comment,
            _fields(CommentIn),
            "Comment on a goal, key result, decision or idea (Markdown, @mentions).",
            WRITE,
        )

    def _register_resources(self):
        @self.server.resource("charter://mission", name="mission", mime_type="text/markdown")
        async def mission() -> str:
            """The organization's mission, vision and values."""
            # The SDK gives static resources no Context: over HTTP the token comes from REQUEST_TOKEN.
            return await self.call(None, briefs.mission_markdown, error=ResourceError)

        @self.server.resource("charter://goals/{goal_id}", name="goal", mime_type="text/markdown")
        async def goal(goal_id: int, ctx: Context) -> str:
            """A goal's brief: intent, chain of intent and key results."""
            return await self.call(ctx, briefs.goal_markdown, error=ResourceError, goal_id=int(goal_id))


def _back_brief_params() -> list[inspect.Parameter]:
    ids = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[int | None, Field(description=doc)],
        )
        for name, doc in [
            ("back_brief_id", "The back-brief requested of your team."),
            ("goal_id", "Or the goal whose back-brief your team owes."),
        ]
    ]
    return ids + _fields(BackBriefSubmitIn)


def _submit_back_brief(actor, *, back_brief_id=None, goal_id=None, **texts):
    return tools.submit_back_brief(actor, back_brief_id=back_brief_id, goal_id=goal_id, texts=texts)


def build_server(token: str | None = None) -> MCPServer:
    return CharterMCP(token).server
