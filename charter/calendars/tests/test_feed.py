"""The calendar feed: parsed back with icalendar, scoped to its person, revocable, constant queries."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from charter.calendars.models import CalendarFeed
from charter.calendars.services import feed_revoke, feed_rotate, feed_url
from charter.core.models import AuditEvent
from charter.delegation.poker import poker_open
from charter.delegation.services import decision_respond
from charter.delegation.tests.factories import make_domain, record
from charter.goals.services import cycle_create
from charter.goals.tests.factories import drop_cycles, make_goal, make_key_result
from charter.organizations.models import Membership, Role
from charter.organizations.services import team_member_set, token_create
from charter.organizations.tests.factories import make_person, make_team, refresh_actor
from charter.reviews.services import review_write


def _rotate(actor) -> str:
    """A new feed address of the actor."""
    return feed_url(feed_rotate(actor=actor)[1])


def _path(url: str) -> str:
    return url.removeprefix(settings.CHARTER_BASE_URL)


def _fetch(client, url):
    """GET the feed as a calendar app does: no session cookie, only the address."""
    client.cookies.clear()
    return client.get(_path(url))


def _events(response) -> dict[str, object]:
    cal = Calendar.from_ical(response.content)
    return {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}


@pytest.fixture
def world(owner):
    """Acme: a cycle, Ada (Berlin) in the Platform team with two key results, a poker session for her."""
    drop_cycles(owner)
    team = make_team(owner, "Platform")
    other_team = make_team(owner, "Sales")
    ada = make_person(owner, Role.LEADER, team=team, full_name="Ada")
    ada.user.time_zone = "Europe/Berlin"
    ada.user.save(update_fields=["time_zone"])
    bob = make_person(owner, Role.MEMBER, team=other_team, full_name="Bob")
    cycle = cycle_create(
        actor=owner, name="Q3", starts_on=date(2026, 7, 1), ends_on=date(2026, 9, 30), state="active"
    )
    goal = make_goal(owner, cycle, "Faster builds", team_id=team.pk, owner_id=ada.user_id)
    make_key_result(owner, goal, "Build under 5 min", owner_id=ada.user_id)
    make_key_result(owner, goal, "Flaky tests under 1%", owner_id=ada.user_id)
    bob_goal = make_goal(owner, cycle, "More deals", team_id=other_team.pk, owner_id=bob.user_id)
    make_key_result(owner, bob_goal, "Bob's secret key result", owner_id=bob.user_id)
    deadline = timezone.now() + timedelta(days=2)
    domain = make_domain(owner, "Hiring")
    poker = poker_open(
        actor=owner, team_id=team.pk, domain_ids=[domain.pk], title="Hiring levels",
        participant_ids=[ada.user_id], deadline=deadline,
    )  # fmt: skip
    bob_poker = poker_open(
        actor=owner, team_id=other_team.pk, domain_ids=[domain.pk], title="Bob's poker",
        participant_ids=[bob.user_id], deadline=deadline,
    )  # fmt: skip
    return {
        "ada": ada, "bob": bob, "team": team, "other_team": other_team, "cycle": cycle,
        "poker": poker, "bob_poker": bob_poker, "deadline": deadline, "domain": domain,
    }  # fmt: skip


def test_the_feed_parses_with_dates_uids_summaries_and_links_back(client, world):
    ada, cycle, team = world["ada"], world["cycle"], world["team"]
    url = _rotate(ada)
    answer = _fetch(client, url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(answer.content)
    assert str(cal["VERSION"]) == "2.0" and "Acme" in str(cal["X-WR-CALNAME"])
    events = _events(answer)
    base = settings.CHARTER_BASE_URL
    c = cycle.pk

    start, end = events[f"cycle-{c}-start"], events[f"cycle-{c}-end"]
    assert start.decoded("DTSTART") == date(2026, 7, 1) and start.decoded("DTEND") == date(2026, 7, 2)
    assert end.decoded("DTSTART") == date(2026, 9, 30) and str(end["SUMMARY"]) == "Q3 ends"
    assert str(start["URL"]) == base + reverse("cycle_list")
    assert all("DTSTAMP" in e for e in events.values())

    review = events[f"cycle-{c}-review-team-{team.pk}"]
    assert str(review["SUMMARY"]) == "Cycle review: Platform, Q3"
    assert review.decoded("DTSTART") == date(2026, 9, 30)
    assert str(review["URL"]) == f"{base}{reverse('cycle_review', args=[c])}?team={team.pk}"

    check_in = events[f"cycle-{c}-check-in-user-{ada.user_id}"]
    assert str(check_in["SUMMARY"]) == "Weekly check-in (2 key results)"
    first = check_in.decoded("DTSTART")
    # The first Monday of the cycle, at 08:00 UTC (when reminders go out), in Ada's Berlin time.
    assert first.tzinfo.key == "Europe/Berlin" and first == datetime(
        2026, 7, 6, 10, 0, tzinfo=ZoneInfo("Europe/Berlin")
    )
    rule = check_in["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["UNTIL"][0].date() == date(2026, 9, 30)
    assert "Build under 5 min" in str(check_in["DESCRIPTION"])
    assert b"BEGIN:VTIMEZONE" in answer.content and b"TZID:Europe/Berlin" in answer.content

    poker = events[f"poker-{world['poker'].pk}-deadline"]
    assert str(poker["SUMMARY"]) == "Delegation poker: Hiring levels"
    assert poker.decoded("DTSTART") == world["deadline"].replace(microsecond=0)
    assert str(poker["URL"]) == base + reverse("poker_detail", args=[world["poker"].pk])
    # UIDs stay the same from one fetch to the next.
    assert set(_events(_fetch(client, url))) == set(events)


def test_the_submitted_review_moves_to_its_day(client, world):
    ada, cycle, team = world["ada"], world["cycle"], world["team"]
    review_write(actor=ada, cycle_id=cycle.pk, team_id=team.pk, what_worked="Pairing")
    url = _rotate(ada)
    event = _events(_fetch(client, url))[f"cycle-{cycle.pk}-review-team-{team.pk}"]
    assert str(event["SUMMARY"]).startswith("Cycle review held")
    assert event.decoded("DTSTART") == timezone.now().astimezone(ZoneInfo("Europe/Berlin")).date()


def test_another_persons_data_is_never_in_my_feed(client, world):
    ada, bob = world["ada"], world["bob"]
    url = _rotate(ada)
    answer = _fetch(client, url)
    text = answer.content.decode()
    assert "Bob" not in text and "Sales" not in text
    events = _events(answer)
    assert f"poker-{world['bob_poker'].pk}-deadline" not in events
    assert f"cycle-{world['cycle'].pk}-check-in-user-{bob.user_id}" not in events
    assert f"cycle-{world['cycle'].pk}-review-team-{world['other_team'].pk}" not in events
    # And Bob's feed has his own, not Ada's.
    bob_url = _rotate(bob)
    bob_text = _fetch(client, bob_url).content.decode()
    assert "Bob's secret key result" in bob_text and "Build under 5 min" not in bob_text


def test_another_organizations_data_is_never_in_my_feed(client, world, other_owner):
    drop_cycles(other_owner)
    cycle_create(
        actor=other_owner, name="Globex year", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    # Ada is also a member of Globex: her Acme feed still shows Acme only.
    Membership.objects.create(organization=other_owner.organization, user=world["ada"].user, role=Role.MEMBER)
    url = _rotate(world["ada"])
    text = _fetch(client, url).content.decode()
    assert "Globex" not in text and "Q3 starts" in text


def test_a_rotated_or_revoked_token_is_404_and_audited(client, world):
    ada = world["ada"]
    old = _rotate(ada)
    new = _rotate(ada)
    assert _fetch(client, old).status_code == 404
    assert _fetch(client, new).status_code == 200
    assert client.head(_path(new)).status_code == 200  # some calendar apps look before they fetch
    assert client.post(_path(new)).status_code == 405
    assert feed_revoke(actor=ada) is True and feed_revoke(actor=ada) is False
    assert _fetch(client, new).status_code == 404
    assert _fetch(client, "/calendar/cal_not-a-token.ics").status_code == 404
    assert _fetch(client, "/calendar/anything.ics").status_code == 404
    actions = AuditEvent.objects.for_org(ada.organization).filter(actor_id=ada.user_id)
    assert {"calendar_feed.create", "calendar_feed.rotate", "calendar_feed.revoke"} <= set(
        actions.values_list("action", flat=True)
    )
    # Only the hash is stored, never the address's secret.
    assert not CalendarFeed.objects.for_org(ada.organization).exists()


def test_a_deactivated_membership_or_user_has_no_feed(client, world):
    ada = world["ada"]
    url = _rotate(ada)
    feed = CalendarFeed.objects.for_org(ada.organization).get()
    assert url.rsplit("/", 1)[-1].removesuffix(".ics") not in feed.token_hash
    Membership.objects.for_org(ada.organization).filter(user=ada.user).update(is_active=False)
    assert _fetch(client, url).status_code == 404
    Membership.objects.for_org(ada.organization).filter(user=ada.user).update(is_active=True)
    assert _fetch(client, url).status_code == 200
    ada.user.is_active = False
    ada.user.save(update_fields=["is_active"])
    assert _fetch(client, url).status_code == 404


def _grow(owner, world, n):
    ada, team = world["ada"], world["team"]
    for i in range(n):
        cycle = cycle_create(
            actor=owner,
            name=f"C{n}-{i}",
            starts_on=date(2027 + i, 1, 1),
            ends_on=date(2027 + i, 3, 31),
            state="active",
        )
        goal = make_goal(owner, cycle, f"G{n}-{i}", team_id=team.pk, owner_id=ada.user_id)
        make_key_result(owner, goal, f"KR{n}-{i}", owner_id=ada.user_id)
        review_write(actor=ada, cycle_id=cycle.pk, team_id=team.pk, what_worked="x")
        extra = make_team(owner, f"T{n}-{i}")
        team_member_set(actor=owner, team_id=extra.pk, user_id=ada.user_id)
        _proposal_to_ada(owner, world, f"D{n}-{i}", timezone.localdate() + timedelta(days=i + 1))


def _proposal_to_ada(owner, world, title, needed_by):
    """A member of Platform (which Ada leads) proposes; at level 1 the proposal waits for Ada."""
    team = world["team"]
    team_member_set(actor=owner, team_id=team.pk, user_id=world["ada"].user_id, is_lead=True)
    member = make_person(owner, Role.MEMBER, team=team)
    result = record(member, team, world["domain"], title, needed_by=needed_by)
    assert result.decision.addressed_to_id == world["ada"].user_id and result.decision.is_open
    return member, result.decision


def test_a_decision_due_and_waiting_for_me_is_in_my_feed_until_decided(client, owner, world):
    ada, bob = world["ada"], world["bob"]
    due = timezone.localdate() + timedelta(days=3)
    carol, mine = _proposal_to_ada(owner, world, "Pick a CI vendor", due)
    _, undated = _proposal_to_ada(owner, world, "No day named", None)
    # Bob's team has its own lead: his proposal waits for Dan, not for Ada.
    dan = make_person(owner, Role.LEADER, team=world["other_team"], is_lead=True, full_name="Dan")
    bobs = record(bob, world["other_team"], world["domain"], "Bob's pricing", needed_by=due).decision
    assert bobs.addressed_to_id == dan.user_id
    url = _rotate(ada)
    events = _events(_fetch(client, url))
    event = events[f"decision-{mine.pk}-due"]
    assert str(event["SUMMARY"]) == "Decide: Pick a CI vendor"
    assert event.decoded("DTSTART") == due and event.decoded("DTEND") == due + timedelta(days=1)
    assert str(event["URL"]) == settings.CHARTER_BASE_URL + reverse("decision_detail", args=[mine.pk])
    assert "waits for your answer" in str(event["DESCRIPTION"])
    assert f"decision-{bobs.pk}-due" not in events and f"decision-{undated.pk}-due" not in events
    # The one who recorded it sees it in their feed too, as their own record waiting.
    carol_events = _events(_fetch(client, _rotate(carol)))
    assert "You recorded" in str(carol_events[f"decision-{mine.pk}-due"]["DESCRIPTION"])
    # Bob's and Dan's feeds have Bob's; a stranger's record is not in Bob's.
    assert set(_events(_fetch(client, _rotate(bob)))) >= {f"decision-{bobs.pk}-due"}
    assert f"decision-{mine.pk}-due" not in _events(_fetch(client, _rotate(bob)))
    assert f"decision-{bobs.pk}-due" in _events(_fetch(client, _rotate(dan)))
    # Once decided it waits no more: gone from both feeds.
    decision_respond(actor=refresh_actor(ada.user, ada.organization), decision_id=mine.pk, action="decide")
    assert f"decision-{mine.pk}-due" not in _events(_fetch(client, url))
    assert f"decision-{mine.pk}-due" not in _events(_fetch(client, _rotate(carol)))


def test_another_organizations_decision_is_never_in_my_feed(client, owner, world, other_owner):
    ada = world["ada"]
    due = timezone.localdate() + timedelta(days=2)
    Membership.objects.create(organization=other_owner.organization, user=ada.user, role=Role.MEMBER)
    globex_team = make_team(other_owner, "Globex ops")
    team_member_set(actor=other_owner, team_id=globex_team.pk, user_id=ada.user_id, is_lead=True)
    globex_member = make_person(other_owner, Role.MEMBER, team=globex_team)
    theirs = record(globex_member, globex_team, make_domain(other_owner, "Globex buying"), "Globex deal",
                    needed_by=due).decision  # fmt: skip
    assert theirs.addressed_to_id == ada.user_id  # it does wait for Ada, in Globex
    _, ours = _proposal_to_ada(owner, world, "Acme choice", due)
    text = _fetch(client, _rotate(ada)).content.decode()
    assert "Globex" not in text and f"decision-{theirs.pk}-due" not in text
    assert f"decision-{ours.pk}-due" in text


def test_the_feeds_queries_do_not_grow_with_rows(client, owner, world):
    url = _rotate(world["ada"])
    counts = []
    for n in (1, 6):
        _grow(owner, world, n)
        client.cookies.clear()
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(_path(url))
        assert answer.status_code == 200
        counts.append(len(queries))
    events = _events(answer)
    assert sum(1 for uid in events if "-check-in-" in uid) >= 7
    assert sum(1 for uid in events if uid.startswith("decision-")) == 7
    assert counts[0] == counts[1], counts


def test_the_account_pages_turn_the_feed_on_show_it_once_and_off(client, login, world):
    ada = world["ada"]
    web = login(ada)
    assert b"Manage your calendar feed" in web.get(reverse("account")).content
    assert b"Turn the feed on" in web.get(reverse("calendar_settings")).content
    made = web.post(reverse("calendar_rotate"))
    assert made.status_code == 200
    feed_url = made.context["new_url"]
    assert (
        feed_url.startswith(settings.CHARTER_BASE_URL + "/calendar/cal_")
        and feed_url.encode() in made.content
    )
    again = web.get(reverse("calendar_settings"))
    assert feed_url.encode() not in again.content and b"Turn the feed off" in again.content
    assert web.post(reverse("calendar_revoke")).status_code == 302
    assert _fetch(client, feed_url).status_code == 404


def test_the_api_gets_rotates_and_revokes_ones_feed(client, world):
    ada = world["ada"]
    bearer = {"Authorization": f"Bearer {token_create(actor=ada, name='t')[1]}"}
    assert client.get("/api/v1/calendar-feed", headers=bearer).json() == {
        "active": False, "created_at": None, "url": None,
    }  # fmt: skip
    made = client.post("/api/v1/calendar-feed/rotate", headers=bearer)
    assert made.status_code == 201
    url = made.json()["url"]
    status = client.get("/api/v1/calendar-feed", headers=bearer).json()
    assert status["active"] is True and status["url"] is None
    assert client.get(_path(url)).status_code == 200
    assert client.delete("/api/v1/calendar-feed", headers=bearer).status_code == 204
    assert client.get(_path(url)).status_code == 404
    read_only = {"Authorization": f"Bearer {token_create(actor=ada, name='r', scopes=['read'])[1]}"}
    assert client.post("/api/v1/calendar-feed/rotate", headers=read_only).status_code == 403
    assert json.loads(client.get("/api/v1/calendar-feed", headers=bearer).content)["active"] is False
