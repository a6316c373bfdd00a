"""Delegation poker in a real browser: five people, each in their own browser context, pick in private;
nobody sees another's card until the last card turns them all at once (live, without reloading); the
spread is discussed in the session's comments; the leader sets the team's level from the session, and the
board's history links back to it."""

import re

import pytest

from charter.delegation.tests.factories import make_cast, make_domain
from charter.organizations.models import Role
from charter.organizations.tests.factories import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person_page(browser, live_server, actor, violations):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.goto("/login/")
    page.get_by_label("Email", exact=True).fill(actor.user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r":\d+/$"))
    return page


def _lay(page, domain, level):
    row = page.locator(f"#poker-row-{domain.pk}")
    row.locator(f"button[name=level][value='{level}']").click()
    row.locator(".poker-mine").wait_for()  # the table came back with my card on it


def test_five_people_pick_in_private_the_cards_turn_at_once_and_the_level_is_set(
    browser, live_server, shot, owner
):
    cast = make_cast(owner)
    hiring = make_domain(owner, "Hiring")
    dee = make_person(owner, Role.MEMBER, team=cast.product, full_name="Dee Dev")
    eve = make_person(owner, Role.MEMBER, team=cast.product, full_name="Eve Ops")
    violations: list[str] = []
    people = {
        name: _person_page(browser, live_server, actor, violations)
        for name, actor in [("lead", owner), ("ana", cast.ana), ("bob", cast.bob), ("dee", dee), ("eve", eve)]
    }
    lead = people["lead"]

    # The leader opens a session for Product on two domains; the team's people are invited.
    lead.goto("/delegation/poker/new/")
    lead.get_by_label("Title").fill("Product: how much do we let go?")
    lead.get_by_label("Team", exact=True).select_option(str(cast.product.pk))
    lead.get_by_role("checkbox", name="Pricing").check()
    lead.get_by_role("checkbox", name="Hiring").check()
    with lead.expect_navigation():
        lead.get_by_role("button", name="Open the session").click()
    url = lead.url
    assert "/delegation/poker/" in url
    for page in people.values():
        if page is not lead:
            page.goto(url)
        assert page.locator("#poker-state").inner_text().startswith("Picking")

    # Bob lays his cards; Ana (live, without reloading) sees that he picked, never what.
    _lay(people["bob"], cast.domain, 6)
    _lay(people["bob"], hiring, 5)
    assert "6 inquire" in people["bob"].locator(f"#poker-row-{cast.domain.pk} .poker-mine").inner_text()
    ana = people["ana"]
    ana.get_by_text("Bob Member: picked").wait_for()
    assert ana.locator(".poker-mine").count() == 0
    assert ana.locator(".poker-turned").count() == 0
    assert ana.locator("[aria-pressed=true]").count() == 0
    assert "Bob Member" in ana.content() and "poker-spread" not in ana.content()
    shot(ana, "delegation-poker-picking")

    cards = {"lead": (4, 3), "ana": (5, 4), "dee": (5, 4), "eve": (3, 5)}
    for name, (pricing, hire) in list(cards.items())[:-1]:
        _lay(people[name], cast.domain, pricing)
        _lay(people[name], hiring, hire)
    # Four of five have picked: still nobody sees anyone else's card.
    for page in people.values():
        assert page.locator(".poker-turned").count() == 0
    eve_page = people["eve"]
    _lay(eve_page, cast.domain, 3)
    eve_page.locator(f"#poker-row-{hiring.pk} button[name=level][value='5']").click()

    # The last card turns them all: every context shows the same five cards, without reloading.
    for page in people.values():
        page.get_by_text("The cards are turned").wait_for()
        turned = page.locator(f"#poker-row-{cast.domain.pk} .poker-turned")
        assert turned.count() == 5
        assert sorted(turned.locator(".level-badge").all_inner_texts()) == [
            "3 consult",
            "4 agree",
            "5 advise",
            "5 advise",
            "6 inquire",
        ]
        assert "Spread: 3 to 6, median 5" in page.locator(f"#poker-row-{cast.domain.pk}").inner_text()
    shot(lead, "delegation-poker-revealed")

    # The spread is discussed in the session's comments, live for the room: Ana sees Bob's comment without
    # reloading, and what she is typing meanwhile stays in her box.
    bob, ana = people["bob"], people["ana"]
    ana.get_by_label("Add a comment").fill("Half-written: I picked 3 because")
    bob.get_by_label("Add a comment").fill("We price every deal ourselves already: 6 would fit.")
    bob.get_by_role("button", name="Comment").click()
    bob.get_by_text("We price every deal ourselves already").wait_for()
    ana.get_by_text("We price every deal ourselves already").wait_for()
    assert ana.get_by_label("Add a comment").input_value() == "Half-written: I picked 3 because"

    # The leader sets Pricing to 5 from the session; the board's history links back to it.
    row = lead.locator(f"#poker-row-{cast.domain.pk}")
    row.get_by_label("Level for Product in Pricing").select_option("5")
    row.get_by_label("What the team agreed").fill("Bob's case for 6 next quarter, 5 for now")
    with lead.expect_navigation():
        row.get_by_role("button", name="Set on the board").click()
    lead.get_by_text("Level set on the board, linked to this session.").wait_for()
    bob.locator(f"#poker-set-{cast.domain.pk}").wait_for()  # the others see it live
    shot(lead, "delegation-poker-level-set")
    with lead.expect_navigation():
        lead.locator(f"#poker-set-{cast.domain.pk}").get_by_role(
            "link", name="See the board's history"
        ).click()
    history = lead.locator("main").inner_text()
    assert (
        "Delegation poker “Product: how much do we let go?”" in history and "picks 3–6, median 5" in history
    )
    link = lead.get_by_role("link", name="From delegation poker: Product: how much do we let go?")
    assert link.get_attribute("href") == url.removeprefix(live_server.url)
    shot(lead, "delegation-poker-history")
    lead.goto("/delegation/")
    assert "5 advise" in lead.locator(f"#cell-{cast.product.pk}-{cast.domain.pk}").inner_text()

    for page in people.values():
        page.context.close()
    assert not violations, "CSP violations in the console:\n" + "\n".join(violations)


def test_a_session_fits_a_phone_works_by_keyboard_and_passes_axe(browser, live_server, shot, owner):
    """At 390 px the session (picking, then turned) does not scroll sideways and axe-core finds no serious
    or critical violation; a card is laid with the keyboard alone."""
    from axe_playwright_python.sync_playwright import Axe

    from charter.delegation import services

    cast = make_cast(owner)
    session = services.poker_open(actor=owner, team_id=cast.product.pk, domain_ids=[cast.domain.pk])
    services.poker_pick(actor=cast.ana, session_id=session.pk, domain_id=cast.domain.pk, level=5)
    violations: list[str] = []
    page = _person_page(browser, live_server, cast.bob, violations)
    page.set_viewport_size({"width": 390, "height": 844})
    problems = []
    page.goto(f"/delegation/poker/{session.pk}/")
    card = page.locator(f"#poker-row-{cast.domain.pk} button[name=level][value='6']")
    card.focus()
    page.keyboard.press("Enter")
    page.locator(".poker-mine").wait_for()
    for name in ("picking", "turned"):
        if name == "turned":
            services.poker_reveal(actor=owner, session_id=session.pk)
            page.get_by_text("The cards are turned").wait_for()  # live, without reloading
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{name} scrolls sideways at 390 px: {widths}"
        for v in Axe().run(page).response["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{name}: {v['id']} {v['help']} {[n['target'] for n in v['nodes'][:3]]}")
        shot(page, f"phone-delegation-poker-{name}")
    page.goto("/delegation/poker/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()
    assert not problems, "\n".join(problems)
    assert not violations, "CSP violations in the console:\n" + "\n".join(violations)
