"""Every main page in headless Chromium at a phone's width (390 px) and a laptop's (1366 px), for each role.

At both widths no page scrolls sideways (a wide table scrolls inside its card instead) and nothing is written
to the console. At 390 px the menu button opens the sections. On the board a move the server refuses, or one
whose reason is not given, leaves the card in its column, fully drawn. Each page is saved as a screenshot under
test-artifacts/screenshots/layout/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.models import Opportunity
from investdesk.models.enums import OpportunityStage
from tests.web import live

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "layout"
PAGES = [("/", "home"), ("/organizations", "organizations"), ("/people", "people"), ("/missions", "missions"),
         ("/documents", "documents"), ("/documents/upload", "upload"), ("/opportunities", "opportunities"),
         ("/opportunities/board", "board"), ("/mous", "mous"), ("/mous/pending", "pending"),
         ("/followups", "followups"), ("/reports", "reports"), ("/search?q=pharma", "search"),
         ("/notifications", "notifications")]
ROLES = ["officer", "manager", "nodal", "viewer"]
WIDTHS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}


@pytest.fixture(scope="module")
def demo_desk(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The demo data served by uvicorn for the whole module (the pages are only read, except on the board)."""
    live.need_chromium()
    tmp = tmp_path_factory.mktemp("layout")
    engine = live.copy_of(sqlite_template, tmp)
    with live.demo_desk(engine, tmp) as desk:
        yield desk
    engine.dispose()


def signed_in(browser: Any, desk: dict[str, Any], role: str, viewport: dict[str, int]) -> Any:
    """A new browser context signed in as the demo account of ``role``; console errors collect on the page."""
    context = browser.new_context(base_url=desk["url"], viewport=viewport)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    page.problems = problems
    email = f"{role}@demo.investdesk"
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", desk["users"][email])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    return page


def sideways(page: Any) -> int:
    """How many pixels the page scrolls sideways (0 when it fits its window)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone_and_a_laptop(demo_desk: dict[str, Any], chromium: Any, role: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in WIDTHS.items():
        page = signed_in(chromium, demo_desk, role, viewport)
        overflow: dict[str, int] = {}
        refused: list[str] = []  # pages the role may not open: an error page, which must fit as well
        for path, name in PAGES:
            response = page.goto(path)
            assert response is not None and response.status in (200, 403), f"{role} {path}: {response.status}"
            if response.status == 403:
                refused.append(page.url)
            page.wait_for_load_state("networkidle")
            if page.locator("[data-chart]").count():
                page.wait_for_function("[...document.querySelectorAll('[data-chart]')].every(e => e.dataset.drawn)")
            if sideways(page) > 0:
                overflow[path] = sideways(page)
            if name == "board" and size == "laptop":  # the seven stages side by side, none scrolled out of sight
                assert page.evaluate("(b => b.scrollWidth <= b.clientWidth)(document.querySelector('.board'))")
            page.screenshot(path=str(SHOTS / f"{role}-{size}-{name}.png"), full_page=True)
        assert not overflow, f"{role} at {viewport['width']} px: pages scroll sideways by {overflow} px"
        problems = [p for p in page.problems
                    if not any(p.startswith(f"{url}: ") and "status of 403" in p for url in refused)]
        assert not problems, f"{role} at {viewport['width']} px: console errors {problems}"
        page.context.close()


def test_the_menu_button_opens_the_sections_on_a_phone(demo_desk: dict[str, Any], chromium: Any) -> None:
    page = signed_in(chromium, demo_desk, "officer", WIDTHS["phone"])
    nav, button = page.locator("#sidenav"), page.locator("[data-menu-toggle]")
    assert button.is_visible() and not nav.is_visible()
    # The search box is a real, wide field on a phone, and the top bar shows the person's name.
    assert page.locator("#top-q").bounding_box()["width"] > 300
    assert page.locator(".topbar .user-name").inner_text() == "Rahul Mishra"
    page.wait_for_load_state("networkidle")
    button.click()
    expect(nav).to_be_visible()
    assert button.get_attribute("aria-expanded") == "true"
    page.wait_for_timeout(300)  # the drawer's slide
    page.screenshot(path=str(SHOTS / "officer-phone-menu.png"))
    page.keyboard.press("Escape")
    page.wait_for_function("!document.body.classList.contains('nav-open')")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    expect(nav).to_be_visible()
    nav.locator("a", has_text="Pending MoUs").click()
    page.wait_for_url(re.compile(r"/mous/pending$"))
    assert not nav.is_visible()
    # On a laptop the sections are always there and the button is not.
    wide = signed_in(chromium, demo_desk, "officer", WIDTHS["laptop"])
    assert wide.locator("#sidenav").is_visible() and not wide.locator("[data-menu-toggle]").is_visible()
    assert not page.problems and not wide.problems, page.problems + wide.problems
    page.context.close()
    wide.context.close()


def _card_state(page: Any, card_id: int) -> dict[str, Any]:
    return page.evaluate("""(id) => { const c = document.getElementById('card-' + id);
        return {stage: c.closest('.board-column').dataset.stage, opacity: getComputedStyle(c).opacity,
                classes: c.className}; }""", card_id)


def _drag(page: Any, card: Any, stage: str) -> None:
    """Drag ``card`` onto the column of ``stage`` once the board is at rest (no animation, no request in flight)."""
    page.wait_for_function("""() => !document.querySelector(
        '.htmx-request, .board-card.saving, .board-card[style*=transform], dialog[open]')""")
    card.drag_to(page.locator(f'.board-column[data-stage="{stage}"]'))


def test_a_refused_or_cancelled_move_leaves_the_card_in_place(demo_desk: dict[str, Any], chromium: Any) -> None:
    page = signed_in(chromium, demo_desk, "manager", WIDTHS["laptop"])
    page.goto("/opportunities/board")
    page.wait_for_function("document.querySelector('.board-column').sortable !== undefined")
    card = page.locator('.board-column[data-stage="engaged"] .board-card').first
    card_id = int(card.get_attribute("data-id"))
    # Cards show who owns them.
    assert card.locator(".bc-owner").count() == 1
    # A stale version: the server refuses the move, says why, and the card stays where it was.
    card.evaluate("c => { c.dataset.version = '999'; }")
    _drag(page, card, "interested")
    page.wait_for_selector(".toast")
    page.wait_for_function(f"!document.getElementById('card-{card_id}').classList.contains('saving')")
    state = _card_state(page, card_id)
    assert state["stage"] == "engaged" and state["opacity"] == "1", state
    assert not re.search(r"board-ghost|board-chosen|dragging", state["classes"]), state
    # The reason dialog cancelled: nothing is sent and the card stays put.
    page.reload()
    page.wait_for_function("document.querySelector('.board-column').sortable !== undefined")
    card = page.locator(f"#card-{card_id}")
    _drag(page, card, "dropped")
    page.wait_for_selector("#reason-dialog[open]")
    page.click("#reason-dialog button[value=cancel]")
    page.wait_for_selector("#reason-dialog:not([open])", state="attached")
    state = _card_state(page, card_id)
    assert state["stage"] == "engaged" and state["opacity"] == "1", state
    # The card put back may be dragged again, and says so.
    assert page.locator(f"#card-{card_id}").get_attribute("draggable") == "true"
    with Session(demo_desk["engine"]) as s:
        assert s.scalar(select(Opportunity.stage).where(Opportunity.id == card_id)) is OpportunityStage.engaged
    # A move the server accepts lands in the new column.
    _drag(page, card, "interested")
    page.wait_for_selector(f'.board-column[data-stage="interested"] #card-{card_id}:not(.saving)')
    with Session(demo_desk["engine"]) as s:
        assert s.scalar(select(Opportunity.stage).where(Opportunity.id == card_id)) is OpportunityStage.interested
    # The refused move's notice is the only console message the page may log (htmx reports the 4xx).
    assert all("409" in p or "400" in p for p in page.problems), "\n".join(page.problems)
    page.context.close()


def test_a_viewer_sees_the_board_without_moves(demo_desk: dict[str, Any], chromium: Any) -> None:
    page = signed_in(chromium, demo_desk, "viewer", WIDTHS["laptop"])
    page.goto("/opportunities/board")
    assert page.locator("[data-board]").get_attribute("data-can-move") is None
    assert page.locator(".board-card button", has_text="Next stage").count() == 0
    assert page.locator(".board-card").count() > 0
    assert not page.problems, page.problems
    page.context.close()
