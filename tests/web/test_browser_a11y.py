"""Accessibility as Indian government sites require it (GIGW: WCAG 2.1 AA): axe-core runs in headless Chromium
on every main page, for an officer and a manager, at a laptop's and a phone's width, in each language the pages
are offered in, and any violation fails the test with the rule, the page and the elements. The fonts the pages
use are the package's own.

axe-core is vendored under tests/web/vendor/axe-core (from its npm package) and injected by the test only. The
languages checked are ``INVESTDESK_TEST_LANGUAGES`` (comma-separated, default ``en,hi``); a page that does not come
out in the language asked for (its ``<html lang>``) fails, so adding ``hi`` checks the Hindi pages for real.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.models import Document, Mission, Mou, Opportunity, Organization, Person
from tests.web.test_browser_layout import PAGES, SHOTS, WIDTHS, demo_desk

pytestmark = pytest.mark.browser

__all__ = ["demo_desk"]  # a module fixture shared with the layout test

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
LANGUAGES = [lang.strip() for lang in os.environ.get("INVESTDESK_TEST_LANGUAGES", "en,hi").split(",") if lang.strip()]
ROLES = ["officer", "manager"]
# Rule tags checked: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def main_pages(desk: dict[str, Any]) -> list[tuple[str, str]]:
    """The list pages and one record page of each kind from the demo data."""
    first = {}
    with Session(desk["engine"]) as s:
        for model, prefix in ((Organization, "organizations"), (Person, "people"), (Mission, "missions"),
                              (Opportunity, "opportunities"), (Mou, "mous"), (Document, "documents")):
            found = s.scalar(select(model.id).order_by(model.id).limit(1))
            if found is not None:
                first[prefix] = f"/{prefix}/{found}"
    return [*PAGES, *((path, f"{kind}-record") for kind, path in first.items())]


def signed_in(browser: Any, desk: dict[str, Any], role: str, lang: str, viewport: dict[str, int]) -> Any:
    # The test injects axe-core as an inline script: the page's Content-Security-Policy is bypassed for it alone.
    context = browser.new_context(base_url=desk["url"], viewport=viewport, locale=lang,
                                  extra_http_headers={"Accept-Language": lang}, bypass_csp=True)
    page = context.new_page()
    email = f"{role}@demo.investdesk"
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", desk["users"][email])
    page.click("button[type=submit]")
    page.wait_for_url(f"{desk['url']}/")
    # Signed in, the pages follow the language kept in the profile: choose it from the top bar when it differs.
    if page.evaluate("document.documentElement.lang").split("-")[0] != lang.split("-")[0]:
        page.click(f"button.lang-option[value={lang.split('-')[0]}]")
        page.wait_for_function(f"document.documentElement.lang.startsWith('{lang.split('-')[0]}')")
    return page


def violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
                           "['violations']})", TAGS)
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "elements": [" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                          for n in v["nodes"]][:5], "count": len(v["nodes"])} for v in result["violations"]]


@pytest.fixture(scope="module")
def checked_pages(demo_desk: dict[str, Any]) -> list[tuple[str, str]]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing")
    return main_pages(demo_desk)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", list(WIDTHS))
@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_passes_axe(demo_desk: dict[str, Any], chromium: Any, checked_pages: list[tuple[str, str]],
                                    role: str, size: str, lang: str) -> None:
    page = signed_in(chromium, demo_desk, role, lang, WIDTHS[size])
    found: dict[str, list[dict[str, Any]]] = {}
    for path, _name in checked_pages:
        response = page.goto(path)
        assert response is not None and response.status in (200, 403), f"{role} {path}: {response.status}"
        page.wait_for_load_state("networkidle")
        if page.locator("[data-chart]").count():
            page.wait_for_function("[...document.querySelectorAll('[data-chart]')].every(e => e.dataset.drawn)")
        assert page.evaluate("document.documentElement.lang").split("-")[0] == lang.split("-")[0], \
            f"{path} is not in {lang}"
        problems = violations(page)
        if problems:
            found[path] = problems
    page.context.close()
    assert not found, f"{role} at {size} width ({lang}): axe violations " + "; ".join(
        f"{path}: " + ", ".join(f"{p['rule']} x{p['count']} {p['elements']}" for p in problems)
        for path, problems in found.items())


def test_pages_use_the_shipped_fonts_for_latin_and_devanagari(demo_desk: dict[str, Any], chromium: Any) -> None:
    """A page showing Devanagari loads the package's Noto Sans Devanagari (and Noto Sans for Latin) from the app
    itself; nothing is fetched from anywhere else."""
    context = chromium.new_context(base_url=demo_desk["url"], viewport={"width": 1366, "height": 768})
    elsewhere: list[str] = []
    context.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(demo_desk["url"]) else None)
    page = context.new_page()
    email = "officer@demo.investdesk"
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", demo_desk["users"][email])
    page.click("button[type=submit]")
    page.wait_for_url(f"{demo_desk['url']}/")
    fonts: list[str] = []
    page.on("response", lambda r: fonts.append(r.url.rsplit("/", 1)[-1]) if r.url.endswith(".woff2") and r.ok
            else None)
    page.goto("/search?q=" + "लखनऊ")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.locator("body").evaluate("e => getComputedStyle(e).fontFamily").startswith('"Noto Sans"')
    loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + "
                           "f.weight)")
    assert any("Noto Sans Devanagari" in f for f in loaded), loaded
    assert any(f.startswith('"Noto Sans" ') or f.startswith("Noto Sans ") for f in loaded), loaded
    assert "noto-sans-devanagari-devanagari-400-normal.woff2" in fonts and "noto-sans-latin-400-normal.woff2" in fonts
    # The Devanagari text is drawn with the Devanagari face: its width differs from the fallback's.
    widths = page.evaluate("""() => {
        const c = document.createElement('canvas').getContext('2d'), s = 'लखनऊ उत्तर प्रदेश';
        c.font = '20px "Noto Sans Devanagari"'; const noto = c.measureText(s).width;
        c.font = '20px monospace'; return [noto, c.measureText(s).width]; }""")
    assert widths[0] > 0 and widths[0] != widths[1]
    assert not elsewhere, elsewhere
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_district_map_can_be_skipped_from_the_keyboard(demo_desk: dict[str, Any], chromium: Any, size: str,
                                                           lang: str) -> None:
    """One link per district stands between the map's switch and what follows it: the first Tab stop after the
    switch is a link past them, shown when focused, and Enter then Tab lands on the totals beside the map."""
    page = signed_in(chromium, demo_desk, "manager", lang, WIDTHS[size])
    for path in ("/", "/reports"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        districts = page.locator("svg.district-map a").count()
        assert districts > 50
        skip = page.locator("a.skip-map")
        assert not skip.is_visible() or skip.bounding_box()["x"] < 0  # type: ignore[index]
        page.locator(".map-switch a").last.focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('skip-map')"), path
        box = skip.bounding_box()
        assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= WIDTHS[size]["width"]
        assert str(districts) in skip.inner_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"map-skip-{lang}-{size}-{path.strip('/') or 'home'}.png"))
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "district-map-side"
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('.map-side')"), path
    page.context.close()
