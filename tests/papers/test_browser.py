"""Pages of every paper rendered to PNG with pdftoppm (kept under $TMPDIR/investdesk-test-artifacts/papers), and the
Brief, Report and Pack buttons clicked in headless Chromium against a real server: each downloads its paper."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.demo import service as demo
from investdesk.models import Mission, Organization
from investdesk.papers import files
from tests.factories import SYSTEM
from tests.web import live

pytestmark = pytest.mark.browser
# Kept after the run (pytest's own temporary folders are pruned) for a person to look at.
ARTIFACTS = Path(tempfile.gettempdir()) / "investdesk-test-artifacts" / "papers"


def _ink(img: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Dark pixels in a region of a page (text, rules, the logo)."""
    return sum(img.convert("L").crop(box).histogram()[:200])


def test_every_paper_renders_to_pages_with_head_and_footer(session: Session) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    demo.load(session, actor=SYSTEM)
    session.flush()
    org = session.scalars(select(Organization).where(Organization.name == "Kansai Medical Devices Council")).one()
    mission = session.scalars(select(Mission)).one()
    papers = {"brief": files.organization_brief(session, actor=SYSTEM, organization_id=org.id),
              "mission": files.mission_report(session, actor=SYSTEM, mission_id=mission.id),
              "pack": files.mou_pack(session, actor=SYSTEM, signed_from=None, signed_to=None),
              "pipeline": files.pipeline_monthly(session, actor=SYSTEM)}
    out = ARTIFACTS / session.get_bind().dialect.name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name, paper in papers.items():
        pdf = out / f"{name}.pdf"
        pdf.write_bytes(paper.content)
        pages = len(PdfReader(io.BytesIO(paper.content)).pages)
        subprocess.run(["pdftoppm", "-r", "72", "-png", str(pdf), str(out / name)], check=True, timeout=120)
        pngs = sorted(out.glob(f"{name}-*.png"))
        assert len(pngs) == pages, name
        for i, png in enumerate(pngs):
            img = Image.open(png)
            w, h = img.size
            assert abs(w / h - 210 / 297) < 0.01  # A4 portrait
            assert _ink(img, (0, h - h // 12, w, h)) > 50, f"{png.name}: no footer"
            if i == 0:
                assert _ink(img, (0, 0, w, h // 8)) > 300, f"{png.name}: no head"
    assert len(papers["brief"].content) and len(list(out.glob("brief-*.png"))) <= 2  # a brief is one or two pages
    print(f"\npapers rendered to PNG under {out}")


@pytest.fixture
def desk(sqlite_template: Path, tmp_path: Path) -> Iterator[dict[str, Any]]:
    live.need_chromium()
    engine = live.copy_of(sqlite_template, tmp_path)
    with live.demo_desk(engine, tmp_path) as desk:
        with Session(engine) as s:
            org_id = s.scalars(select(Organization.id).where(Organization.name == "Sakura Battery Systems")).one()
            mission_id = s.scalars(select(Mission.id)).one()
        yield {**desk, "org": org_id, "mission": mission_id, "tmp": tmp_path}
    engine.dispose()


def test_buttons_download_their_papers(desk: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=live.CHROMIUM, args=live.CHROMIUM_ARGS)
        context = browser.new_context(base_url=desk["url"], accept_downloads=True)
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=email]", "nodal@demo.investdesk")
        page.fill("input[name=password]", desk["users"]["nodal@demo.investdesk"])
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/$|/\?"))
        for path, button, expected in [(f"/organizations/{desk['org']}", "Brief", "Sakura Battery Systems"),
                                       (f"/missions/{desk['mission']}", "Report", "Mission report"),
                                       ("/mous", "Pack", "MoU review pack"),
                                       ("/reports", "Report", "Pipeline report")]:
            page.goto(path)
            with page.expect_download() as info:
                page.get_by_role("link", name=button, exact=True).click()
            saved = desk["tmp"] / info.value.suggested_filename
            info.value.save_as(saved)
            data = saved.read_bytes()
            assert data.startswith(b"%PDF"), path
            text = " ".join((pg.extract_text() or "") for pg in PdfReader(io.BytesIO(data)).pages)
            assert expected in text, path
            if button == "Pack":
                # The nodal officer of Lucknow and Jhansi: no other district's MoU.
                assert "Agra" not in text and "Gautam Buddh Nagar" not in text and "Lucknow" in text
        browser.close()
