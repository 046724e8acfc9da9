"""The desk in a real browser: headless Chromium against a real uvicorn server over a fresh SQLite database.

A person's day: sign in with a demo account through the sign-in page, upload a trip report, review and accept
it, open the organization it created, move a lead to the next stage (and another to on hold, with a reason),
update an MoU's status, search, sign out. Every page is saved as a screenshot under test-artifacts/screenshots/,
and any console error (a Content-Security-Policy refusal, a script error) fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from investdesk.models import Document, Mou, MouStatusChange, Opportunity, OpportunityStageChange, Organization
from investdesk.models.enums import MouStatus, OpportunityStage
from tests.web import live

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture
def desk(sqlite_template: Path, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A migrated database with the demo data, served by uvicorn; yields the base URL and the engine."""
    live.need_chromium()
    engine = live.copy_of(sqlite_template, tmp_path)
    with live.demo_desk(engine, tmp_path) as desk:
        yield desk
    engine.dispose()


@pytest.fixture
def browser_page(desk: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=live.CHROMIUM, args=live.CHROMIUM_ARGS)
        context = browser.new_context(base_url=desk["url"], viewport={"width": 1440, "height": 900})
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(f"{page.url}: {m.text} {m.location}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.problems = problems  # type: ignore[attr-defined]
        yield page
        context.close()
        browser.close()


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def visit(page: Any, path: str, name: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response.status if response else None}"
    page.wait_for_load_state("networkidle")
    shot(page, name)


def rows(engine: Engine, stmt: Any) -> list[Any]:
    with Session(engine) as s:
        return list(s.execute(stmt).all())


def test_a_working_day_in_the_browser(desk: dict[str, Any], browser_page: Any) -> None:
    page, engine = browser_page, desk["engine"]
    # Signing in: a page asked for while signed out comes back after the sign-in.
    page.goto("/mous/pending")
    page.wait_for_url(re.compile(r"/login\?next="))
    shot(page, "00-sign-in")
    page.fill("input[name=email]", "admin@demo.investdesk")
    page.fill("input[name=password]", desk["users"]["admin@demo.investdesk"])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/mous/pending$"))
    assert page.locator(".topbar-user .user-name").inner_text() == "Asha Verma"  # the name, not the e-mail
    # Home: the three charts are drawn by Plotly from the app's own copy.
    visit(page, "/", "01-home")
    page.wait_for_selector(".chart.js-plotly-plot .main-svg", timeout=15000)
    assert page.locator(".chart.js-plotly-plot").count() == 3
    assert page.locator(".kpi").count() >= 5

    # Upload a trip report by the file chooser (the drop zone's input); the bar fills, a review link appears.
    visit(page, "/documents/upload", "02-upload-empty")
    report = resources.files("investdesk.demo").joinpath("trip-report.txt").read_bytes()
    page.set_input_files("input[type=file]", files=[{"name": "korea-roadshow.txt", "mimeType": "text/plain",
                                                      "buffer": report}])
    korea = page.locator(".upload-list li", has_text="korea-roadshow.txt")
    link = korea.locator("a", has_text=re.compile(r"Review \d+ items"))
    link.wait_for(timeout=60000)
    assert page.locator(".upload-list progress").first.get_attribute("value") == "100"
    shot(page, "03-upload-done")
    # Two more dropped on the zone at once: each gets its own bar and its own review link.
    corpus = Path(__file__).resolve().parents[1] / "extraction" / "corpus" / "tune"
    dropped = [{"name": n, "text": (corpus / n).read_text(encoding="utf-8")}
               for n in ("ohio-germany-mission.txt", "gujarat-uae-roadshow.txt")]
    transfer = page.evaluate_handle("""(files) => {
        const dt = new DataTransfer();
        for (const f of files) dt.items.add(new File([f.text], f.name, {type: "text/plain"}));
        return dt; }""", dropped)
    page.dispatch_event("[data-dropzone]", "dragenter", {"dataTransfer": transfer})
    assert "over" in (page.get_attribute("[data-dropzone]", "class") or "")
    page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": transfer})
    expect(page.locator(".upload-list .u-state.ok a")).to_have_count(3, timeout=60000)
    assert page.locator(".upload-list li").count() == 3
    shot(page, "03-upload-dropped")
    with Session(engine) as s:
        assert sorted(s.scalars(select(Document.filename))) == ["gujarat-uae-roadshow.txt", "korea-roadshow.txt",
                                                                 "ohio-germany-mission.txt"]
    link.click()

    # Review: evidence sentences are highlighted; clicking an item lights its sentence; accept all.
    page.wait_for_selector(".doc-text mark")
    shot(page, "04-review")
    marks = page.locator(".doc-text mark").count()
    assert marks >= 3
    first_item = page.locator(".item[data-span]").first
    first_item.locator(".item-value").click()  # the item's name, not one of the links it carries
    assert page.locator(".doc-text mark.active").count() == 1
    page.click("text=/Accept all \\d+/")
    page.wait_for_selector("text=Every item has been reviewed", timeout=30000)
    shot(page, "05-review-accepted")

    # The organization the report introduced, opened from its accepted item.
    org_link = page.locator(".item", has_text="Daehan Display Materials").locator("a", has_text="Open the organization")
    org_link.first.click()
    page.wait_for_selector("h1:has-text('Daehan Display Materials')")
    assert page.locator(".timeline li").count() >= 1
    shot(page, "06-organization")
    with Session(engine) as s:
        assert s.scalar(select(Organization.id).where(Organization.name == "Daehan Display Materials")) is not None

    # Board: "Next stage" on a card records the move with its history.
    visit(page, "/opportunities/board", "07-board")
    card = page.locator('.board-column[data-stage="interested"] .board-card').first
    opp_id = int(card.get_attribute("data-id"))
    card.locator("button", has_text="Next stage").click()
    page.wait_for_selector(f'.board-column[data-stage="mou_signed"] #card-{opp_id}')
    with Session(engine) as s:
        assert s.get(Opportunity, opp_id).stage is OpportunityStage.mou_signed
        moves = s.scalars(select(OpportunityStageChange).where(OpportunityStageChange.opportunity_id == opp_id)
                          .order_by(OpportunityStageChange.id)).all()
        assert moves[-1].from_stage is OpportunityStage.interested
    # Drag another card onto "On hold": the reason dialog asks why, and the reason is kept.
    other = page.locator('.board-column[data-stage="engaged"] .board-card').first
    other_id = int(other.get_attribute("data-id"))
    other.drag_to(page.locator('.board-column[data-stage="on_hold"]'))
    page.wait_for_selector("#reason-dialog[open]")
    page.fill("#reason-text", "Investor waiting for its board meeting")
    shot(page, "08-board-reason")
    page.click("#reason-dialog button[value=ok]")
    page.wait_for_selector(f'.board-column[data-stage="on_hold"] #card-{other_id}')
    shot(page, "09-board-moved")
    with Session(engine) as s:
        held = s.get(Opportunity, other_id)
        assert held.stage is OpportunityStage.on_hold and held.stage_reason == "Investor waiting for its board meeting"

    # An MoU's status, with a note, from its page.
    mou_id = rows(engine, select(Mou.id).order_by(Mou.id))[0][0]
    visit(page, f"/mous/{mou_id}", "10-mou")
    page.select_option("#f-status", "construction")
    page.fill("#f-note", "Boundary wall and foundations under way")
    page.click("button:has-text('Save status')")
    page.wait_for_selector("text=Status updated to construction")
    shot(page, "11-mou-updated")
    with Session(engine) as s:
        assert s.get(Mou, mou_id).status is MouStatus.construction
        last = s.scalars(select(MouStatusChange).where(MouStatusChange.mou_id == mou_id)
                         .order_by(MouStatusChange.id.desc())).first()
        assert last is not None and last.note == "Boundary wall and foundations under way"
    # A follow-up on the same MoU, from the box on its page; it shows on the follow-ups list and the reports.
    page.fill("#f-title", "Ask the district for the boundary survey")
    page.fill("#f-due_date", "2030-01-31")
    page.click("button:has-text('Add follow-up')")
    page.wait_for_selector("text=Follow-up “Ask the district for the boundary survey” added.")
    visit(page, "/followups?who=", "11b-followups")
    assert page.locator("#results tr", has_text="Ask the district for the boundary survey").count() == 1
    visit(page, "/reports", "11c-reports")
    assert page.locator("#funnel tbody tr").count() == 7

    # Search from the top bar: suggestions while typing, then the full results page.
    page.fill("#top-q", "Daehan")
    page.wait_for_selector("#search-suggest a:has-text('Daehan Display Materials')")
    shot(page, "12-search-suggest")
    page.press("#top-q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=Daehan"))
    assert page.locator(".search-group", has_text="Organizations").locator("a", has_text="Daehan").count() >= 1
    shot(page, "13-search")

    # The other pages, as a person would browse them.
    for path, name in [("/organizations", "14-organizations"), ("/people", "15-people"), ("/missions", "16-missions"),
                       ("/missions/1", "17-mission"), ("/opportunities", "18-opportunities"),
                       ("/opportunities/new", "19-opportunity-form"), ("/mous", "20-mous"),
                       ("/mous/pending", "21-pending"), ("/documents", "22-documents"), ("/people/1", "23-person")]:
        visit(page, path, name)
    # Live filtering swaps the results without a page load and keeps a stable URL.
    page.goto("/organizations")
    page.fill(".filters input[name=q]", "daehan")
    page.wait_for_url(re.compile(r"/organizations\?.*q=daehan"))
    expect(page.locator("#results tbody tr")).to_have_count(1)
    # Signing out ends the session: the pages ask for a sign-in again.
    page.click(".account summary")
    page.click("button:has-text('Sign out')")
    page.wait_for_url(re.compile(r"/login"))
    page.goto("/organizations")
    page.wait_for_url(re.compile(r"/login\?next="))
    assert not page.problems, f"browser console errors: {page.problems}"  # e.g. a Content-Security-Policy refusal
