"""The calendar feed in a real browser: from the account page, turn it on, read the address shown once,
fetch it as a calendar app does (no cookie), pass axe, turn it off (the address then answers 404)."""

import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from charter.organizations.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fetch(live_server, address: str):
    """GET the feed from outside the browser: no session, only the address."""
    return urllib.request.urlopen(live_server.url + urlsplit(address).path, timeout=10)


def test_turn_the_feed_on_subscribe_and_turn_it_off(page, live_server, owner, shot):
    from axe_playwright_python.sync_playwright import Axe

    page.goto("/login/")
    page.get_by_label("Email").fill(owner.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r":\d+/$"))
    page.goto("/account/")
    page.get_by_role("link", name="Manage your calendar feed").click()
    page.wait_for_url("**/account/calendar/")
    page.get_by_role("button", name="Turn the feed on").click()
    address = page.get_by_role("textbox", name="Feed address").input_value()
    assert re.search(r"/calendar/cal_[\w-]+\.ics$", address), address
    shot(page, "calendar-feed-on")
    violations = [
        (v["id"], [(n["target"], n.get("failureSummary", "")) for n in v["nodes"]])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not violations, violations

    with _fetch(live_server, address) as answer:
        assert answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
        cal = Calendar.from_ical(answer.read())
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert any(s.endswith(" starts") for s in summaries), summaries  # the organization's first cycle

    page.goto("/account/calendar/")
    assert address not in page.content(), "the address is shown once only"
    page.get_by_role("button", name="Turn the feed off").click()
    page.get_by_text("Your calendar feed is turned off").wait_for()
    with pytest.raises(urllib.error.HTTPError) as refused:
        _fetch(live_server, address)
    assert refused.value.code == 404
