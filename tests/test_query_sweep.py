"""The sweep over hand-written SQL: every statement of every app's `queries.py` runs through `core.queries`,
and with a second organization's rows in the database none of them gives those rows back.

Both organizations are built while the sweep watches (their writes run the roll-ups' and the search index's
statements), then one organization's owner opens every page, searches for the other organization's name and
asks every picker for it. Each scoped statement must have been given that owner's organization, and no row it
returned may carry the other organization's name (the world names everything it creates after its
organization). Every function of every `queries.py` must have run, or say here why the sweep cannot run it.
"""

import importlib
import inspect
import pkgutil
from collections import defaultdict

import pytest
from django.db import connection
from django.urls import NoReverseMatch, reverse

import charter
from charter.core import queries
from charter.organizations.tests.factories import PASSWORD
from tests.test_sweeps import ROUTES, _url
from tests.world import build_world

# Functions that build SQL for others (they run none themselves), or that the sweep cannot reach, and why.
NOT_RUN = {
    "charter.goals.queries.severity_case": "builds the status CASE that goal_list_rows, home_goal_rows run",
    "charter.goals.queries.status_case": "builds an ORM expression (RawSQL) for a scoped queryset",
    "charter.goals.queries.chain_ids": "builds an ORM expression (RawSQL) for a scoped queryset",
    "charter.goals.queries.in_chain": "builds an ORM expression (RawSQL) for a scoped queryset",
    "charter.goals.queries.chain_condition": "builds the chain that goal_links and home_goal_rows run",
    "charter.organizations.queries.lock_users": "the first run's lock, on an empty installation",
    "charter.organizations.queries.token_with_actor": "the API's door: tests/test_api_security_sweeps.py",
    "charter.organizations.queries.rate_hit": "counts failed sign-ins and API calls, by IP address or token",
    "charter.search.queries.sqlite_drop_stale_keywords": "runs after migrate and flush",
    "charter.search.queries.sqlite_keywords_remove": "runs when an indexed object is deleted",
    "charter.goals.queries.goal_list_count": "runs only for a goal list page past the last one",
}
# The other database's variant of a statement.
OTHER_VENDOR = {
    "postgresql": {
        "charter.search.queries.sqlite_keyword_search",
        "charter.search.queries.sqlite_keywords_write",
    },
    "sqlite": {"charter.search.queries.postgres_keyword_search"},
}


def _query_functions() -> dict[str, tuple[object, str]]:
    """Every public function of every app's `queries.py`: its qualified name -> (module, name)."""
    found = {}
    for info in pkgutil.iter_modules(charter.__path__):
        try:
            module = importlib.import_module(f"charter.{info.name}.queries")
        except ModuleNotFoundError:
            continue
        if module.__name__ == "charter.core.queries":
            continue
        for name, func in vars(module).items():
            if inspect.isfunction(func) and func.__module__ == module.__name__ and not name.startswith("_"):
                found[f"{module.__name__}.{name}"] = (module, name)
    return found


def test_every_app_with_sql_has_its_queries_module():
    assert len(_query_functions()) >= 20


@pytest.mark.django_db(transaction=False)
def test_no_query_gives_back_another_organizations_rows(client, monkeypatch):
    ran: dict[str, int] = defaultdict(int)
    for qualified, (module, name) in _query_functions().items():
        func = getattr(module, name)

        def counted(*args, _func=func, _name=qualified, **kwargs):
            ran[_name] += 1
            return _func(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    statements = []
    queries._observers.append(
        lambda sql, params, unscoped, rows: statements.append((sql, params, unscoped, rows))
    )
    try:
        mine, theirs = build_world("Acme"), build_world("Globex")
        assert client.login(email=mine.owner.user.email, password=PASSWORD)
        statements.clear()  # from here on, only what Acme's owner reads
        ids = {**mine.ids}
        status = "on_track"
        extra = [
            reverse("home"),
            f"{reverse('goal_list')}?status={status}&cycle={ids['cycle_id']}",
            f"{reverse('strategy_map')}?cycle={ids['cycle_id']}&team={ids['team_id']}",
            f"{reverse('search')}?q=Globex",
            f"{reverse('team_options')}?team_q=Globex",
            f"{reverse('person_options')}?owner_q=Globex",
            f"{reverse('decision_goal_options')}?goal_q=Globex",
        ]
        for url in extra:
            assert client.get(url).status_code == 200, url
        for pattern in ROUTES:
            try:
                url = _url(pattern, ids)
            except (KeyError, NoReverseMatch):
                continue
            client.get(url)
    finally:
        queries._observers.clear()
    acme = mine.owner.organization_id
    scoped = [s for s in statements if s[2] is None]
    assert scoped
    for sql, params, _, rows in scoped:
        assert params["organization_id"] == acme, sql
        for row in rows:
            assert not any("Globex" in str(value) for value in row), (sql, row)
    expected = set(_query_functions()) - set(NOT_RUN) - OTHER_VENDOR.get(connection.vendor, set())
    assert not expected - set(ran), f"not run by the sweep: {sorted(expected - set(ran))}"
    assert theirs.owner.organization_id != acme
