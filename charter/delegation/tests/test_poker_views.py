"""Delegation poker pages: the private table before the reveal, the live check, picks and the level set
from a session through the web, and query counts that do not grow with people and domains."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.delegation import services
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person

from .factories import make_cast, make_domain

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def cast(owner):
    return make_cast(owner)


def _open(cast, *domains):
    return services.poker_open(actor=cast.owner, team_id=cast.product.pk, domain_ids=[d.pk for d in domains])


def _queries(client, url, **kwargs) -> tuple[int, object]:
    client.get(url, **kwargs)  # the first request of a session writes the session; measure a warm one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    return len(queries), response


def test_before_the_reveal_a_page_shows_who_picked_never_what(cast, login):
    session = _open(cast, cast.domain)
    services.poker_pick(actor=cast.bob, session_id=session.pk, domain_id=cast.domain.pk, level=6)
    url = reverse("poker_detail", args=[session.pk])
    bobs = login(cast.bob).get(url).content.decode()
    assert 'class="poker-mine">6 inquire' in bobs and 'aria-pressed="true"' in bobs
    anas = login(cast.ana).get(url).content.decode()
    assert "Bob Member: picked" in anas and "poker-mine" not in anas and 'aria-pressed="true"' not in anas
    assert "poker-turned" not in anas and "Spread:" not in anas
    live = login(cast.ana).get(reverse("poker_live", args=[session.pk]), {"v": "0.0"}).content.decode()
    assert "poker-mine" not in live and "poker-turned" not in live


def test_the_live_check_answers_204_until_something_moved(cast, login):
    session = _open(cast, cast.domain)
    client = login(cast.ana)
    page = client.get(reverse("poker_detail", args=[session.pk])).content.decode()
    version = page.split('data-version="', 1)[1].split('"', 1)[0]
    live = reverse("poker_live", args=[session.pk])
    count, same = _queries(client, live, data={"v": version})
    assert same.status_code == 204 and count <= 4  # the session, the person, the cheap version check
    services.poker_pick(actor=cast.bob, session_id=session.pk, domain_id=cast.domain.pk, level=3)
    moved = client.get(live, {"v": version})
    assert moved.status_code == 200 and "Bob Member: picked" in moved.content.decode()


def test_picking_reveal_and_setting_the_level_through_the_web(cast, login):
    session = _open(cast, cast.domain)
    pick = reverse("poker_pick", args=[session.pk])
    client = login(cast.bob)
    partial = client.post(pick, {"domain_id": cast.domain.pk, "level": 5}, headers=HTMX)
    assert partial.status_code == 200 and 'id="poker-live"' in partial.content.decode()
    assert "<html" not in partial.content.decode()
    refused = client.post(pick, {"domain_id": cast.domain.pk}, headers=HTMX)
    assert "Choose a card" in refused.content.decode()
    assert login(cast.carl).post(pick, {"domain_id": cast.domain.pk, "level": 2}).status_code == 403
    client = login(cast.owner)
    assert client.post(reverse("poker_reveal", args=[session.pk])).status_code == 302
    again = client.post(reverse("poker_reveal", args=[session.pk]))
    assert again.status_code == 409 and "already turned" in again.content.decode()
    set_url = reverse("poker_set_level", args=[session.pk, cast.domain.pk])
    assert client.post(set_url, {"level": 5, "reason": "Bob convinced us"}).status_code == 302
    page = client.get(reverse("poker_detail", args=[session.pk])).content.decode()
    history = reverse("delegation_history", args=[cast.product.pk, cast.domain.pk])
    assert "Set on the board" in page and history in page and "poker-turned" in page
    history_page = client.get(history).content.decode()
    assert reverse("poker_detail", args=[session.pk]) in history_page and "Bob convinced us" in history_page


def test_opening_a_session_through_the_form(cast, login):
    client = login(cast.owner)
    url = reverse("poker_create")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"team_id": cast.product.pk})
    assert refused.status_code == 422 and "at least one decision domain" in refused.content.decode()
    response = client.post(url, {"team_id": cast.product.pk, "domain_ids": [cast.domain.pk], "title": "Q1"})
    assert response.status_code == 302
    listing = client.get(reverse("poker_list")).content.decode()
    assert "Q1" in listing and "you pick" in listing
    assert login(cast.bob).get(url).status_code == 403


def test_the_session_page_does_not_grow_with_people_and_domains(cast, login):
    small = _open(cast, cast.domain)
    client = login(cast.ana)
    count, response = _queries(client, reverse("poker_detail", args=[small.pk]))
    assert response.status_code == 200
    domains = [cast.domain] + [make_domain(cast.owner, f"Area {i}") for i in range(6)]
    for i in range(8):
        make_person(cast.owner, Role.MEMBER, team=cast.product, full_name=f"Player {i}")
    big = _open(cast, *domains)
    for domain in domains[:4]:
        services.poker_pick(actor=cast.bob, session_id=big.pk, domain_id=domain.pk, level=4)
    assert _queries(client, reverse("poker_detail", args=[big.pk]))[0] == count
    services.poker_reveal(actor=cast.owner, session_id=big.pk)
    services.poker_reveal(actor=cast.owner, session_id=small.pk)
    turned = _queries(client, reverse("poker_detail", args=[small.pk]))[0]
    assert _queries(client, reverse("poker_detail", args=[big.pk]))[0] == turned
    live_small = _queries(client, reverse("poker_live", args=[small.pk]))[0]
    assert _queries(client, reverse("poker_live", args=[big.pk]))[0] == live_small
    # The person and actor, the session, its domains, people, cards, the team tree and its levels, the
    # comments (10 when measured); the live partial the same, its comments swapped in out of band.
    assert count <= 10 and turned <= 10 and live_small <= 10, (count, turned, live_small)


def test_an_empty_organization_is_told_what_to_create_first(owner, login):
    page = login(owner).get(reverse("poker_create")).content.decode()
    assert reverse("team_create") in page and "No teams yet" in page
    assert reverse("decision_domain_create") in page and "No decision domains yet" in page


def test_a_comment_redraws_the_room_without_touching_the_form(cast, login):
    """Comments are part of the live version: a comment moves it, and the live answer carries the thread's
    comments and count out of band (htmx swaps them in place), never the add form someone may be typing in."""
    from charter.discussion.services import comment_add

    session = _open(cast, cast.domain)
    client = login(cast.ana)
    page = client.get(reverse("poker_detail", args=[session.pk])).content.decode()
    version = page.split('data-version="', 1)[1].split('"', 1)[0]
    live = reverse("poker_live", args=[session.pk])
    assert client.get(live, {"v": version}).status_code == 204
    comment = comment_add(actor=cast.bob, target_type="poker_session", target_id=session.pk, body="Why a 3?")
    moved = client.get(live, {"v": version})
    html = moved.content.decode()
    assert moved.status_code == 200 and "Why a 3?" in html
    thread = f'id="thread-poker-session-{session.pk}" aria-live="polite" hx-swap-oob="true"'
    assert thread in html and f'id="comments-poker-session-{session.pk}-count" hx-swap-oob="true"' in html
    assert "Add a comment" not in html and '<form class="card-footer"' not in html
    newer = html.split('data-version="', 1)[1].split('"', 1)[0]
    assert newer != version and client.get(live, {"v": newer}).status_code == 204
    page = client.get(reverse("poker_detail", args=[session.pk])).content.decode()
    assert f'data-version="{newer}"' in page  # the page and the live check agree
    from charter.discussion.services import comment_delete

    comment_delete(actor=cast.bob, comment_id=comment.pk)
    assert client.get(live, {"v": newer}).status_code == 200  # a deletion moves it too
