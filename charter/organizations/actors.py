"""Who is asking: the actor of a request, read in one query on every request (never kept between them).

One subquery gives everything the actor needs about a person in an organization, as one text value of
marks: "R<role>" when their membership is active, "M<id>" for each team they belong to, "L<id>" for
each team they lead and every team below those, and "O<n>" for the number of organizations the person
is an active member of (the organization switcher reads their list only when there are two or more).
It is correlated to the row that names the person and the organization (the session's organization, a
token), so that row and the actor come together, and it never reads the organization's other teams: the
recursion walks down from the led teams only (UNION stops it should the tree ever loop). A removed
member, a changed role or team and a revoked token therefore count from the next request on.
"""

from charter.core.actor import Actor

from . import queries
from .models import ApiToken, Organization
from .permissions import allowed_actions


def actor_from(*, user, organization, marks: str | None, request_id: str = "", via: str = "web"):
    """The actor the marks describe; None when they hold no role (not an active member)."""
    role, teams, leads, organization_count = None, set(), set(), 0
    for mark in (marks or "").split(","):
        if mark[:1] == "R":
            role = mark[1:]
        elif mark[:1] == "O":
            organization_count = int(mark[1:])
        elif mark:
            (leads if mark[0] == "L" else teams).add(int(mark[1:]))
    if role is None:
        return None
    return Actor(
        user=user,
        organization=organization,
        role=role,
        allowed=allowed_actions(role),
        team_ids=frozenset(teams),
        lead_team_ids=frozenset(leads),
        organization_count=organization_count,
        request_id=request_id,
        via=via,
    )


def _organization_with_marks(organization_id: int, user_id: int) -> Organization | None:
    """The organization, with the person's marks in it as `actor_marks`. Plain SQL read into the model:
    every signed-in page pays for it, and a queryset would cost about a millisecond more to build."""
    found = queries.organization_with_marks(organization_id=organization_id, user_id=user_id)
    if found is None:
        return None
    organization, organization.actor_marks = found
    return organization


def actor_for(*, user, organization: Organization, request_id: str = "", via: str = "web") -> Actor | None:
    """The actor for `user` in `organization`, or None when they are not an active member (one query)."""
    row = _organization_with_marks(organization.pk, user.pk)
    marks = row and row.actor_marks
    return actor_from(user=user, organization=organization, marks=marks, request_id=request_id, via=via)


def session_actor(*, user, organization_id: int, request_id: str = "") -> Actor | None:
    """The actor of a web session in the organization it names (organization, role and teams in one
    query); None when the person is not, or no longer, an active member of it."""
    organization = _organization_with_marks(organization_id, user.pk)
    if organization is None:
        return None
    marks = organization.__dict__.pop("actor_marks")  # not a field: it leaves with the actor
    return actor_from(user=user, organization=organization, marks=marks, request_id=request_id)


def session_user(user_id, organization_id: int | None):
    """The user of a session, with the session's organization and their marks in it kept as
    `session_organization` (the pair, or None): so the actor of a web request costs no query of its own.
    None when there is no such user."""
    found = queries.session_user(user_id=user_id, organization_id=organization_id)
    if found is None:
        return None
    user, user.session_organization = found
    return user


def preloaded_session_actor(*, user, organization_id: int, request_id: str = "") -> Actor | None:
    """The actor `session_user` read with the user, when it read the organization the session names
    now; None otherwise (then `session_actor` reads it)."""
    pair = getattr(user, "session_organization", None)
    if not pair or pair[0].pk != organization_id:
        return None
    return actor_from(user=user, organization=pair[0], marks=pair[1], request_id=request_id)


def token_with_actor(token_hash: str) -> ApiToken | None:
    """The unrevoked token with this hash, its user and organization set, and its owner's marks as
    `actor_marks`: one query in plain SQL (every API request pays for it; the queryset with two
    select_related models and the marks costs about a millisecond of CPU to build)."""
    return queries.token_with_actor(token_hash=token_hash)
