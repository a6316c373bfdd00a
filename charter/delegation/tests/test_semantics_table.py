"""The delegation semantics as one table: levels 1-7 (set on the team, and inherited from its parent) ×
eight actors × six steps, run against the services, the REST API (a bearer token) and the MCP server
(the MCP client SDK), each giving the same outcome, the same message and telling the same people.

The expected outcomes are written out below, cell by cell; nothing is computed from the rules module,
so a change of the rules shows here as a changed cell.

The world: Company (lead Bea Boss) above Product (lead Ana Lead; Bob Member; two agents) and Sales
(lead Sam Sales, whose organization role is `leader`; Carl Sales). Olga Owner leads no team. The
organization lets agents decide up to level 7; "Bot Capped" has its own cap of 4.
"""

import json
from contextlib import AsyncExitStack
from dataclasses import dataclass

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import transaction
from mcp import Client

from charter.agents.mcp.server import build_server
from charter.agents.services import agent_create, agent_token_create
from charter.core.errors import DomainError
from charter.delegation import services
from charter.delegation.models import Decision
from charter.notifications.models import Notification
from charter.organizations.models import Membership, Organization, Role
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_org, make_person, make_team, make_user, refresh_actor

from .factories import make_domain, record, set_level

pytestmark = pytest.mark.django_db

ACTORS = ["member", "lead", "above", "org_leader", "other", "owner_for", "agent", "capped"]
STEPS = ["record", "agree", "advise", "decide", "escalate", "supersede"]

# level -> actor -> one cell per step, in the order of STEPS.
#   record and supersede:  P>x   a proposal addressed to x (x is told: decision.needs_you)
#                          Pt>x  a leader's proposal to the team, addressed to its lead x
#                          D     decided, nobody told;  D+x  decided and x is told (decision.told)
#                          E>x   an escalation addressed to x;  C>x  an agent's record above its cap, to x
#                          no    refused (422 on supersedes_id): not theirs to supersede
#   the responses:         D>x   decided, the recorder x is told (decision.decided);  D  nobody told
#                          A>x   advice given, the proposer x is told it can decide
#                          E>x   escalated to x, who is told
#                          x:... refused (409): wait (not waiting for you), out (outsider), cap (agent's
#                                cap), agree / decide / advise (answer with that instead)
# The open record each response meets: levels 1-4, Bob's proposal to Ana; level 5, Bob's proposal asking
# Ana's advice (for decide: after Ana's advice, waiting for Bob); levels 6-7, Bea's proposal to the team.
_LEADER_DECIDES = {
    "member": "P>ana x:wait x:wait x:wait x:wait P>ana",
    "lead": "P>boss x:decide x:decide D>bob E>boss P>boss",
    "above": "D x:decide x:decide D>bob E>olga D",
    "org_leader": "E>ana x:out x:out x:out x:out no",
    "other": "E>ana x:out x:out x:out x:out no",
    "owner_for": "P>boss x:decide x:decide D>bob E>boss P>boss",
    "agent": "P>ana x:wait x:wait x:wait x:wait P>ana",
    "capped": "P>ana x:wait x:wait x:wait x:wait P>ana",
}
TABLE = {
    1: _LEADER_DECIDES,
    2: _LEADER_DECIDES,
    3: _LEADER_DECIDES,
    4: {
        "member": "P>ana x:wait x:wait x:wait x:wait P>ana",
        "lead": "P>boss D>bob x:agree x:agree E>boss P>boss",
        "above": "Pt>ana D>bob x:agree x:agree E>olga Pt>ana",
        "org_leader": "E>ana x:out x:out x:out x:out no",
        "other": "E>ana x:out x:out x:out x:out no",
        "owner_for": "P>boss D>bob x:agree x:agree E>boss P>boss",
        "agent": "P>ana x:wait x:wait x:wait x:wait P>ana",
        "capped": "P>ana x:wait x:wait x:wait x:wait P>ana",
    },
    5: {
        "member": "P>ana x:wait x:wait D x:wait P>ana",
        "lead": "P>boss x:advise A>bob D>bob E>boss P>boss",
        "above": "Pt>ana x:advise A>bob x:wait E>olga Pt>ana",
        "org_leader": "E>ana x:out x:out x:out x:out no",
        "other": "E>ana x:out x:out x:out x:out no",
        "owner_for": "P>boss x:advise A>bob D>bob E>boss P>boss",
        "agent": "P>ana x:wait x:wait D>bob x:wait P>ana",
        "capped": "P>ana x:wait x:wait x:cap x:wait P>ana",
    },
    6: {
        "member": "D+ana x:decide x:decide D>boss E>boss D+ana",
        "lead": "D+boss x:decide x:decide D>boss E>boss D+boss",
        "above": "Pt>ana x:wait x:wait x:wait x:wait Pt>ana",
        "org_leader": "E>ana x:out x:out x:out x:out no",
        "other": "E>ana x:out x:out x:out x:out no",
        "owner_for": "D+boss x:decide x:decide D>boss E>boss D+boss",
        "agent": "D+ana x:decide x:decide D>boss E>boss D+ana",
        "capped": "C>ana x:decide x:decide x:cap E>boss C>ana",
    },
    7: {
        "member": "D x:decide x:decide D>boss E>boss D",
        "lead": "D x:decide x:decide D>boss E>boss D",
        "above": "Pt>ana x:wait x:wait x:wait x:wait Pt>ana",
        "org_leader": "E>ana x:out x:out x:out x:out no",
        "other": "E>ana x:out x:out x:out x:out no",
        "owner_for": "D x:decide x:decide D>boss E>boss D",
        "agent": "D x:decide x:decide D>boss E>boss D",
        "capped": "C>ana x:decide x:decide x:cap E>boss C>ana",
    },
}

CODES = ["tell", "sell", "consult", "agree", "advise", "inquire", "delegate"]
NAMES = {
    "olga": "Olga Owner",
    "boss": "Bea Boss",
    "ana": "Ana Lead",
    "bob": "Bob Member",
    "sam": "Sam Sales",
    "carl": "Carl Sales",
}
# The words of each record outcome, by level ({leader}: the one addressed).
TEAM_RECORD = {
    1: "your leader {leader} decides; your record is a proposal addressed to {leader}.",
    2: "your leader {leader} decides; your record is a proposal addressed to {leader}.",
    3: "your leader {leader} decides; your record is a proposal addressed to {leader}, with the team's "
    "input recorded as consulted.",
    4: "Product and the leader decide together; your record is proposed until {leader} agrees.",
    5: "Product decides after asking the leader's advice; your record is proposed and {leader} is asked for "
    "advice. Once the advice is in, you can decide.",
    6: "Product decides; your decision is recorded as decided and {leader} is told.",
    7: "Product decides; your decision is recorded as decided.",
}
_TO_THE_TEAM = "Product decides, not the leader; your record is a proposal to Product, which decides."
LEADER_RECORD = {
    **dict.fromkeys([1, 2, 3], "the leader decides; your decision is recorded as decided."),
    4: "Product and the leader decide together; your record is proposed until Product agrees.",
    **dict.fromkeys([5, 6, 7], _TO_THE_TEAM),
}
OUTSIDER_RECORD = (
    "you are neither in Product nor above it, so its decisions are not yours to take, whatever your role; "
    "your record is an escalation addressed to {leader}, who decides."
)


def _waits(level: int, step: str) -> tuple[str, str]:
    """What the open record of a response waits for, and from whom (see the table's note)."""
    if level <= 3:
        return "the leader's decision", "ana"
    if level == 4:
        return "the leader's agreement", "ana"
    if level == 5:
        return ("the team's decision", "bob") if step == "decide" else ("the leader's advice", "ana")
    return "the team's decision", "ana"


@dataclass(frozen=True)
class Outcome:
    """What a step did, the same shape for every interface; `code` is the HTTP status of a refusal."""

    ok: bool
    message: str
    status: str = ""
    addressed: str | None = None
    told: frozenset = frozenset()
    old: str | None = None  # the superseded decision's status afterwards
    code: int | None = None


def expected(level: int, actor: str, step: str, domain: str, old_title: str) -> Outcome:
    cell = TABLE[level][actor].split()[STEPS.index(step)]
    label = f"{level} ({CODES[level - 1]})"
    if cell == "no":
        message = (
            f"You may not supersede “{old_title}”: you are neither in Product nor above it, so its "
            f"decisions in {domain} are not yours to take."
        )
        return Outcome(False, message, code=422)
    if cell.startswith("x:"):
        words, who = _waits(level, step)
        message = {
            "x:wait": f"This decision waits for {words} ({NAMES[who]}), not for you.",
            "x:out": "You are neither in Product nor above it, so its decisions are not yours to answer, "
            f"whatever your role; it waits for {words} ({NAMES[who]}).",
            "x:cap": f"As an agent you decide alone only up to level 4; this decision is at level {label}: "
            "leave it to a person, or escalate it.",
            "x:agree": f"Level {label}: both sides must agree; answer with agree (or escalate).",
            "x:decide": f"Level {label}: this decision waits for {words}; answer with decide (or escalate).",
            "x:advise": f"Level {label}: the team decides, not the leader; give your advice instead.",
        }[cell]
        return Outcome(False, message, code=409)
    kind, _, who = cell.partition(">") if ">" in cell else cell.partition("+")
    name = NAMES.get(who)
    told: set = set()
    if step in ("record", "supersede"):
        status, addressed = (
            {"P": "proposed", "Pt": "proposed", "C": "proposed", "E": "escalated"}.get(kind, "decided"),
            name,
        )
        words = {"P": TEAM_RECORD, "Pt": LEADER_RECORD, "E": None, "C": None}.get(kind)
        if kind == "D":
            words = LEADER_RECORD if actor == "above" else TEAM_RECORD
        if kind == "E":
            text = OUTSIDER_RECORD
        elif kind == "C":
            text = None
        else:
            text = words[level]
        message = (
            f"As an agent you decide alone only up to level 4: your record is a proposal for {name}."
            if kind == "C"
            else f"Level {label} for {domain}: " + text.format(leader=name)
        )
        if name:
            told.add(("decision.told" if kind == "D" else "decision.needs_you", name))
        old = None
        if step == "supersede":
            old = "superseded" if status == "decided" else "decided"
    else:
        old = None
        if kind == "D":
            status, addressed = "decided", None
            message = "Agreed: both sides agree, so it is decided." if step == "agree" else "Decided."
            if name:
                told.add(("decision.decided", name))
        elif kind == "A":
            status, addressed, message = "proposed", name, "Advice given; the team can now decide."
            told.add(("decision.needs_you", name))
        else:  # E
            status, addressed, message = "escalated", name, f"Escalated to {name}, who decides."
            told.add(("decision.needs_you", name))
    if actor == "owner_for":
        message += " You acted for Ana Lead."
        told.add(("decision.told", "Ana Lead"))
    return Outcome(True, message, status, addressed, frozenset(told), old)


# ---- the world, built once for the module -------------------------------------------------------------


@dataclass
class World:
    org: Organization
    actors: dict  # actor key -> Actor (owner_for: the owner)
    tokens: dict  # actor key -> raw token
    people: dict  # short name -> Actor
    teams: dict
    domains: dict  # (level, "own" | "inherited") -> DecisionDomain
    names: dict  # user id -> name


def _build() -> World:
    owner = make_org("Acme", owner=make_user("Olga Owner"))
    Organization.objects.filter(pk=owner.organization_id).update(agent_decision_cap=7)
    owner.organization.refresh_from_db()
    company = make_team(owner, "Company")
    product = make_team(owner, "Product", parent=company)
    sales = make_team(owner, "Sales", parent=company)
    people = {
        "olga": owner,
        "boss": make_person(owner, Role.MEMBER, team=company, is_lead=True, full_name="Bea Boss"),
        "ana": make_person(owner, Role.MEMBER, team=product, is_lead=True, full_name="Ana Lead"),
        "bob": make_person(owner, Role.MEMBER, team=product, full_name="Bob Member"),
        "sam": make_person(owner, Role.LEADER, team=sales, is_lead=True, full_name="Sam Sales"),
        "carl": make_person(owner, Role.MEMBER, team=sales, full_name="Carl Sales"),
    }
    bots = {}
    for key, name in [("agent", "Bot Within"), ("capped", "Bot Capped")]:
        profile = agent_create(actor=owner, name=name, sponsor_id=people["bob"].user_id, team_id=product.pk)
        bots[key] = profile
    Membership.objects.for_org(owner.organization).filter(user_id=bots["capped"].user_id).update(
        decision_cap=4
    )
    domains = {}
    for level in range(1, 8):
        own = make_domain(owner, f"Own {level}")
        set_level(owner, company, own, level % 7 + 1)  # the team's own level wins over its parent's
        set_level(owner, product, own, level)
        inherited = make_domain(owner, f"Inherited {level}")
        set_level(owner, company, inherited, level)
        domains[(level, "own")], domains[(level, "inherited")] = own, inherited
    org = owner.organization
    actors = {
        "member": people["bob"],
        "lead": people["ana"],
        "above": people["boss"],
        "org_leader": people["sam"],
        "other": people["carl"],
        "owner_for": owner,
        "agent": refresh_actor(bots["agent"].user, org),
        "capped": refresh_actor(bots["capped"].user, org),
    }
    tokens = {
        key: token_create(actor=actor, name="table")[1]
        for key, actor in actors.items()
        if key not in ("agent", "capped")
    }
    for key in ("agent", "capped"):
        scopes = ["read", "propose", "decide"]
        tokens[key] = agent_token_create(
            actor=owner, agent_id=bots[key].user_id, name="table", scopes=scopes, days=30
        )[1]
    names = {a.user_id: str(a.user) for a in [*people.values(), actors["agent"], actors["capped"]]}
    return World(org, actors, tokens, people, {"product": product, "company": company}, domains, names)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole table; every test adds its own records on top and is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


# ---- what each case starts from, and what it did ------------------------------------------------------


@dataclass
class Case:
    level: int
    actor: str
    step: str
    domain: object
    decision_id: int | None = None  # the open record a response answers
    old: Decision | None = None  # the decided record a supersede replaces
    mark: int = 0  # notifications after this id are the step's


def _decided(w: World, domain, level: int) -> Decision:
    """A decided record of Product in `domain`, the way its level decides one."""
    p, product = w.people, w.teams["product"]
    if level <= 3:
        return record(p["boss"], product, domain, "Old way").decision
    d = record(p["bob"], product, domain, "Old way").decision
    if level == 4:
        services.decision_respond(actor=p["ana"], decision_id=d.pk, action="agree")
    elif level == 5:
        services.decision_respond(actor=p["ana"], decision_id=d.pk, action="advise", note="Fine.")
        services.decision_respond(actor=p["bob"], decision_id=d.pk, action="decide")
    return d


def _open(w: World, domain, level: int, step: str) -> Decision:
    p, product = w.people, w.teams["product"]
    if level >= 6:
        return record(p["boss"], product, domain, "Open question").decision
    d = record(p["bob"], product, domain, "Open question").decision
    if level == 5 and step == "decide":
        services.decision_respond(actor=p["ana"], decision_id=d.pk, action="advise", note="Test first.")
    return d


def prepare(w: World, case: Case) -> Case:
    if case.step == "supersede":
        case.old = _decided(w, case.domain, case.level)
    elif case.step != "record":
        case.decision_id = _open(w, case.domain, case.level, case.step).pk
    last = Notification.objects.for_org(w.org).order_by("-id").values_list("id", flat=True).first()
    case.mark = last or 0
    return case


def arguments(w: World, case: Case) -> tuple[str, dict]:
    """(the operation, its arguments): the same for every interface."""
    acting = {"acting_for_id": w.people["ana"].user_id} if case.actor == "owner_for" else {}
    if case.step in ("record", "supersede"):
        values = {
            "team_id": w.teams["product"].pk,
            "domain_id": case.domain.pk,
            "title": "New way",
            "decision": "We do it the new way.",
        }
        if case.old is not None:
            values["supersedes_id"] = case.old.pk
        return "record", values | acting
    return "respond", {"decision_id": case.decision_id, "action": case.step, "note": "Noted."} | acting


def observe(w: World, case: Case, ok: bool, message: str, data: dict | None, code: int | None) -> Outcome:
    rows = Notification.objects.for_org(w.org).filter(pk__gt=case.mark).values_list("event", "recipient_id")
    told = frozenset((event, w.names[r]) for event, r in rows)
    if not ok:
        return Outcome(False, message, told=told, code=code)
    old = None
    if case.old is not None:
        old = Decision.objects.for_org(w.org).get(pk=case.old.pk).status
    addressed = data["addressed_to_id"]
    if data["status"] == "decided" and case.step not in ("record", "supersede"):
        addressed = None  # a decided response waits for nobody (the record keeps its last addressee)
    return Outcome(True, message, data["status"], w.names.get(addressed), told, old)


def check(w: World, case: Case, got: Outcome) -> str:
    """'' when the case gave what the table says, else a line saying what differs."""
    old_title = case.old.title if case.old is not None else ""
    want = expected(case.level, case.actor, case.step, case.domain.name, old_title)
    if got.code is None:  # an interface that gives no status code for a refusal: compare the rest
        want = Outcome(want.ok, want.message, want.status, want.addressed, want.told, want.old, None)
    if want.ok is False:
        want = Outcome(False, want.message, code=want.code)  # refused: nobody is told anything
    if got == want:
        return ""
    return f"level {case.level} {case.domain.name} · {case.actor} · {case.step}:\n  want {want}\n  got  {got}"


def cases(w: World, level: int, how: str) -> list[Case]:
    domain = w.domains[(level, how)]
    return [Case(level, actor, step, domain) for actor in ACTORS for step in STEPS]


LEVEL_PARAMS = [(level, how) for level in range(1, 8) for how in ("own", "inherited")]


def _assert_all(problems: list[str]) -> None:
    problems = [p for p in problems if p]
    assert not problems, f"{len(problems)} cell(s) differ from the table:\n" + "\n".join(problems)


# ---- the three interfaces -----------------------------------------------------------------------------


def _service_outcome(w: World, case: Case) -> Outcome:
    operation, values = arguments(w, case)
    actor = w.actors[case.actor]
    try:
        if operation == "record":
            result = services.decision_record(actor=actor, **values)
        else:
            result = services.decision_respond(actor=actor, **values)
    except DomainError as exc:
        message = exc.errors.get("supersedes_id", [exc.message])[0] if exc.status == 422 else exc.message
        return observe(w, case, False, message, None, exc.status)
    d = result.decision
    data = {"status": d.status, "addressed_to_id": d.addressed_to_id}
    return observe(w, case, True, result.message, data, None)


@pytest.mark.parametrize(("level", "how"), LEVEL_PARAMS)
def test_services(world, level, how):
    problems = []
    for case in cases(world, level, how):
        prepare(world, case)
        problems.append(check(world, case, _service_outcome(world, case)))
    _assert_all(problems)


def _rest_outcome(client, w: World, case: Case) -> Outcome:
    operation, values = arguments(w, case)
    headers = {"Authorization": f"Bearer {w.tokens[case.actor]}"}
    if operation == "record":
        url = "/api/v1/decisions"
    else:
        url = f"/api/v1/decisions/{values.pop('decision_id')}/respond"
    response = client.post(url, json.dumps(values), content_type="application/json", headers=headers)
    body = response.json()
    if response.status_code >= 400:
        message = body["detail"]
        if response.status_code == 422:
            assert body["errors"]["supersedes_id"] == [message], body
        return observe(w, case, False, message, None, response.status_code)
    return observe(w, case, True, body["message"], body["decision"], None)


@pytest.mark.parametrize(("level", "how"), LEVEL_PARAMS)
def test_rest(client, world, level, how):
    problems = []
    for case in cases(world, level, how):
        prepare(world, case)
        problems.append(check(world, case, _rest_outcome(client, world, case)))
    _assert_all(problems)


CODE_STATUS = {"validation_error": 422, "permission_denied": 403, "not_found": 404, "conflict": 409}


def _mcp_error(text: str) -> tuple[str, int | None]:
    """The refusal's message (and status, when the error is structured) from a tool error's text."""
    try:
        data = json.loads(text)
    except ValueError:
        return text.split(": ", 1)[1] if text.startswith("Error executing tool") else text, None
    return data["detail"], CODE_STATUS.get(data.get("code"))


@pytest.mark.parametrize(("level", "how"), LEVEL_PARAMS)
def test_mcp(world, level, how):
    """Each actor's token opens one MCP session (the SDK's client, in memory) for all its cases."""
    todo = cases(world, level, how)

    async def run():
        outcomes = []
        async with AsyncExitStack() as stack:
            sessions = {}
            for key in ACTORS:
                sessions[key] = await stack.enter_async_context(Client(build_server(world.tokens[key])))
            for case in todo:
                await sync_to_async(prepare)(world, case)
                operation, values = arguments(world, case)
                tool = "record_decision" if operation == "record" else "respond_to_decision"
                result = await sessions[case.actor].call_tool(tool, values)
                text = result.content[0].text
                if result.is_error:
                    message, code = _mcp_error(text)
                    got = await sync_to_async(observe)(world, case, False, message, None, code)
                else:
                    body = json.loads(text)
                    got = await sync_to_async(observe)(
                        world, case, True, body["message"], body["decision"], None
                    )
                outcomes.append(await sync_to_async(check)(world, case, got))
        return outcomes

    _assert_all(async_to_sync(run)())
