"""Every main page in Hindi, in headless Chromium at 390 and 1366 px: the language switched from the top bar (and
kept for the next sign-in), no English left in the page's own words (its headings, menus, table heads, buttons,
labels), nothing scrolling sideways; each page is saved as a screenshot under test-artifacts/screenshots/hindi/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.test_browser_layout import PAGES, WIDTHS, demo_desk, sideways, signed_in  # noqa: F401

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "hindi"
# Names and codes that read the same in both languages.
KEEP = {"InvestDesk", "MoU", "MoUs", "CSV", "PDF", "XLSX", "DOCX", "INR", "USD", "UTC", "API", "ID", "OCR", "PNG",
        "JPEG", "TIFF", "HTML", "Word", "English", "Ctrl", "HH", "MM", "YYYY", "DD", "KB", "MB", "xlsx", "docx",
        "ics", "pdf", "GWh", "Fortune", "Global", "India",
        "pharma"}  # the word typed on the search page, shown back as typed
OWN_WORDS = ("nav.sidenav a, nav.sidenav li, h1, .page-head .sub, th, button, label, .card-head h2, "
             ".empty, .topbar summary .role-badge, .crumbs")
PAGES_HI = [*PAGES, ("/mous/1", "mou"), ("/opportunities/1", "lead"), ("/organizations/1", "organization"),
            ("/incentives", "incentives"), ("/account/preferences", "preferences"), ("/mous/new", "mou-form")]


def english_words(page: Any, record: bool) -> list[str]:
    """ASCII words in the page's own text (headings, menus, table heads, buttons, labels), outside names shown
    in them (a record's page is headed by its name, which is data)."""
    texts: list[str] = page.eval_on_selector_all(
        OWN_WORDS.replace("h1, ", "").replace(".page-head .sub, ", "").replace(", .crumbs", "") if record
        else OWN_WORDS, "els => els.map(e => { const c = e.cloneNode(true);"
        " c.querySelectorAll('a[href^=\"/organizations/\"], a[href^=\"/people/\"], .data, .user-name, option,"
        " select, [lang=en]').forEach(x => x.remove()); return c.innerText; })")
    words = []
    for text in texts:
        words += [w for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text) if w not in KEEP]
    return words


def test_every_main_page_in_hindi(demo_desk: dict[str, Any], chromium: Any) -> None:  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    first = signed_in(chromium, demo_desk, "manager", WIDTHS["laptop"])
    first.click("button.lang-option[value=hi]")
    first.wait_for_load_state("networkidle")
    assert first.locator("html").get_attribute("lang") == "hi"
    first.context.close()
    try:
        for size, viewport in WIDTHS.items():
            page = signed_in(chromium, demo_desk, "manager", viewport)  # the choice is kept in the profile
            english: dict[str, list[str]] = {}
            overflow: dict[str, int] = {}
            for path, name in PAGES_HI:
                response = page.goto(path)
                assert response is not None and response.status == 200, f"{path}: {response and response.status}"
                page.wait_for_load_state("networkidle")
                if page.locator("[data-chart]").count():
                    page.wait_for_function(
                        "[...document.querySelectorAll('[data-chart]')].every(e => e.dataset.drawn)")
                assert page.locator("html").get_attribute("lang") == "hi"
                if words := english_words(page, record=bool(re.search(r"/\d+$|\?q=", path))):
                    english[path] = sorted(set(words))
                if sideways(page) > 0:
                    overflow[path] = sideways(page)
                page.screenshot(path=str(SHOTS / f"manager-{size}-{name}.png"), full_page=True)
            assert not english, f"English left at {viewport['width']} px: {english}"
            assert not overflow, f"pages scroll sideways at {viewport['width']} px: {overflow}"
            assert not page.problems, page.problems
            page.context.close()
    finally:
        back = signed_in(chromium, demo_desk, "manager", WIDTHS["laptop"])
        back.click("button.lang-option[value=en]")
        back.context.close()
