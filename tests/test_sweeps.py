"""Sweeps over every route: each has a row in the permission matrix, each role gets what the matrix
says, and another organization's objects answer 404 exactly like missing ones."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from charter.core.http import PUBLIC
from charter.organizations.models import Role
from charter.organizations.permissions import MATRIX
from charter.organizations.tests.factories import PASSWORD
from tests.world import build_world, names_an_object

MISSING = 987654321
# Routes that take no action row, each with its reason.
EXEMPT: dict[str, str] = {}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith(("api/", "scim/")):
                continue  # the API: its own sweep over the OpenAPI document; SCIM: charter/scim/tests
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield p


ROUTES = sorted({p.name: p for p in _walk(get_resolver().url_patterns)}.values(), key=lambda p: p.name)
# Public routes name their object by a secret in the link (a password reset), not an id of an organization.
OBJECT_ROUTES = [
    p
    for p in ROUTES
    if names_an_object(p.pattern.converters) and getattr(p.callback, "charter_action", None) != PUBLIC
]


def _url(pattern, ids):
    return reverse(pattern.name, kwargs={k: ids[k] for k in pattern.pattern.converters})


def test_there_are_routes_to_sweep():
    assert len(ROUTES) >= 20, [p.name for p in ROUTES]
    assert OBJECT_ROUTES


@pytest.mark.parametrize("pattern", ROUTES, ids=lambda p: p.name)
def test_every_route_has_a_row_in_the_permission_matrix(pattern):
    action = getattr(pattern.callback, "charter_action", None)
    if pattern.name in EXEMPT:
        return
    assert action is not None, f"{pattern.name}: wrap the view in @requires(action) or @public"
    assert action == PUBLIC or action in MATRIX, f"{pattern.name}: {action!r} is not in the permission matrix"


def _request(client, url):
    """GET, or POST with nothing when the route only takes POST."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", OBJECT_ROUTES, ids=lambda p: p.name)
def test_another_organizations_object_is_404_like_a_missing_one(client, pattern):
    mine, theirs = build_world("Acme"), build_world("Globex")
    assert client.login(email=mine.owner.user.email, password=PASSWORD)
    foreign = _request(client, _url(pattern, {**mine.ids, **theirs.ids}))
    missing = _request(client, _url(pattern, dict.fromkeys(mine.ids, MISSING)))
    assert foreign.status_code == 404, (
        f"{pattern.name}: {foreign.status_code} for another organization's object"
    )
    assert missing.status_code == 404


ROLES = list(Role.values)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("pattern", [p for p in ROUTES if p.name not in EXEMPT], ids=lambda p: p.name)
def test_each_role_gets_what_the_matrix_says(client, pattern, role):
    action = pattern.callback.charter_action
    if action == PUBLIC:
        return
    world = build_world("Acme")
    assert client.login(email=world.actors[role].user.email, password=PASSWORD)
    response = _request(client, _url(pattern, world.ids))
    if role in MATRIX[action]:
        assert response.status_code != 403, f"{pattern.name}: {role} may {action} but got 403"
        assert response.status_code < 500
    else:
        assert response.status_code == 403, (
            f"{pattern.name}: {role} may not {action} but got {response.status_code}"
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pattern",
    [p for p in ROUTES if getattr(p.callback, "charter_action", None) != PUBLIC],
    ids=lambda p: p.name,
)
def test_anonymous_visitors_are_sent_to_log_in(client, pattern):
    world = build_world("Acme")
    response = client.get(_url(pattern, world.ids))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
