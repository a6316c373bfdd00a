"""SCIM filters (RFC 7644 3.4.2.2) to Django `Q` objects: scim2-filter-parser reads the text into its
syntax tree, and this walks the tree over a fixed map of the attributes Charter keeps. Anything else, an
unknown attribute, an operator Charter does not offer or a filter that does not parse, is refused with a
message that names it (answered as 400 invalidFilter)."""

from django.db.models import Q
from scim2_filter_parser import ast
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser

USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"

# attribute (lower case, sub-attribute after a dot) -> (model field, kind)
USER_FIELDS = {
    "id": ("user_id", "id"),
    "username": ("user__email", "text"),
    "externalid": ("external_id", "text"),
    "emails": ("user__email", "text"),
    "emails.value": ("user__email", "text"),
    "displayname": ("user__full_name", "text"),
    "name.formatted": ("user__full_name", "text"),
    "title": ("title", "text"),
    "active": ("is_active", "bool"),
}
GROUP_FIELDS = {
    "id": ("pk", "id"),
    "displayname": ("name", "text"),
    "externalid": ("external_id", "text"),
    "members": ("memberships__user_id", "id"),
    "members.value": ("memberships__user_id", "id"),
}
_TEXT = {"eq": "iexact", "co": "icontains", "sw": "istartswith", "ew": "iendswith"}


class FilterError(ValueError):
    """A filter Charter cannot run; the message says what and where."""


def to_q(text: str, fields: dict[str, tuple[str, str]], urn: str) -> Q:
    try:
        tree = SCIMParser().parse(SCIMLexer().tokenize(text))
    except Exception as exc:  # the parser's own errors carry no position worth more than this
        raise FilterError(f"The filter {text!r} does not parse: {exc}") from None
    if tree is None:
        raise FilterError(f"The filter {text!r} does not parse.")
    return _node(tree, fields, urn)


def _node(node, fields, urn) -> Q:
    if isinstance(node, ast.Filter):
        if node.namespace is not None:
            raise FilterError('Filters inside brackets (such as emails[type eq "work"]) are not supported.')
        q = _node(node.expr, fields, urn)
        return ~q if node.negated else q
    if isinstance(node, ast.LogExpr):
        left, right = _node(node.expr1, fields, urn), _node(node.expr2, fields, urn)
        return left & right if node.op.lower() == "and" else left | right
    if isinstance(node, ast.AttrExpr):
        return _comparison(node, fields, urn)
    raise FilterError(f"Unsupported part of a filter: {type(node).__name__}.")


def _comparison(node: ast.AttrExpr, fields, urn) -> Q:
    path = node.attr_path
    if not isinstance(path.attr_name, str):
        raise FilterError('Filters inside brackets (such as emails[type eq "work"]) are not supported.')
    if path.uri and path.uri.lower() != urn.lower():
        raise FilterError(f"Unknown schema {path.uri} in the filter.")
    name = path.attr_name.lower() + (f".{path.sub_attr.value.lower()}" if path.sub_attr else "")
    if name not in fields:
        known = ", ".join(sorted({key.split(".")[0] for key in fields}))
        raise FilterError(f"Charter cannot filter on {name!r}; it filters on {known}.")
    field, kind = fields[name]
    op = node.value.lower()
    if op == "pr":
        return (
            Q(**{f"{field}__isnull": False}) & ~Q(**{field: ""})
            if kind == "text"
            else Q(**{f"{field}__isnull": False})
        )
    value = node.comp_value.value if node.comp_value is not None else None
    if kind == "bool":
        if op not in ("eq", "ne") or str(value).lower() not in ("true", "false"):
            raise FilterError(f"{name} takes eq or ne with true or false.")
        q = Q(**{field: str(value).lower() == "true"})
    elif kind == "id":
        if op not in ("eq", "ne"):
            raise FilterError(f"{name} takes eq or ne.")
        if not str(value).isdigit():
            return Q(pk__in=[]) if op == "eq" else Q()
        q = Q(**{field: int(value)})
    else:
        lookup = _TEXT.get("eq" if op == "ne" else op)
        if lookup is None:
            raise FilterError(f"The operator {op} is not supported; use eq, ne, co, sw, ew or pr.")
        q = Q(**{f"{field}__{lookup}": "" if value is None else str(value)})
    return ~q if op == "ne" else q
