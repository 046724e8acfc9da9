"""A day of the desk played in headless Chromium by the four roles, on each database, at a laptop's width and
a phone's.

The officer uploads a trip report, reviews it and accepts it (the leads it creates are theirs), moves one of
those leads on and gives it a follow-up. The nodal officer records the status of an MoU of their district and a
blocker on it. The manager registers the MoU of the officer's lead (the lead turns "MoU signed"), reads the
pending MoUs and the reports, exports the MoUs and imports the export again: nothing changes. The viewer reads
the same pages and is offered none of the actions. Every step is saved as a screenshot under
test-artifacts/screenshots/journey/, and any console error fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.models import Blocker, Document, FollowUp, Mou, Opportunity, User
from investdesk.models.enums import MouStatus, OpportunityStage
from tests.web import live
from tests.web.test_browser_layout import WIDTHS, signed_in

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "journey"


@pytest.fixture
def desk(engine: Engine, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The demo data on the test database (SQLite, and PostgreSQL when configured), served by uvicorn."""
    with live.demo_desk(engine, tmp_path) as desk:
        yield {**desk, "tmp": tmp_path}


class Player:
    """One role's browser at one width: goes to pages, saves numbered screenshots, keeps console errors."""

    def __init__(self, chromium: Any, desk: dict[str, Any], role: str, size: str, backend: str) -> None:
        self.page = signed_in(chromium, desk, role, WIDTHS[size])
        self.role, self.prefix, self.step = role, f"{backend}-{size}-{role}", 0

    def shot(self, name: str) -> None:
        self.step += 1
        self.page.screenshot(path=str(SHOTS / f"{self.prefix}-{self.step:02d}-{name}.png"), full_page=True)

    def visit(self, path: str, name: str) -> Any:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, f"{self.role} {path}: {response}"
        self.page.wait_for_load_state("networkidle")
        self.shot(name)
        return self.page

    def done(self, allowed: tuple[str, ...] = ()) -> None:
        problems = [p for p in self.page.problems if not any(a in p for a in allowed)]
        assert not problems, f"{self.prefix}: console errors {problems}"
        self.page.context.close()


def follows_the_choice(page: Any) -> tuple[str, list[tuple[str, str]]]:
    """Pick each "Accept as" choice of the first item offering more than one and read the item's "Accepting
    will ..." line after each: it must say that choice's own sentence at once (no request), and the line as the
    page gave it when the first choice is picked again. Returns the chooser's id and (what was picked, what the
    line said) for each choice."""
    chooser = page.evaluate("""() => { const s = [...document.querySelectorAll('select.merge-choice')]
        .find(s => s.querySelectorAll('option:not([disabled])').length > 1); return s ? s.id : null; }""")
    assert chooser, "no item of the trip report offers a choice of record"
    select = page.locator(f"#{chooser}")
    line = page.locator(f"#ip-{chooser.removeprefix('mi-')}")
    first, first_html = line.inner_text(), line.inner_html()
    said = [(select.locator("option").nth(0).inner_text(), first)]
    options = select.locator("option")
    for k in range(1, options.count()):
        option = options.nth(k)
        if option.is_disabled():
            continue
        select.select_option(index=k)
        says = line.inner_text()
        assert says == option.get_attribute("data-says"), (option.inner_text(), says)
        assert line.get_attribute("data-plan") == option.get_attribute("data-plan")
        said.append((option.inner_text(), says))
    assert len({s for _, s in said}) == len(said), f"two choices, one sentence: {said}"
    select.select_option(index=0)
    assert line.inner_html() == first_html, "the first choice gives the line back as the page gave it"
    return chooser, said


def one(engine: Engine, stmt: Any) -> Any:
    with Session(engine) as s:
        return s.scalar(stmt)


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_a_day_of_the_desk_for_every_role(desk: dict[str, Any], chromium: Any, size: str) -> None:
    engine = desk["engine"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    backend = engine.dialect.name
    officer_id = one(engine, select(User.id).where(User.email == "officer@demo.investdesk"))
    with Session(engine) as s:
        leads_before = set(s.scalars(select(Opportunity.id)))

    # --- The officer: a document becomes leads of their own, one moves on and gets its MoU. ---
    officer = Player(chromium, desk, "officer", size, backend)
    page = officer.visit("/documents/upload", "upload")
    report = resources.files("investdesk.demo").joinpath("trip-report.txt").read_bytes()
    page.set_input_files("input[type=file]", files=[{"name": "korea-roadshow.txt", "mimeType": "text/plain",
                                                      "buffer": report}])
    review = page.locator(".upload-list li", has_text="korea-roadshow.txt").locator("a", has_text="Review")
    review.wait_for(timeout=60000)
    officer.shot("uploaded")
    review.click()
    page.wait_for_selector(".doc-text mark")
    officer.shot("review")
    # What accepting an item does follows the record chosen for it, in English and in Hindi.
    chooser, said = follows_the_choice(page)
    for picked, says in said:
        if picked.startswith("Merge into "):
            assert says.startswith("Accepting will merge it into ") and picked.removeprefix("Merge into ") in says
        else:
            assert says.startswith("Accepting will create a new "), (picked, says)
    # A record found by name comes chosen, and the line says so.
    name = next(picked for picked, _ in said if picked.startswith("Merge into ")).removeprefix("Merge into ")
    page.fill(f"#mf-{chooser.removeprefix('mi-')}", name)
    page.wait_for_selector(f"#{chooser} optgroup", state="attached")
    found = page.locator(f"#{chooser} optgroup option").first
    line = page.locator(f"#ip-{chooser.removeprefix('mi-')}")
    assert found.get_attribute("data-says"), "nothing found for a name the list offered"
    assert line.inner_text() == found.get_attribute("data-says")
    assert line.inner_text().startswith("Accepting will merge it into ")
    page.locator(f"#{chooser}").select_option(value="new")
    assert line.inner_text().startswith("Accepting will create a new ")
    page.locator(f"#{chooser}").scroll_into_view_if_needed()
    officer.shot("review-choice")
    review_url = page.url
    page.click("button.lang-option[value=hi]")
    page.wait_for_load_state("networkidle")
    page.goto(review_url)
    page.wait_for_selector(".doc-text mark")
    assert page.locator("html").get_attribute("lang") == "hi"
    chooser, hindi = follows_the_choice(page)
    assert all(says.startswith("स्वीकार करने पर") for _, says in hindi), hindi
    page.locator(f"#{chooser}").select_option(index=1)
    officer.shot("review-choice-hi")
    page.click("button.lang-option[value=en]")
    page.wait_for_load_state("networkidle")
    page.goto(review_url)
    page.wait_for_selector(".doc-text mark")
    page.click("text=/Accept all \\d+/")
    page.wait_for_selector("text=Every item has been reviewed", timeout=60000)
    officer.shot("accepted")
    with Session(engine) as s:
        doc_id = s.scalar(select(Document.id).where(Document.filename == "korea-roadshow.txt"))
        new = s.scalars(select(Opportunity).where(Opportunity.id.not_in(leads_before))
                        .order_by(Opportunity.id)).all()
        assert new, "accepting the trip report created no lead"
        assert {o.owner_id for o in new} == {officer_id}, "the officer who accepted must own the new leads"
        lead = new[0]
        lead_id, first_stage = lead.id, lead.stage
    assert doc_id is not None
    page = officer.visit(f"/opportunities/{lead_id}", "lead")
    # The officer's own lead offers its actions, none of them refused.
    assert page.locator("[data-refusal]").count() == 0
    move = page.locator("form[action$='/move']")
    # The form offers the next stage of the pipeline; the officer takes it.
    target = move.locator("select[name=to_stage]").input_value()
    order = [s.value for s in OpportunityStage]
    assert order.index(target) == order.index(first_stage.value) + 1, (first_stage, target)
    move.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    officer.shot("lead-moved")
    assert one(engine, select(Opportunity.stage).where(Opportunity.id == lead_id)).value == target
    followups = page.locator("#followups")
    followups.locator("input[name=title]").fill("Send the land bank brochure")
    followups.locator("input[name=due_date]").fill("2030-01-31")
    followups.locator("button", has_text="Add follow-up").click()
    page.wait_for_selector("#followups >> text=Send the land bank brochure")
    officer.shot("lead-followup")
    assert one(engine, select(FollowUp.owner_id).where(FollowUp.title == "Send the land bank brochure")) \
        == officer_id
    # MoUs are registered by a manager: the officer is not offered it.
    assert page.locator("a:has-text('Register an MoU')").count() == 0
    page = officer.visit("/followups", "followups")
    assert page.locator("#results", has_text="Send the land bank brochure").count() == 1
    officer.done()

    # --- The nodal officer: an MoU of their district gets a status update and a blocker. ---
    with Session(engine) as s:
        nodal_user = s.scalars(select(User).where(User.email == "nodal@demo.investdesk")).one()
        theirs = s.scalars(select(Mou).where(Mou.nodal_officer_id == nodal_user.id,
                                             Mou.status.not_in([MouStatus.commercial_operation, MouStatus.withdrawn]))
                           .order_by(Mou.id)).first()
        assert theirs is not None, "the demo gives the nodal officer an MoU to look after"
        nodal_mou, old_status = theirs.id, theirs.status
    nodal = Player(chromium, desk, "nodal", size, backend)
    page = nodal.visit(f"/mous/{nodal_mou}", "mou")
    status_form = page.locator("form[action$='/status']")
    options = status_form.locator("select[name=status] option").evaluate_all("os => os.map(o => o.value)")
    order = [m.value for m in MouStatus]
    new_status = order[order.index(old_status.value) + 1]  # the next step on the ground
    assert new_status in options
    status_form.locator("select[name=status]").select_option(new_status)
    status_form.locator("textarea[name=note]").fill("Site visit done with the district team")
    status_form.locator("button[type=submit]").click()
    page.wait_for_selector("text=/Status updated to/")
    nodal.shot("mou-status")
    blocker_form = page.locator("form[action$='/blockers']")
    blocker_form.locator("select[name=category]").select_option(index=1)
    blocker_form.locator("input[name=department]").fill("Revenue")
    blocker_form.locator("textarea[name=description]").fill("Land conversion order awaited")
    blocker_form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Land conversion order awaited")
    nodal.shot("mou-blocker")
    with Session(engine) as s:
        assert s.get_one(Mou, nodal_mou).status.value == new_status
        assert s.scalar(select(func.count()).select_from(Blocker).where(
            Blocker.mou_id == nodal_mou, Blocker.description == "Land conversion order awaited")) == 1
    nodal.visit("/mous/pending", "pending")
    nodal.done()

    # --- The manager: the lead's MoU, pending MoUs, reports, and the MoU register exported then imported unchanged. ---
    manager = Player(chromium, desk, "manager", size, backend)
    page = manager.visit(f"/opportunities/{lead_id}", "lead")
    page.click("a:has-text('Register an MoU')")
    page.wait_for_url(re.compile(r"/mous/new\?opportunity_id="))
    manager.shot("mou-form")
    assert page.input_value("#f-title"), "the MoU form opened from a lead carries its title"
    page.click("button:has-text('Register MoU')")
    page.wait_for_url(re.compile(r"/mous/\d+$"))
    manager.shot("mou-registered")
    mou_id = int(page.url.rsplit("/", 1)[1])
    with Session(engine) as s:
        assert s.get_one(Mou, mou_id).opportunity_id == lead_id
        assert s.get_one(Opportunity, lead_id).stage is OpportunityStage.mou_signed
    page = manager.visit("/mous/pending", "pending")
    assert page.locator("table").count() >= 1
    page = manager.visit("/reports", "reports")
    page.wait_for_function("[...document.querySelectorAll('[data-chart]')].every(e => e.dataset.drawn)")
    manager.shot("reports-charts")
    page = manager.visit("/mous", "mous")
    with page.expect_download() as download:
        page.click("a:has-text('Export .xlsx')")
    export = desk["tmp"] / f"mous-{size}.xlsx"
    download.value.save_as(export)
    with Session(engine) as s:
        before = {m.id: m.version for m in s.scalars(select(Mou))}
    page = manager.visit("/mous/import", "import")
    page.set_input_files("#f-file", str(export))
    page.click("button:has-text('Import')")
    page.wait_for_selector(".flash, .alert")
    manager.shot("reimported")
    assert page.locator(".alert-error").count() == 0, page.locator(".alert-error").all_inner_texts()
    flash = page.locator(".flash").inner_text()
    assert re.search(rf"\b0 new\b.*\b0 updated\b.*\b{len(before)} unchanged\b", flash), flash
    with Session(engine) as s:
        assert {m.id: m.version for m in s.scalars(select(Mou))} == before, "re-importing the export changed MoUs"
    manager.done()

    # --- The viewer: the same records, and no action that would be refused. ---
    viewer = Player(chromium, desk, "viewer", size, backend)
    page = viewer.visit(f"/opportunities/{lead_id}", "lead")
    assert page.locator("form[action$='/move']").count() == 0
    assert page.locator("a:has-text('Register an MoU')").count() == 0
    page = viewer.visit(f"/mous/{nodal_mou}", "mou")
    assert page.locator("form[action$='/status'], form[action$='/blockers']").count() == 0
    page = viewer.visit("/opportunities/board", "board")
    assert page.locator(".board-card[draggable=true]").count() == 0
    assert page.locator(".board-card button", has_text="Next stage").count() == 0
    assert page.locator("a[href='/documents/upload']").count() == 0
    viewer.visit("/reports", "reports")
    viewer.done()
