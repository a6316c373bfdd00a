"""A person's feed as an iCalendar (RFC 5545) document, built with `icalendar`.

Cycles are all-day events (their start and end days); each of the person's teams reviews each cycle on
its last day (or on the day its retrospective was submitted); the weekly check-in recurs while a cycle
the person owns key results in is active; delegation poker deadlines are timed; an open decision with a
decide-by day that waits for the person, or that they recorded, is an all-day "Decide: …" on that day.
Every event has a UID that stays the same from one fetch to the next, and a URL back to Charter. Times
are in the person's time zone (their profile's, else the installation's), with its VTIMEZONE in the
document.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from .selectors import FeedData

CHECK_IN_UTC = time(8, 0)  # when the weekly check-in reminders go out (notifications.scheduler)
CHECK_IN_LENGTH = timedelta(minutes=30)
DONE_POKER = "revealed"


def _host() -> str:
    return settings.CHARTER_BASE_URL.split("://", 1)[-1].split("/", 1)[0] or "charter"


def _absolute(path: str) -> str:
    return f"{settings.CHARTER_BASE_URL}{path}"


def person_zone(user) -> ZoneInfo:
    return ZoneInfo(user.time_zone or settings.TIME_ZONE)


def _event(uid: str, summary: str, url: str, stamp: datetime, description: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@{_host()}")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("url", url)
    if description:
        event.add("description", description)
    return event


def _all_day(event: Event, day: date) -> Event:
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a whole-day marker, not a busy day
    return event


def _first_monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def build(*, organization, user, data: FeedData, now: datetime | None = None) -> bytes:
    stamp = (now or timezone.now()).astimezone(UTC)
    zone = person_zone(user)
    cal = Calendar()
    cal.add("prodid", "-//Charter//Calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Charter: {organization.name}")
    cal.add("x-wr-timezone", zone.key)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cycle_url = _absolute(reverse("cycle_list"))
    cycles = {c["id"]: c for c in data.cycles}
    for c in data.cycles:
        cal.add_component(
            _all_day(
                _event(f"cycle-{c['id']}-start", f"{c['name']} starts", cycle_url, stamp), c["starts_on"]
            )
        )
        cal.add_component(
            _all_day(_event(f"cycle-{c['id']}-end", f"{c['name']} ends", cycle_url, stamp), c["ends_on"])
        )
    submitted = {(r["cycle_id"], r["team_id"]): r for r in data.reviews}
    for c in data.cycles:
        for team in data.teams:
            review = submitted.get((c["id"], team["id"]))
            done = review is not None and review["submitted_at"] is not None
            day = review["submitted_at"].astimezone(zone).date() if done else c["ends_on"]
            summary = f"{'Cycle review held' if done else 'Cycle review'}: {team['name']}, {c['name']}"
            what = (
                "The team's retrospective is submitted."
                if done
                else "Grade the team's goals, adapt them, and write the retrospective."
            )
            url = _absolute(f"{reverse('cycle_review', args=[c['id']])}?team={team['id']}")
            uid = f"cycle-{c['id']}-review-team-{team['id']}"
            cal.add_component(_all_day(_event(uid, summary, url, stamp, what), day))
    by_cycle: dict[int, list[str]] = {}
    for kr in data.key_results:
        by_cycle.setdefault(kr["goal__cycle_id"], []).append(kr["title"])
    for cycle_id, titles in by_cycle.items():
        c = cycles[cycle_id]
        monday = _first_monday_on_or_after(c["starts_on"])
        start = datetime.combine(monday, CHECK_IN_UTC, tzinfo=UTC).astimezone(zone)
        until = datetime.combine(c["ends_on"], time(23, 59, 59), tzinfo=zone).astimezone(UTC)
        lines = "\n".join(f"- {t}" for t in titles)
        event = _event(
            f"cycle-{cycle_id}-check-in-user-{user.pk}",
            f"Weekly check-in ({len(titles)} key result{'s' if len(titles) != 1 else ''})",
            _absolute(reverse("check_in_week")),
            stamp,
            f"Record progress and confidence for your key results in {c['name']}:\n{lines}",
        )
        event.add("dtstart", start)
        event.add("dtend", start + CHECK_IN_LENGTH)
        event.add("rrule", vRecur(freq="WEEKLY", until=until))
        cal.add_component(event)
    for p in data.poker:
        when = p["deadline"].astimezone(zone)
        state = "the cards turned" if p["state"] == DONE_POKER else "pick your cards before then"
        event = _event(
            f"poker-{p['id']}-deadline",
            f"Delegation poker: {p['title']}",
            _absolute(reverse("poker_detail", args=[p["id"]])),
            stamp,
            f"The cards turn at this time ({state}).",
        )
        event.add("dtstart", when)
        event.add("dtend", when + timedelta(minutes=15))
        cal.add_component(event)
    for d in data.decisions:
        waits_on_me = d["addressed_to_id"] == user.pk
        what = (
            "This decision waits for your answer: agree, advise, decide or escalate it."
            if waits_on_me
            else "You recorded this decision; it waits for an answer."
        )
        event = _event(
            f"decision-{d['id']}-due",
            f"Decide: {d['title']}",
            _absolute(reverse("decision_detail", args=[d["id"]])),
            stamp,
            what,
        )
        cal.add_component(_all_day(event, d["needed_by"]))
    cal.add_missing_timezones()
    return cal.to_ical()
