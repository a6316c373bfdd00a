"""The SCIM 2.0 shapes (RFC 7643, 7644): Charter's people and teams as User and Group resources, list
and error bodies, the discovery documents, and PATCH operations read into plain changes.

Requests are read leniently, as identity providers send them (Entra ID writes "Replace" and "False";
Okta sends `{"op": "replace", "value": {"active": false}}`); attributes Charter does not keep are
ignored. The Schemas documents are scim2-models' RFC 7643 schemas narrowed to the attributes kept here."""

import json
from functools import cache

from django.http import HttpResponse
from django.urls import reverse

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
CONTENT_TYPE = "application/scim+json"
MAX_COUNT = 200


class ScimError(Exception):
    """An answer in RFC 7644's error shape (3.12)."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type

    def response(self) -> HttpResponse:
        body = {"schemas": [ERROR], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        answer = answer_json(body, status=self.status)
        if self.status == 401:
            answer["WWW-Authenticate"] = 'Bearer realm="SCIM"'
        return answer


def answer_json(body, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)


def read_body(request) -> dict:
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ScimError(400, f"The body is not JSON: {exc}.", "invalidSyntax") from None
    if not isinstance(body, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    return body


def base_url(request) -> str:
    return request.build_absolute_uri(reverse("scim_root"))


def _split_name(full_name: str) -> dict:
    given, _, family = full_name.partition(" ")
    name = {"formatted": full_name}
    if given:
        name["givenName"] = given
    if family:
        name["familyName"] = family
    return name


def user_resource(request, membership, teams=()) -> dict:
    user = membership.user
    location = request.build_absolute_uri(reverse("scim_user", args=[user.pk]))
    body = {
        "schemas": [USER],
        "id": str(user.pk),
        "userName": user.email,
        "name": _split_name(user.full_name),
        "displayName": user.full_name,
        "active": membership.is_active,
        "emails": [{"value": user.email, "type": "work", "primary": True}],
        "groups": [
            {
                "value": str(team.pk),
                "display": team.name,
                "$ref": request.build_absolute_uri(reverse("scim_group", args=[team.pk])),
            }
            for team in teams
        ],
        "meta": {
            "resourceType": "User",
            "created": membership.created_at.isoformat(),
            "lastModified": membership.created_at.isoformat(),
            "location": location,
        },
    }
    if membership.title:
        body["title"] = membership.title
    if membership.external_id:
        body["externalId"] = membership.external_id
    return body


def group_resource(request, team) -> dict:
    body = {
        "schemas": [GROUP],
        "id": str(team.pk),
        "displayName": team.name,
        "members": [
            {
                "value": str(tm.user_id),
                "display": str(tm.user),
                "type": "User",
                "$ref": request.build_absolute_uri(reverse("scim_user", args=[tm.user_id])),
            }
            for tm in getattr(team, "people", ())
        ],
        "meta": {
            "resourceType": "Group",
            "created": team.created_at.isoformat(),
            "lastModified": team.created_at.isoformat(),
            "location": request.build_absolute_uri(reverse("scim_group", args=[team.pk])),
        },
    }
    if team.external_id:
        body["externalId"] = team.external_id
    return body


ALWAYS = {"id", "schemas", "meta"}


def project(resource: dict, attributes: str | None, excluded: str | None) -> dict:
    """`attributes` / `excludedAttributes` (RFC 7644 3.4.2.5), on top-level attributes."""

    def names(value):
        return {
            part.strip().rsplit(":", 1)[-1].split(".")[0].lower() for part in value.split(",") if part.strip()
        }

    if attributes:
        keep = names(attributes) | ALWAYS
        return {k: v for k, v in resource.items() if k.lower() in keep}
    if excluded:
        drop = names(excluded) - ALWAYS
        return {k: v for k, v in resource.items() if k.lower() not in drop}
    return resource


def paging(request) -> tuple[int, int]:
    """startIndex (1-based) and count, as RFC 7644 3.4.2.4 reads them (below 1 counts as 1, below 0 as 0)."""
    try:
        start = int(request.GET.get("startIndex", 1))
        count = int(request.GET.get("count", MAX_COUNT))
    except ValueError:
        raise ScimError(400, "startIndex and count are whole numbers.", "invalidValue") from None
    return max(start, 1), min(max(count, 0), MAX_COUNT)


def list_response(resources: list, total: int, start: int) -> dict:
    return {
        "schemas": [LIST],
        "totalResults": total,
        "itemsPerPage": len(resources),
        "startIndex": start,
        "Resources": resources,
    }


# ---- reading what the identity provider sends ---------------------------------------------------------


def as_bool(value, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ScimError(400, f"{where} must be true or false, not {value!r}.", "invalidValue")


def as_text(value, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise ScimError(400, f"{where} must be a string.", "invalidValue")
    return str(value)


def user_fields(body: dict) -> dict:
    """The attributes of a User body Charter keeps: email, full_name, title, external_id, active (each
    present only when the body has it)."""
    fields: dict = {}
    lowered = {k.lower(): v for k, v in body.items()}
    if "username" in lowered:
        fields["email"] = as_text(lowered["username"], "userName").strip()
    name = lowered.get("name")
    if isinstance(name, dict):
        name = {k.lower(): v for k, v in name.items()}
        if name.get("formatted"):
            fields["full_name"] = as_text(name["formatted"], "name.formatted")
        elif name.get("givenname") or name.get("familyname"):
            parts = [
                as_text(name.get("givenname"), "name.givenName"),
                as_text(name.get("familyname"), "name.familyName"),
            ]
            fields["full_name"] = " ".join(p.strip() for p in parts if p and p.strip())
    if lowered.get("displayname"):
        fields["full_name"] = as_text(lowered["displayname"], "displayName")
    if "title" in lowered:
        fields["title"] = as_text(lowered["title"], "title")
    if "externalid" in lowered:
        fields["external_id"] = as_text(lowered["externalid"], "externalId")
    if "active" in lowered:
        fields["active"] = as_bool(lowered["active"], "active")
    return fields


_USER_PATHS = {
    "username": "userName",
    "displayname": "displayName",
    "name.formatted": "name.formatted",
    "name.givenname": "name.givenName",
    "name.familyname": "name.familyName",
    "title": "title",
    "externalid": "externalId",
    "active": "active",
    'emails[type eq "work"].value': "userName",
    "emails.value": "userName",
}


def patch_operations(body: dict) -> list[tuple[str, str | None, object]]:
    """The operations of a PatchOp body as (op, path, value), op in add / replace / remove."""
    if PATCH not in (body.get("schemas") or []):
        raise ScimError(400, f"A PATCH body names the schema {PATCH}.", "invalidSyntax")
    operations = body.get("Operations") or body.get("operations")
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "A PATCH body holds a list of Operations.", "invalidSyntax")
    found = []
    for n, operation in enumerate(operations, 1):
        if not isinstance(operation, dict):
            raise ScimError(400, f"Operation {n} is not an object.", "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        if op not in ("add", "replace", "remove"):
            raise ScimError(
                400,
                f"Operation {n}: op is add, replace or remove, not {operation.get('op')!r}.",
                "invalidSyntax",
            )
        path = operation.get("path")
        if path is not None and not isinstance(path, str):
            raise ScimError(400, f"Operation {n}: path must be a string.", "invalidPath")
        found.append((op, path, operation.get("value")))
    return found


def patch_user(current: dict, body: dict) -> dict:
    """The User's kept attributes after the PATCH (`current` as `user_fields` reads a resource)."""
    state = dict(current)
    given, _, family = state.get("full_name", "").partition(" ")
    for op, path, value in patch_operations(body):
        if path is None:
            if op == "remove" or not isinstance(value, dict):
                raise ScimError(
                    400, "An operation without a path carries an object of attributes.", "invalidValue"
                )
            # Entra ID sends {"name.givenName": ...} keys at the top level too.
            nested = {k: v for k, v in value.items() if "." not in k}
            for key, item in value.items():
                if "." in key and key.lower().startswith("name."):
                    nested.setdefault("name", {})[key.split(".", 1)[1]] = item
            state.update(user_fields(nested))
            continue
        target = _USER_PATHS.get(path.strip().lower().removeprefix(USER.lower() + ":"))
        if target is None:
            continue  # an attribute Charter does not keep
        if op == "remove":
            if target in ("title", "externalId"):
                state["title" if target == "title" else "external_id"] = ""
            elif target in ("userName", "active"):
                raise ScimError(400, f"{target} cannot be removed.", "mutability")
            continue
        if target == "name.givenName":
            given = as_text(value, target)
            state["full_name"] = " ".join(p for p in (given, family) if p)
        elif target == "name.familyName":
            family = as_text(value, target)
            state["full_name"] = " ".join(p for p in (given, family) if p)
        elif target == "name.formatted":
            state["full_name"] = as_text(value, target)
        else:
            state.update(user_fields({target: value}))
    return state


def member_ids(value, where: str) -> list[int]:
    """User ids from a list of {"value": "<id>"} (or one such object)."""
    items = value if isinstance(value, list) else [value]
    ids = []
    for item in items:
        raw = item.get("value") if isinstance(item, dict) else None
        if raw is None or not str(raw).isdigit():
            raise ScimError(
                400, f'{where}: each member is {{"value": "<User id>"}}, not {item!r}.', "invalidValue"
            )
        ids.append(int(raw))
    return ids


def member_filter_ids(path: str) -> list[int] | None:
    """`members[value eq "12"]` -> [12]; None when the path is not of that form."""
    lowered = path.strip().lower()
    if not lowered.startswith("members[") or not lowered.endswith("]"):
        return None
    inner = path.strip()[len("members[") : -1]
    parts = inner.replace('"', " ").split()
    if len(parts) == 3 and parts[0].lower() == "value" and parts[1].lower() == "eq" and parts[2].isdigit():
        return [int(parts[2])]
    raise ScimError(
        400, f'Charter reads member paths as members[value eq "<id>"], not {path!r}.', "invalidPath"
    )


# ---- discovery ---------------------------------------------------------------------------------------

_USER_ATTRIBUTES = {"userName", "name", "displayName", "title", "active", "emails", "groups"}
_NAME_PARTS = {"formatted", "givenName", "familyName"}
_EMAIL_PARTS = {"value", "type", "primary"}
_GROUP_ATTRIBUTES = {"displayName", "members"}


@cache
def schemas() -> tuple[dict, dict]:
    """The User and Group schemas (RFC 7643 section 8.7.1), narrowed to what Charter keeps."""
    from scim2_models import Group, User

    def narrow(model, keep, sub=None):
        schema = model.to_schema().model_dump(mode="json", exclude_none=True)
        kept = []
        for attribute in schema["attributes"]:
            if attribute["name"] not in keep:
                continue
            if sub and attribute["name"] in sub and attribute.get("subAttributes"):
                attribute["subAttributes"] = [
                    s for s in attribute["subAttributes"] if s["name"] in sub[attribute["name"]]
                ]
            kept.append(attribute)
        schema["attributes"] = kept
        return schema

    user = narrow(User, _USER_ATTRIBUTES, {"name": _NAME_PARTS, "emails": _EMAIL_PARTS})
    group = narrow(Group, _GROUP_ATTRIBUTES)
    return user, group


def with_meta(request, document: dict, resource_type: str, route: str, arg: str) -> dict:
    return document | {
        "meta": {
            "resourceType": resource_type,
            "location": request.build_absolute_uri(reverse(route, args=[arg])),
        }
    }


def resource_types(request) -> list[dict]:
    return [
        with_meta(
            request,
            {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
                "id": name,
                "name": name,
                "description": description,
                "endpoint": endpoint,
                "schema": urn,
            },
            "ResourceType",
            "scim_resource_type",
            name,
        )
        for name, description, endpoint, urn in (
            ("User", "A person in the organization", "/Users", USER),
            ("Group", "A team provisioned by the identity provider", "/Groups", GROUP),
        )
    ]


def service_provider_config(request) -> dict:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_COUNT},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "The organization's SCIM token, made on Settings → SCIM provisioning.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": request.build_absolute_uri(reverse("scim_config")),
        },
    }
