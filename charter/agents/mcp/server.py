"""The MCP server: each tool authenticates its token, calls `tools.py` with the actor, and answers JSON text.

Every tool, resource and prompt names its REST counterpart (`Rest`): the permission action that operation
declares is required of the caller, through the same `Actor.require` (a token's scopes narrow its
actions), so MCP refuses exactly what REST refuses. Input schemas come from the domain In-schemas (the
fields of `CheckInIn`, `DecisionIn` ...), flattened into the tool's arguments. A domain error is a tool
result with `isError` whose structured content is the REST error body `{code, detail, errors}`; a
token that does not authenticate is a protocol error (`auth.NOT_AUTHENTICATED`) on every call.
"""

import inspect
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Literal

from asgiref.sync import sync_to_async
from django.db import InterfaceError, OperationalError
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from ninja.responses import NinjaJSONEncoder
from pydantic import Field
from pydantic import ValidationError as ArgumentsError

from charter.backbriefs import api as backbriefs_api
from charter.backbriefs.schemas import BackBriefSubmitIn
from charter.core import unavailable
from charter.core.api import declared_action
from charter.core.errors import DomainError, ValidationError
from charter.delegation import api as delegation_api
from charter.delegation.schemas import AdviceDismissIn, AdviceFilters, DecisionIn, PokerPickIn, RespondIn
from charter.discussion import api as discussion_api
from charter.discussion.schemas import CommentIn
from charter.goals import api as goals_api
from charter.goals.schemas import CheckInIn
from charter.ideas import api as ideas_api
from charter.ideas.schemas import IdeaIn
from charter.insights import api as insights_api
from charter.insights import selectors as insights_selectors
from charter.mission import api as mission_api
from charter.search import api as search_api
from charter.search.schemas import LikelyParentsQuery, SimilarGoalsQuery

from .. import api as agents_api
from . import briefs, tools
from .auth import REQUEST_TOKEN, NotAuthenticated, actor_for_token, bearer, protocol_error

READ_ONLY = ToolAnnotations(
    readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False
)
WRITE = ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=False, openWorldHint=False)
TYPES_DOC = "Only these types: mission, goal, key_result, decision, idea, review, comment."
INSTRUCTIONS = (
    "Charter: goals under mission command. Read your mission brief first (get_mission_brief), work within "
    "the intent and your team's delegation levels; above your authority a decision becomes a proposal."
)


@dataclass(frozen=True)
class Rest:
    """The REST operation a tool, resource or prompt stands for: the caller needs the action it declares."""

    router: object
    operation: str

    @cached_property
    def action(self) -> str:
        return declared_action(self.router, self.operation)


def _encode(result) -> str:
    if isinstance(result, str):
        return result
    return json.dumps(result, cls=NinjaJSONEncoder, ensure_ascii=False, indent=1)


def _run(raw: str, rest: Rest, fn, kwargs: dict) -> str:
    """Authenticate the token, require the REST counterpart's action, call `fn` with the actor."""
    actor = actor_for_token(raw)
    actor.require(rest.action)  # the REST API's own check (`api.main._guard`): role and token scopes
    return _encode(fn(actor, **kwargs))


def tool_error(error: DomainError | dict) -> CallToolResult:
    """The REST error body as the structured result of a failed call (and as its text, for a model)."""
    body = error if isinstance(error, dict) else error.as_dict()
    text = json.dumps(body, cls=NinjaJSONEncoder, ensure_ascii=False)
    content = [TextContent(type="text", text=text)]
    return CallToolResult(content=content, structured_content=json.loads(text), is_error=True)


class _Server(MCPServer):
    """The SDK's server, with arguments that fail a tool's input schema answered as REST answers a body
    that fails its schema: 422's `{code: validation_error, detail, errors: {field: [messages]}}`."""

    async def call_tool(self, name, arguments, context=None):
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if not isinstance(exc.__cause__, ArgumentsError):
                raise
            errors: dict[str, list[str]] = {}
            for error in exc.__cause__.errors():
                field = ".".join(str(part) for part in error["loc"]) or "__all__"
                errors.setdefault(field, []).append(error["msg"])
            return tool_error(ValidationError("The request is not valid.", errors=errors))


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
        self.server = _Server(name="charter", instructions=INSTRUCTIONS)
        # tool name, resource URI (template) or "prompt:NAME" -> its REST counterpart
        self.counterparts: dict[str, Rest] = {}
        self._register_reads()
        self._register_writes()
        self._register_resources()
        self._register_prompts()
        for rest in self.counterparts.values():
            rest.action  # noqa: B018 - a counterpart that names no REST operation fails here, at start

    def raw_token(self, ctx: Context | None) -> str:
        if self.token is not None:
            return self.token
        return bearer(ctx.headers if ctx is not None else None) or REQUEST_TOKEN.get()

    async def _call(self, ctx, name: str, fn, kwargs: dict) -> str:
        # Django's ORM is synchronous; thread_sensitive keeps every call on one thread (one connection).
        run = sync_to_async(_run, thread_sensitive=True)
        return await run(self.raw_token(ctx), self.counterparts[name], fn, kwargs)

    async def call(self, ctx, name: str, fn, **kwargs) -> CallToolResult:
        """Run tool `name`: its JSON text, or the domain error as an `isError` result."""
        try:
            text = await self._call(ctx, name, fn, kwargs)
        except NotAuthenticated as exc:
            raise protocol_error(exc) from exc
        except DomainError as exc:
            return tool_error(exc)
        except (OperationalError, InterfaceError) as exc:
            if not unavailable.database_unavailable(exc):
                raise
            # REST's 503 body; `retry_after` stands in for the header a tool result has not got.
            return tool_error(unavailable.error_body() | {"retry_after": unavailable.RETRY_AFTER_SECONDS})
        return CallToolResult(content=[TextContent(type="text", text=text)])

    async def read(self, ctx, name: str, fn, **kwargs) -> str:
        """Read resource (or render prompt) `name`; a domain error is a protocol error with the REST body."""
        try:
            return await self._call(ctx, name, fn, kwargs)
        except DomainError as exc:
            raise protocol_error(exc) from exc

    def _tool(self, fn, name: str, description: str, annotations: ToolAnnotations, rest: Rest):
        self.counterparts[name] = rest
        self.server.add_tool(fn, name=name, description=description, annotations=annotations)

    def _add(self, name: str, fn, params, doc: str, annotations: ToolAnnotations, rest: Rest):
        """Register `fn(actor, **arguments)` as a tool whose arguments are `params`."""

        async def tool(ctx: Context, **kwargs):
            return await self.call(ctx, name, fn, **kwargs)

        context = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context)
        tool.__signature__ = inspect.Signature([*params, context], return_annotation=CallToolResult)
        tool.__annotations__ = {p.name: p.annotation for p in params} | {
            "ctx": Context,
            "return": CallToolResult,
        }
        tool.__name__ = name
        self._tool(tool, name, doc, annotations, rest)

    def _register_reads(self):
        self._tool(
            self.get_mission_brief,
            "get_mission_brief",
            "The mission brief of a goal (or, without goal_id, yours over all your goals): "
            "mission, chain of intent, key results, what your team may decide, recent decisions.",
            READ_ONLY,
            Rest(agents_api.router, "my_brief"),  # with goal_id: `goal_brief`, the same action
        )
        self._tool(
            self.list_my_goals,
            "list_my_goals",
            "Goals you own or your teams work on.",
            READ_ONLY,
            Rest(goals_api.router, "goal_list"),
        )
        self._tool(
            self.get_goal,
            "get_goal",
            "A goal with its intent, key results and alignment.",
            READ_ONLY,
            Rest(goals_api.router, "goal_get"),
        )
        self._tool(
            self.get_team_board,
            "get_team_board",
            "Your team's board: what it may decide per domain (its delegation levels, and where an "
            "inherited one is set) and its goals of the current cycle.",
            READ_ONLY,
            Rest(delegation_api.router, "delegation_board"),
        )
        self._tool(
            self.search,
            "search",
            "Find mission, goals, key results, decisions, ideas, reviews and comments by words or meaning.",
            READ_ONLY,
            Rest(search_api.router, "search_query"),
        )
        goal = inspect.Parameter("goal_id", inspect.Parameter.KEYWORD_ONLY, annotation=int)
        self._add(
            "similar_goals",
            tools.similar_goals,
            [goal, *_fields(SimilarGoalsQuery)],
            "Goals that say much the same as a goal (similarity at least the organization's threshold): "
            "maybe one goal, or teams to connect.",
            READ_ONLY,
            Rest(search_api.router, "goal_similar"),
        )
        self._add(
            "likely_parents",
            tools.likely_parents,
            _fields(LikelyParentsQuery),
            "Before creating a goal: the goals its title and purpose most likely contribute to, best "
            "first, to choose its parent and align it.",
            READ_ONLY,
            Rest(search_api.router, "likely_parents"),
        )
        self._add(
            "transition",
            tools.transition,
            [
                inspect.Parameter(
                    "team",
                    inspect.Parameter.KEYWORD_ONLY,
                    default=None,
                    annotation=Annotated[int | None, Field(description="A team: it and its sub-teams only.")],
                ),
                inspect.Parameter(
                    "cycles",
                    inspect.Parameter.KEYWORD_ONLY,
                    default=insights_selectors.TREND_CYCLES,
                    annotation=Annotated[
                        int,
                        Field(
                            ge=1,
                            le=insights_selectors.MAX_TRANSITION_CYCLES,
                            description="Last started cycles.",
                        ),
                    ],
                ),
            ],
            "Owners and admins: the transition per team and cycle: decisions at team level and escalated, "
            "delegation advice accepted, back-briefs confirmed, check-in participation, ideas adopted and "
            "the five profile factors, each with its trend (progress or resistance); figures of what each "
            "member does are hidden for a team of fewer people than the pulse's threshold.",
            READ_ONLY,
            Rest(insights_api.router, "insights_transition"),
        )

    async def get_mission_brief(
        self,
        ctx: Context,
        goal_id: Annotated[int | None, Field(description="The goal; empty for your own brief.")] = None,
        format: Literal["markdown", "json"] = "markdown",
        full: Annotated[bool, Field(description="The full brief rather than the short one.")] = False,
    ) -> CallToolResult:
        return await self.call(
            ctx, "get_mission_brief", tools.get_mission_brief, goal_id=goal_id, format=format, full=full
        )

    async def list_my_goals(self, ctx: Context) -> CallToolResult:
        return await self.call(ctx, "list_my_goals", tools.list_my_goals)

    async def get_goal(self, ctx: Context, goal_id: int) -> CallToolResult:
        return await self.call(ctx, "get_goal", tools.get_goal, goal_id=goal_id)

    async def get_team_board(
        self,
        ctx: Context,
        team_id: Annotated[
            int | None, Field(description="The team; empty for your own (your first).")
        ] = None,
    ) -> CallToolResult:
        return await self.call(ctx, "get_team_board", tools.get_team_board, team_id=team_id)

    async def search(
        self,
        ctx: Context,
        query: Annotated[str, Field(description="Words to look for.")],
        types: Annotated[list[str] | None, Field(description=TYPES_DOC)] = None,
    ) -> CallToolResult:
        return await self.call(ctx, "search", tools.search, query=query, types=types)

    def _register_writes(self):
        key_result = inspect.Parameter("key_result_id", inspect.Parameter.KEYWORD_ONLY, annotation=int)
        self._add(
            "record_check_in",
            tools.record_check_in,
            [key_result, *_fields(CheckInIn)],
            "Record a check-in on a key result: its value now, your confidence (0-10), a note.",
            WRITE,
            Rest(goals_api.router, "check_in_create"),
        )
        self._add(
            "submit_back_brief",
            _submit_back_brief,
            _back_brief_params(),
            "Submit your team's back-brief: the intent in your words, plan, concerns and needs.",
            WRITE,
            Rest(backbriefs_api.router, "back_brief_submit"),
        )
        self._add(
            "record_decision",
            tools.record_decision,
            _fields(DecisionIn),
            "Record a decision. Within your authority it is decided; above it, it becomes a proposal "
            "to the one who decides, and the result says so.",
            WRITE,
            Rest(delegation_api.router, "decision_create"),
        )
        self._add(
            "list_waiting_decisions",
            tools.list_waiting_decisions,
            [],
            "Decisions waiting for your answer (proposals and escalations addressed to you), newest first.",
            READ_ONLY,
            Rest(delegation_api.router, "decision_list"),
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
            Rest(delegation_api.router, "decision_respond"),
        )
        self._add(
            "list_delegation_advice",
            tools.list_delegation_advice,
            _fields(AdviceFilters),
            "Delegation advice from the decision history: raise a team's level (its proposals are approved "
            "unchanged), clarify intent or lower it (its decisions are superseded), a bottleneck leader.",
            READ_ONLY,
            Rest(delegation_api.router, "delegation_advice_list"),
        )
        cell = [
            inspect.Parameter("team_id", inspect.Parameter.KEYWORD_ONLY, annotation=int),
            inspect.Parameter("domain_id", inspect.Parameter.KEYWORD_ONLY, annotation=int),
            inspect.Parameter(
                "kind", inspect.Parameter.KEYWORD_ONLY, annotation=Literal["raise", "clarify", "bottleneck"]
            ),
        ]
        self._add(
            "accept_delegation_advice",
            tools.accept_delegation_advice,
            cell,
            "Accept delegation advice: the team's level changes to the suggested one and the evidence is "
            "the recorded reason. Refused when the advice no longer holds.",
            WRITE,
            Rest(delegation_api.router, "delegation_advice_accept"),
        )
        self._add(
            "dismiss_delegation_advice",
            tools.dismiss_delegation_advice,
            [*cell, *_fields(AdviceDismissIn)],
            "Dismiss delegation advice with a reason; the level stays.",
            WRITE,
            Rest(delegation_api.router, "delegation_advice_dismiss"),
        )
        self._add(
            "list_poker_sessions",
            tools.list_poker_sessions,
            [],
            "Delegation poker sessions of your organization, newest first, and whether you pick in each.",
            READ_ONLY,
            Rest(delegation_api.router, "poker_list"),
        )
        poker = inspect.Parameter("poker_id", inspect.Parameter.KEYWORD_ONLY, annotation=int)
        self._add(
            "get_poker_session",
            tools.get_poker_session,
            [poker],
            "A delegation poker session: who has picked and your own cards; everyone's cards and the "
            "spread only once they turn (all picked, a leader turned them, or the deadline passed).",
            READ_ONLY,
            Rest(delegation_api.router, "poker_get"),
        )
        domain = inspect.Parameter("domain_id", inspect.Parameter.KEYWORD_ONLY, annotation=int)
        self._add(
            "pick_in_poker",
            tools.pick_in_poker,
            [poker, domain, *_fields(PokerPickIn)],
            "Lay (or change) your card for a domain in a delegation poker session you are invited to "
            "(people only: agents are not invited). Refused once the cards are turned.",
            WRITE,
            Rest(delegation_api.router, "poker_pick"),
        )
        self._add(
            "propose_idea",
            tools.propose_idea,
            _fields(IdeaIn),
            "Propose an idea, linked to the goals it would help reach.",
            WRITE,
            Rest(ideas_api.router, "idea_create"),
        )
        self._add(
            "add_comment",
            tools.add_comment,
            _fields(CommentIn),
            "Comment on a goal, key result, decision or idea (Markdown, @mentions).",
            WRITE,
            Rest(discussion_api.router, "comment_create"),
        )

    def _register_resources(self):
        self.counterparts[MISSION_URI] = Rest(mission_api.router, "mission_get")
        self.counterparts[GOAL_URI] = Rest(agents_api.router, "goal_brief")

        @self.server.resource(MISSION_URI, name="mission", mime_type="text/markdown")
        async def mission() -> str:
            """The organization's mission, vision and values."""
            # The SDK gives static resources no Context: over HTTP the token comes from REQUEST_TOKEN.
            return await self.read(None, MISSION_URI, briefs.mission_markdown)

        @self.server.resource(GOAL_URI, name="goal", mime_type="text/markdown")
        async def goal(goal_id: int, ctx: Context) -> str:
            """A goal's brief: intent, chain of intent and key results."""
            return await self.read(ctx, GOAL_URI, briefs.goal_markdown, goal_id=int(goal_id))

    def _register_prompts(self):
        self.counterparts["prompt:start_work"] = Rest(agents_api.router, "my_brief")

        @self.server.prompt(
            name="start_work",
            description="Start work under your brief: the mission, your goals and what you may decide, "
            "with how to act on them (for one goal with goal_id).",
        )
        async def start_work(ctx: Context, goal_id: str = "") -> str:
            # Prompt arguments arrive as strings; an empty one means the actor's own brief.
            goal = int(goal_id) if goal_id.strip().isdigit() else None
            return await self.read(ctx, "prompt:start_work", tools.start_work, goal_id=goal)


MISSION_URI = "charter://mission"
GOAL_URI = "charter://goals/{goal_id}"


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
