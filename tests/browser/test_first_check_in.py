"""From an empty installation to a team's first check-in, in a real browser and without any command line:
the setup page, the owner's organization, a team, an invitation emailed through a real SMTP server and its
link followed, the invitee's account, the mission, three goals with intent and two key results each, and
the invitee's first check-in. It counts what a person does (page loads, fields typed, clicks) and writes
the count with an estimate of their time to artifacts/first-check-in.json."""

import json
import re

import pytest

from charter.goals.models import CheckIn, Goal, KeyResult
from charter.organizations import first_run
from charter.organizations.models import Membership, Organization, Role
from tests.browser.conftest import SCREENSHOTS
from tests.smtp import smtp_server  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A person's pace, to turn the counts into minutes: reading a page, a click or a choice, a character typed
# (about 40 words a minute, thinking included).
SECONDS_PER_PAGE, SECONDS_PER_CLICK, SECONDS_PER_CHARACTER = 5.0, 2.0, 0.3
KINDS = {"increase": "Increase to a target", "decrease": "Decrease to a target (lower is better)"}

GOALS = [
    (
        "Regulars come back every week",
        "A bakery lives on its regulars; one who skips a week is halfway to a competitor.",
        "Most of our customers visit weekly and say the shop is theirs.",
        "No discounts deeper than 10%.",
        "The team picks the offers, the loyalty card and the events.",
        [
            ("Weekly returning customers", "increase", "120", "200", "customers"),
            ("Wasted loaves", "decrease", "40", "15", "loaves"),
        ],
    ),
    (
        "Orders ready before the morning rush",
        "Office customers order ahead and leave if their order is late.",
        "Every pre-order is packed by 7:30 without overtime.",
        "No night shifts.",
        "The team decides the baking order and the packing station.",
        [
            ("Pre-orders ready by 7:30", "increase", "60", "98", "%"),
            ("Late orders a week", "decrease", "12", "2", "orders"),
        ],
    ),
    (
        "A second shop opens in the harbour",
        "The harbour has no bakery and the ferry passengers ask for one.",
        "The harbour shop sells out most days within its first month.",
        "No loan above the bank's first offer.",
        "The team chooses the site, the fit-out and the opening menu.",
        [
            ("Harbour site signed", "increase", "0", "1", "site"),
            ("Opening-week sales", "increase", "0", "3000", "EUR"),
        ],
    ),
]


class Walk:
    """A page that counts a person's work: page loads, fields typed and characters, clicks and choices.
    `within` narrows a field's label to one part of the page (a check-in row)."""

    def __init__(self, page):
        self.page, self.loads, self.fields, self.characters, self.clicks = page, 0, 0, 0, 0
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.loads += 1

    def fill(self, label, text, *, within=None, exact=False):
        (within or self.page).get_by_label(label, exact=exact).fill(text)
        self.fields, self.characters = self.fields + 1, self.characters + len(text)

    def choose(self, label, *, option, exact=False):
        self.page.get_by_label(label, exact=exact).select_option(label=option)
        self.clicks += 2  # open the list, pick

    def click(self, locator):
        locator.click()
        self.clicks += 1

    def press(self, role, name):
        with self.page.expect_navigation():
            self.click(self.page.get_by_role(role, name=name, exact=True))

    def go(self, path):
        """Following a link of the top bar or of a page (one click)."""
        self.clicks += 1
        self.page.goto(path)

    def seconds(self) -> float:
        return (
            self.loads * SECONDS_PER_PAGE
            + self.clicks * SECONDS_PER_CLICK
            + self.characters * SECONDS_PER_CHARACTER
        )


@pytest.fixture(autouse=True)
def empty():
    first_run.forget()
    yield
    first_run.forget()


def test_from_an_empty_installation_to_a_first_check_in(browser, live_server, smtp_server, settings, shot):  # noqa: F811
    settings.CHARTER_BASE_URL = live_server.url
    contexts = [browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})]
    owner = Walk(contexts[0].new_page())
    page = owner.page

    owner.go("/")
    assert page.url.endswith("/setup/")
    owner.fill("Your name", "Olga Owner")
    owner.fill("Your email", "olga@harbour-bakery.example")
    owner.fill("Password", "olga-owns-the-oven-7", exact=True)
    owner.fill("Password again", "olga-owns-the-oven-7")
    owner.fill("Organization", "Harbour Bakery")
    shot(page, "first-check-in-01-setup")
    owner.press("button", "Create my organization")
    org = Organization.objects.get(slug="harbour-bakery")
    shot(page, "first-check-in-02-home")

    owner.go("/teams/new/")
    owner.fill("Name", "Bakery floor", exact=True)
    owner.press("button", "Create team")
    shot(page, "first-check-in-03-team")

    owner.go("/people/")
    owner.fill("Email addresses", "ben@harbour-bakery.example")
    owner.choose("Team", option="Bakery floor")
    owner.click(page.get_by_role("button", name="Send invitations"))
    page.get_by_text("Invitation sent by email").wait_for()
    shot(page, "first-check-in-04-invited")
    email = smtp_server.wait_for(to="ben@harbour-bakery.example")
    link = smtp_server.link_in(email, r"/invitations/[^/]+/$")
    assert link.startswith(live_server.url)

    contexts.append(browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}))
    invitee = Walk(contexts[1].new_page())
    invitee.page.goto(link)  # from the email
    invitee.page.get_by_role("heading", name="Join Harbour Bakery").wait_for()
    invitee.fill("Your name", "Ben Baker")
    invitee.fill("Password", "bens-sourdough-starter-42", exact=True)
    invitee.fill("Password again", "bens-sourdough-starter-42")
    shot(invitee.page, "first-check-in-05-accept")
    invitee.press("button", "Join Harbour Bakery")
    membership = Membership.objects.for_org(org).get(user__email="ben@harbour-bakery.example")
    assert membership.role == Role.MEMBER
    shot(invitee.page, "first-check-in-06-joined")

    owner.go("/mission/edit/")
    owner.fill("Mission", "Fresh bread for our harbour town, baked where people can watch.")
    owner.fill("Value 1 name", "Craft", exact=True)
    owner.fill("Value 1: what it means in practice", "We bake by hand and tell customers how.", exact=True)
    shot(page, "first-check-in-07-mission")
    owner.press("button", "Save the mission")

    for title, purpose, end_state, constraints, freedoms, key_results in GOALS:
        owner.go("/goals/new/")
        owner.fill("Title", title, exact=True)
        owner.choose("Team", option="Bakery floor", exact=True)
        owner.choose("Accountable person", option="Ben Baker", exact=True)
        owner.fill("Purpose", purpose, exact=True)
        owner.fill("End state", end_state, exact=True)
        owner.fill("Constraints", constraints, exact=True)
        owner.fill("Freedoms", freedoms, exact=True)
        owner.press("button", "Create goal")
        owner.click(page.get_by_role("link", name="Add key result").first)
        page.wait_for_url("**/key-results/new/")
        for n, (kr_title, kind, start, target, unit) in enumerate(key_results):
            owner.fill("Title", kr_title, exact=True)
            owner.choose("Kind", option=KINDS[kind], exact=True)
            owner.fill("Start", start, exact=True)
            owner.fill("Target", target, exact=True)
            owner.fill("Unit", unit, exact=True)
            owner.press("button", "Add and add another" if n == 0 else "Add key result")
    shot(page, "first-check-in-08-goal")
    assert Goal.objects.for_org(org).filter(team__name="Bakery floor").count() == 3
    assert KeyResult.objects.for_org(org).count() == 6

    invitee.go("/check-in/")
    shot(invitee.page, "first-check-in-09-check-in-page")
    row = invitee.page.get_by_role("listitem", name="Check-in on Weekly returning customers")
    invitee.fill(re.compile(r"^Value"), "131", within=row)
    invitee.fill("Confidence", "8", within=row, exact=True)
    invitee.fill("Note", "The Saturday tasting brought eleven new regulars.", within=row, exact=True)
    row.get_by_label("Note", exact=True).press("Enter")
    row.get_by_role("status").wait_for()
    shot(invitee.page, "first-check-in-10-checked-in")
    check_in = CheckIn.objects.for_org(org).get()
    assert check_in.value == 131 and check_in.author.email == "ben@harbour-bakery.example"

    walks = {"owner": owner, "invitee": invitee}
    report = {
        who: {"page_loads": w.loads, "fields": w.fields, "characters": w.characters, "clicks": w.clicks}
        for who, w in walks.items()
    }
    typing = sum(w.characters for w in walks.values()) * SECONDS_PER_CHARACTER
    total = sum(w.seconds() for w in walks.values())
    report["estimate_minutes"] = {"total": round(total / 60, 1), "typing": round(typing / 60, 1)}
    report["pace"] = {
        "seconds_per_page": SECONDS_PER_PAGE,
        "seconds_per_click": SECONDS_PER_CLICK,
        "seconds_per_character": SECONDS_PER_CHARACTER,
    }
    (SCREENSHOTS.parent / "first-check-in.json").write_text(json.dumps(report, indent=2))
    print("first check-in walk:", json.dumps(report))
    # What the interface costs beyond typing the mission, goals and key results themselves: pages and clicks.
    assert total - typing < 5 * 60, f"pages and clicks alone take about {(total - typing) / 60:.1f} min"
    for context in contexts:
        context.close()
