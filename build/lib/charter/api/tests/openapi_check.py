"""A small JSON Schema check of API answers against the OpenAPI document (the subset ninja emits)."""

import re

_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
    "integer": int,
    "number": (int, float),
}


def resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        node = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def problems(document: dict, schema: dict, value, where: str = "$") -> list[str]:
    """Every place where `value` breaks `schema`; empty when it fits."""
    schema = resolve(document, schema)
    if "anyOf" in schema:
        if any(not problems(document, option, value, where) for option in schema["anyOf"]):
            return []
        return [f"{where}: fits none of anyOf"]
    found = []
    kind = schema.get("type")
    if kind and (
        not isinstance(value, _TYPES[kind]) or (kind in ("integer", "number") and isinstance(value, bool))
    ):
        return [f"{where}: {value!r} is not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    date_time = schema.get("format") == "date-time" and isinstance(value, str)
    if date_time and not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d", value):
        found.append(f"{where}: {value!r} is not a date-time")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{where}.{name}: missing")
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                found += problems(document, sub, value[name], f"{where}.{name}")
        extra = set(value) - set(schema.get("properties", {}))
        if extra and schema.get("properties") and not schema.get("additionalProperties"):
            found.append(f"{where}: undocumented keys {sorted(extra)}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += problems(document, schema["items"], item, f"{where}[{i}]")
    return found


def response_schema(document: dict, path: str, method: str, status: int) -> dict:
    operation = document["paths"][path][method]
    return operation["responses"][str(status)]["content"]["application/json"]["schema"]
