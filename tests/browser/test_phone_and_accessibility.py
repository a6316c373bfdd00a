"""Phone width and accessibility in a real browser, on the demo organization (the data a newcomer sees).

At 390 × 844 (a phone) every main page fits the screen's width, with no sideways scrolling, and the
collapsed menu opens and takes you to a page; axe-core (shipped inside axe-playwright-python, nothing
downloaded) finds no serious or critical violation, colour contrast included, on the main pages.
"""

import re

import pytest
from django.core.management import call_command

from charter.goals.models import Goal, KeyResult
from charter.organizations import first_run
from charter.organizations.models import Organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_EMAIL, DEMO_PASSWORD = "demo@charter.local", "charter-demo-2026"
LONG_WORD = "Interoperability" * 6  # a title pasted as one unbroken token


@pytest.fixture
def demo(tmp_path, django_user_model):
    """The demo organization; the demo login owns some key results (so the check-in page has rows) and
    one goal's title is a single long word."""
    call_command("demo", stdout=(tmp_path / "out.txt").open("w"))
    org = Organization.objects.get()
    user = django_user_model.objects.get(email=DEMO_EMAIL)
    goal = (
        Goal.objects.for_org(org).filter(parent__isnull=False, cycle__state="active").order_by("id").first()
    )
    krs = KeyResult.objects.for_org(org).filter(goal__cycle__state="active").order_by("id")
    KeyResult.objects.for_org(org).filter(pk__in=[kr.pk for kr in krs[:3]]).update(owner_id=user.pk)
    long_goal = Goal.objects.for_org(org).filter(cycle__state="active").exclude(pk=goal.pk).order_by("-id")[0]
    Goal.objects.for_org(org).filter(pk=long_goal.pk).update(title=f"{LONG_WORD} for clinics")
    return {"org": org, "goal": goal, "long_goal": long_goal}


def _context(browser, live_server, width, height):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text))
    return context, page


@pytest.fixture
def phone(browser, live_server):
    context, page = _context(browser, live_server, 390, 844)
    yield page
    context.close()
    assert not page.csp_violations, "CSP violations in the console:\n" + "\n".join(page.csp_violations)


@pytest.fixture
def desktop(browser, live_server):
    context, page = _context(browser, live_server, 1280, 900)
    yield page
    context.close()
    assert not page.csp_violations, "CSP violations in the console:\n" + "\n".join(page.csp_violations)


def _sign_in(page):
    page.goto("/login/")
    page.get_by_label("Email", exact=True).fill(DEMO_EMAIL)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _main_pages(demo) -> dict[str, str]:
    return {
        "home": "/",
        "strategy-map": "/map/",
        "goal": f"/goals/{demo['goal'].pk}/",
        "goal-long-title": f"/goals/{demo['long_goal'].pk}/",
        "goal-list": "/goals/",
        "check-in": "/check-in/",
        "decision-log": "/decisions/",
        "delegation-board": "/delegation/",
        "delegation-advice": "/delegation/advice/",
        "insights": "/insights/",
        "insights-profile": "/insights/profile/",
        "people": "/people/",
        "lessons": "/help/lessons/",
        "lesson": "/help/lessons/delegation/",
    }


OVERFLOW = """() => {
  const w = window.innerWidth, skip = ".table-responsive, .goal-tab-list, .visually-hidden";
  return [...document.querySelectorAll("body *")].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > w + 1 && !e.closest(skip);
  }).slice(0, 5).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);
}"""


def _overflow(page) -> list[str]:
    """What sticks out of the viewport on the right (empty when the page fits)."""
    return page.evaluate(OVERFLOW)


def test_main_pages_fit_a_phone_and_the_menu_opens_and_navigates(phone, shot, demo):
    _sign_in(phone)
    for name, url in _main_pages(demo).items():
        phone.goto(url)
        phone.wait_for_load_state("networkidle")
        widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        shot(phone, f"phone-{name}")
        assert widths[0] == widths[1], f"{name} ({url}) scrolls sideways at 390 px: {_overflow(phone)}"
        if name in ("goal", "insights", "insights-profile"):  # what a screen reader hears of the charts
            for chart in phone.locator("[id$=-chart][role=img]").all():
                said = chart.get_attribute("aria-label")
                assert "NaN" not in said and not re.search(r"\d{10}|T\d\d:\d\d", said), said
                months = r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b.*\b20\d\d\b"
                assert name != "goal" or re.search(months, said), said  # "Dec 5, 2026"
        if name == "goal-long-title":  # the long word wraps, the Edit button stays on the screen
            assert LONG_WORD in phone.locator("h1").inner_text()
            box = phone.get_by_role("link", name="Edit", exact=True).bounding_box()
            assert box["x"] + box["width"] <= 390

    phone.goto("/")
    links = phone.get_by_role("navigation", name="Main")
    assert not links.is_visible(), "the menu is collapsed on a phone"
    toggler = phone.get_by_role("button", name="Menu")
    assert toggler.get_attribute("aria-expanded") == "false"
    toggler.click()
    expect_open = phone.get_by_role("button", name="Lead")
    expect_open.wait_for()
    assert toggler.get_attribute("aria-expanded") == "true"
    assert phone.get_by_role("search").is_visible(), "the search box is in the opened menu"
    expect_open.click()
    shot(phone, "phone-menu-open")
    with phone.expect_navigation():
        phone.get_by_role("link", name="Decisions", exact=True).click()
    assert phone.url.endswith("/decisions/")
    assert phone.get_by_role("link", name=re.compile("^Inbox")).is_visible(), "the inbox stays in the top bar"


def test_menu_works_by_keyboard_and_the_focus_ring_shows_in_the_dark_bar(phone, demo):
    _sign_in(phone)
    phone.goto("/")
    toggler = phone.get_by_role("button", name="Menu")
    toggler.focus()
    phone.keyboard.press("Enter")
    plan = phone.get_by_role("button", name="Plan")
    plan.wait_for()
    assert toggler.get_attribute("aria-expanded") == "true"
    plan.focus()
    phone.keyboard.press("Enter")
    phone.keyboard.press("ArrowDown")
    assert phone.evaluate("document.activeElement.textContent") == "Strategy map"
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert phone.url.endswith("/map/")
    # Keyboard focus shows a ring that stands out on the dark top bar: Tab to the skip link, then the brand.
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    style = phone.evaluate(
        "(() => { const e = document.activeElement, s = getComputedStyle(e);"
        " return [e.className, s.outlineStyle, s.outlineColor]; })()"
    )
    assert style == ["navbar-brand fw-bold me-3", "solid", "rgb(255, 212, 59)"], style


def test_goal_page_tabs_open_by_keyboard_and_by_address(desktop, shot, demo):
    _sign_in(desktop)
    goal = demo["goal"]
    desktop.goto(f"/goals/{goal.pk}/")
    tabs = desktop.get_by_role("tablist", name="More about this goal")
    assert desktop.get_by_role("tab", name=re.compile("^Check-ins")).get_attribute("aria-selected") == "true"
    assert not desktop.locator("#tab-discussion").is_visible(), "other sections wait behind their tab"
    desktop.get_by_role("tab", name=re.compile("^Check-ins")).focus()
    desktop.keyboard.press("ArrowRight")
    assert desktop.get_by_role("tab", name="Alignment").get_attribute("aria-selected") == "true"
    assert desktop.locator("#tab-alignment").is_visible()
    tabs.get_by_role("tab", name="Discussion").click()
    assert desktop.locator("#tab-discussion").is_visible()
    assert desktop.url.endswith("#tab-discussion"), "the open tab is in the address, for a reload"
    shot(desktop, "goal-tabs")
    desktop.goto(f"/goals/{goal.pk}/#revisions")
    desktop.locator("#revisions").wait_for(state="visible")


@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_serious_or_critical_violation(browser, live_server, demo, width):
    from axe_playwright_python.sync_playwright import Axe

    context, page = _context(browser, live_server, width, 900)
    axe = Axe()
    pages = {"sign-in": "/login/"}
    problems = []
    try:
        page.goto("/login/")
        problems += _serious(axe, page, "sign-in")
        _sign_in(page)
        pages = _main_pages(demo)
        for name, url in pages.items():
            page.goto(url)
            page.wait_for_load_state("networkidle")
            problems += _serious(axe, page, name)
    finally:
        context.close()
    assert not problems, "axe-core at {} px:\n{}".format(width, "\n".join(problems))


def _serious(axe, page, name) -> list[str]:
    results = axe.run(page)
    return [
        f"{name}: {v['id']} ({v['impact']}) {v['help']}: "
        + "; ".join(f"{n['target']} {n.get('failureSummary', '')[:160]!r}" for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_back_in_a_moment_page_fits_a_phone_and_passes_axe(browser, live_server, width):
    """The database gone (finding 20): the 503 page fits 390 px and has no serious axe violation."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.test_database_unavailable import GONE, database_says

    context, page = _context(browser, live_server, width, 844)
    # An anonymous page reads the database only to learn whether Charter is set up, and a process
    # remembers that once it is: forget it, so this page asks the database (which is gone).
    first_run.forget()
    try:
        with database_says(GONE):
            response = page.goto("/goals/")
            page.wait_for_load_state("networkidle")
            assert response.status == 503 and response.headers["retry-after"]
            assert page.get_by_role("heading", name="Back in a moment").is_visible()
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            problems = _serious(Axe(), page, "503")
    finally:
        context.close()
    assert widths[0] <= widths[1], widths
    assert not problems, "\n".join(problems)
