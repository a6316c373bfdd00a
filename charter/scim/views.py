"""The SCIM 2.0 endpoint at /scim/v2/ (RFC 7644) and the settings page of the organization's SCIM tokens.

The endpoint is plain Django views, not the JSON:API-shaped REST API: its own bearer token (an ApiToken
with the `scim` scope, acting as the owner or admin who made it, audited `via="scim"`), its own media type
and error shape. Every write goes through charter.organizations' services inside one transaction, so
their rules hold (an organization keeps an active owner) and each change is audited."""

from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from charter.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from charter.core.http import call_with_form, requires
from charter.organizations import services
from charter.organizations.models import Role

from . import protocol, selectors
from .filters import GROUP_FIELDS, USER_FIELDS, FilterError, to_q
from .forms import ScimTokenForm
from .protocol import ScimError, answer_json


def scim_endpoint(methods: tuple[str, ...]):
    """Authenticate the SCIM token, allow `methods`, answer errors in SCIM's shape."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                if request.method not in methods:
                    raise ScimError(405, f"{request.method} is not allowed here; use {', '.join(methods)}.")
                request.scim_actor = _actor(request)
                return view(request, *args, **kwargs)
            except ScimError as exc:
                return exc.response()
            except DomainError as exc:
                return _domain_error(exc).response()

        return wrapped

    return decorator


def _actor(request):
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ScimError(401, "Send the organization's SCIM token as Authorization: Bearer <token>.")
    actor = services.token_actor(raw.strip(), request_id=request.request_id, via="scim", scim=True)
    if actor is None:
        raise ScimError(
            401, "The SCIM token is unknown or revoked, or whoever made it is no longer an admin here."
        )
    return actor


def _domain_error(exc: DomainError) -> ScimError:
    if isinstance(exc, NotFound):
        # A missing member or team named inside a body is a bad value, not a missing resource.
        return ScimError(400, exc.message, "invalidValue") if exc.field else ScimError(404, exc.message)
    if isinstance(exc, Conflict):
        return ScimError(409, exc.message, "uniqueness")
    if isinstance(exc, PermissionDenied):
        return ScimError(403, exc.message)
    details = "; ".join(f"{field}: {' '.join(m)}" for field, m in exc.errors.items() if field)
    return ScimError(400, f"{exc.message} {details}".strip(), "invalidValue")


def _id(value: str) -> int:
    if not value.isdigit():
        raise ScimError(404, "No such resource.")
    return int(value)


def _listed(request, query, fields, urn, to_resource):
    where = None
    if request.GET.get("filter"):
        try:
            where = to_q(request.GET["filter"], fields, urn)
        except FilterError as exc:
            raise ScimError(400, str(exc), "invalidFilter") from None
    start, count = protocol.paging(request)
    rows = query(where)
    total = rows.count()
    page = list(rows[start - 1 : start - 1 + count]) if count else []
    resources = [
        protocol.project(r, request.GET.get("attributes"), request.GET.get("excludedAttributes"))
        for r in to_resource(page)
    ]
    return answer_json(protocol.list_response(resources, total, start))


# ---- discovery ---------------------------------------------------------------------------------------


@scim_endpoint(("GET",))
def root(request):
    raise ScimError(404, "Start at ServiceProviderConfig, ResourceTypes, Schemas, Users or Groups.")


@scim_endpoint(("GET", "POST", "PUT", "PATCH", "DELETE"))
def unknown(request):
    raise ScimError(404, f"Charter's SCIM endpoint has no {request.path}: it serves Users and Groups.")


@scim_endpoint(("GET",))
def service_provider_config(request):
    return answer_json(protocol.service_provider_config(request))


@scim_endpoint(("GET",))
def resource_types(request):
    found = protocol.resource_types(request)
    return answer_json(protocol.list_response(found, len(found), 1))


@scim_endpoint(("GET",))
def resource_type(request, name):
    for found in protocol.resource_types(request):
        if found["id"] == name:
            return answer_json(found)
    raise ScimError(404, f"No resource type {name}.")


def _schemas(request):
    user, group = protocol.schemas()
    return [
        protocol.with_meta(request, user, "Schema", "scim_schema", user["id"]),
        protocol.with_meta(request, group, "Schema", "scim_schema", group["id"]),
    ]


@scim_endpoint(("GET",))
def schemas(request):
    found = _schemas(request)
    return answer_json(protocol.list_response(found, len(found), 1))


@scim_endpoint(("GET",))
def schema(request, urn):
    for found in _schemas(request):
        if found["id"] == urn:
            return answer_json(found)
    raise ScimError(404, f"No schema {urn}.")


# ---- Users -------------------------------------------------------------------------------------------


def _users(request, memberships) -> list[dict]:
    actor = request.scim_actor
    teams = selectors.person_groups(actor=actor, user_ids=[m.user_id for m in memberships])
    return [protocol.user_resource(request, m, teams.get(m.user_id, ())) for m in memberships]


def _user_answer(request, user_id: int, status: int = 200):
    membership = selectors.person(actor=request.scim_actor, user_id=user_id)
    resource = _users(request, [membership])[0]
    answer = answer_json(resource, status=status)
    if status == 201:
        answer["Location"] = resource["meta"]["location"]
    return answer


@scim_endpoint(("GET", "POST"))
def users(request):
    actor = request.scim_actor
    if request.method == "GET":
        return _listed(
            request,
            lambda where: selectors.people(actor=actor, where=where),
            USER_FIELDS,
            protocol.USER,
            lambda page: _users(request, page),
        )
    fields = protocol.user_fields(protocol.read_body(request))
    email = fields.get("email")
    if not email:
        raise ScimError(
            400, "userName is required: Charter's people are known by their email address.", "invalidValue"
        )
    if selectors.people(actor=actor).filter(user__email__iexact=email).exists():
        raise ScimError(409, f"{email} is already in this organization.", "uniqueness")
    with transaction.atomic():
        membership = services.person_add(
            actor=actor,
            email=email,
            full_name=fields.get("full_name") or email.split("@")[0],
            role=Role.MEMBER,
            title=fields.get("title", ""),
            external_id=fields.get("external_id", ""),
        )
        if fields.get("active") is False:
            services.person_update(
                actor=actor,
                user_id=membership.user_id,
                role=membership.role,
                title=membership.title,
                is_active=False,
            )
    return _user_answer(request, membership.user_id, status=201)


def _current_fields(membership) -> dict:
    return {
        "email": membership.user.email,
        "full_name": membership.user.full_name,
        "title": membership.title,
        "external_id": membership.external_id,
        "active": membership.is_active,
    }


def _apply_user(actor, membership, wanted: dict) -> None:
    """Bring the person to `wanted` through the services, in one transaction."""
    with transaction.atomic():
        services.person_identity_update(
            actor=actor,
            user_id=membership.user_id,
            email=wanted["email"],
            full_name=wanted["full_name"],
            external_id=wanted["external_id"],
        )
        if (wanted["title"], wanted["active"]) != (membership.title, membership.is_active):
            services.person_update(
                actor=actor,
                user_id=membership.user_id,
                role=membership.role,
                title=wanted["title"],
                is_active=wanted["active"],
            )


@scim_endpoint(("GET", "PUT", "PATCH", "DELETE"))
def user(request, user_id):
    actor, user_id = request.scim_actor, _id(user_id)
    membership = selectors.person(actor=actor, user_id=user_id)
    if request.method == "GET":
        resource = _users(request, [membership])[0]
        return answer_json(
            protocol.project(resource, request.GET.get("attributes"), request.GET.get("excludedAttributes"))
        )
    if request.method == "DELETE":
        # Deactivation, not deletion: the person's goals, decisions and history stay, and they can come back.
        if membership.is_active:
            services.person_update(
                actor=actor, user_id=user_id, role=membership.role, title=membership.title, is_active=False
            )
        return _no_content()
    current = _current_fields(membership)
    if request.method == "PUT":
        fields = protocol.user_fields(protocol.read_body(request))
        if not fields.get("email"):
            raise ScimError(400, "userName is required in a PUT.", "invalidValue")
        wanted = current | {"title": "", "external_id": current["external_id"]} | fields
    else:
        wanted = protocol.patch_user(current, protocol.read_body(request))
    if not wanted.get("email"):
        raise ScimError(400, "userName cannot be empty.", "invalidValue")
    if not wanted.get("full_name"):
        wanted["full_name"] = current["full_name"]
    _apply_user(actor, membership, wanted)
    return _user_answer(request, user_id)


def _no_content():
    return HttpResponse(status=204)


# ---- Groups ------------------------------------------------------------------------------------------


def _person_ids(actor, ids: list[int]) -> list[int]:
    known = set(selectors.people(actor=actor).filter(user_id__in=ids).values_list("user_id", flat=True))
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ScimError(400, f"No person with the id {unknown[0]} in this organization.", "invalidValue")
    return ids


def _set_members(actor, team, wanted: set[int]) -> None:
    have = {tm.user_id for tm in getattr(team, "people", ())}
    for user_id in sorted(wanted - have):
        services.team_member_set(actor=actor, team_id=team.pk, user_id=user_id)
    for user_id in sorted(have - wanted):
        services.team_member_remove(actor=actor, team_id=team.pk, user_id=user_id)


def _rename(actor, team, name: str) -> None:
    if name and name != team.name:
        services.team_update(
            actor=actor, team_id=team.pk, name=name, description=team.description, parent_id=team.parent_id
        )


def _group_answer(request, team_id: int, status: int = 200):
    team = selectors.group(actor=request.scim_actor, team_id=team_id)
    resource = protocol.group_resource(request, team)
    answer = answer_json(resource, status=status)
    if status == 201:
        answer["Location"] = resource["meta"]["location"]
    return answer


def _group_fields(body: dict) -> dict:
    lowered = {k.lower(): v for k, v in body.items()}
    fields = {}
    if "displayname" in lowered:
        fields["name"] = protocol.as_text(lowered["displayname"], "displayName").strip()
    if "externalid" in lowered:
        fields["external_id"] = protocol.as_text(lowered["externalid"], "externalId")
    if "members" in lowered:
        fields["members"] = protocol.member_ids(lowered["members"] or [], "members")
    return fields


@scim_endpoint(("GET", "POST"))
def groups(request):
    actor = request.scim_actor
    if request.method == "GET":
        return _listed(
            request,
            lambda where: selectors.groups(actor=actor, where=where),
            GROUP_FIELDS,
            protocol.GROUP,
            lambda page: [protocol.group_resource(request, team) for team in page],
        )
    fields = _group_fields(protocol.read_body(request))
    if not fields.get("name"):
        raise ScimError(400, "displayName is required: it is the team's name.", "invalidValue")
    with transaction.atomic():
        team, _ = services.team_provision(
            actor=actor, name=fields["name"], external_id=fields.get("external_id", "")
        )
        if "members" in fields:
            team = selectors.group(actor=actor, team_id=team.pk)
            _set_members(actor, team, set(_person_ids(actor, fields["members"])))
    return _group_answer(request, team.pk, status=201)


@scim_endpoint(("GET", "PUT", "PATCH", "DELETE"))
def group(request, team_id):
    actor, team_id = request.scim_actor, _id(team_id)
    team = selectors.group(actor=actor, team_id=team_id)
    if request.method == "GET":
        resource = protocol.group_resource(request, team)
        return answer_json(
            protocol.project(resource, request.GET.get("attributes"), request.GET.get("excludedAttributes"))
        )
    if request.method == "DELETE":
        services.team_unprovision(actor=actor, team_id=team_id)
        return _no_content()
    with transaction.atomic():
        if request.method == "PUT":
            fields = _group_fields(protocol.read_body(request))
            _rename(actor, team, fields.get("name", ""))
            if fields.get("external_id", team.external_id) != team.external_id:
                services.team_external_id_set(actor=actor, team_id=team_id, external_id=fields["external_id"])
            _set_members(actor, team, set(_person_ids(actor, fields.get("members", []))))
        else:
            _patch_group(actor, team, protocol.read_body(request))
    return _group_answer(request, team_id)


def _patch_group(actor, team, body: dict) -> None:
    members = {tm.user_id for tm in getattr(team, "people", ())}
    name, external_id = team.name, team.external_id
    for op, path, value in protocol.patch_operations(body):
        target = (path or "").strip()
        lowered = target.lower()
        if not target:
            if op == "remove" or not isinstance(value, dict):
                raise ScimError(
                    400, "An operation without a path carries an object of attributes.", "invalidValue"
                )
            fields = _group_fields(value)
            name = fields.get("name") or name
            external_id = fields.get("external_id", external_id)
            if "members" in fields:
                added = set(_person_ids(actor, fields["members"]))
                members = added if op == "replace" else members | added
        elif lowered == "displayname":
            name = protocol.as_text(value, "displayName").strip() or name
        elif lowered == "externalid":
            external_id = "" if op == "remove" else protocol.as_text(value, "externalId")
        elif lowered == "members":
            if op == "remove":
                members -= set(protocol.member_ids(value, "members")) if value else members
            else:
                ids = set(_person_ids(actor, protocol.member_ids(value or [], "members")))
                members = ids if op == "replace" else members | ids
        elif lowered.startswith("members["):
            ids = protocol.member_filter_ids(target)
            if op != "remove":
                raise ScimError(400, "A members[...] path is only for remove.", "invalidPath")
            members -= set(ids)
        # other attributes: not kept by Charter
    _rename(actor, team, name)
    if external_id != team.external_id:
        services.team_external_id_set(actor=actor, team_id=team.pk, external_id=external_id)
    _set_members(actor, team, members)


# ---- the settings page -------------------------------------------------------------------------------


@requires("people.manage")
def token_list(request):
    return _token_page(request, ScimTokenForm())


@require_POST
@requires("people.manage")
def token_create(request):
    form = ScimTokenForm(request.POST)
    created = form.is_valid() and call_with_form(
        form, services.scim_token_create, actor=request.actor, **form.cleaned_data
    )
    if not created:
        return _token_page(request, form, status=422)
    token, raw = created
    return _token_page(request, ScimTokenForm(), new_token=token, raw_token=raw)


@require_POST
@requires("people.manage")
def token_revoke(request, scim_token_id):
    token = services.scim_token_revoke(actor=request.actor, token_id=scim_token_id)
    messages.success(request, f"The SCIM token {token.name} was revoked.")
    return redirect("scim_token_list")


def _token_page(request, form, status=200, **extra):
    context = {
        "form": form,
        "tokens": selectors.scim_tokens(actor=request.actor),
        "base_url": protocol.base_url(request),
        **extra,
    }
    return render(request, "scim/token_list.html", context, status=status)
