"""Search in headless Chromium over the demo data: the top bar's suggestions are reached and walked with the arrow
keys and opened with Enter; the search page finds across scripts; missions and meetings are edited as an officer
and offer no edit to a viewer; at 1366 and 390 px nothing scrolls sideways and nothing reaches the console."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.test_browser_layout import WIDTHS, demo_desk, sideways, signed_in  # noqa: F401

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "search"


def test_arrow_keys_reach_the_suggestions_and_enter_opens_one(demo_desk: dict[str, Any], chromium: Any) -> None:  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in WIDTHS.items():
        page = signed_in(chromium, demo_desk, "viewer", viewport)
        box = page.locator("#top-q")
        box.click()
        box.press_sequentially("rare-earth", delay=20)
        page.wait_for_selector("#search-suggest a[role=option]:has-text('Rare earth magnet plant')")
        assert box.get_attribute("aria-expanded") == "true"
        box.press("ArrowDown")
        first = page.evaluate("document.activeElement.textContent")
        page.keyboard.press("ArrowDown")
        second = page.evaluate("document.activeElement.textContent")
        assert "Rare earth magnet plant" in first and second != first
        assert page.locator("#search-suggest [aria-selected=true]").count() == 1
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")  # past the first: back in the box, the text kept
        assert page.evaluate("document.activeElement.id") == "top-q" and box.input_value() == "rare-earth"
        page.screenshot(path=str(SHOTS / f"suggest-{size}.png"))
        box.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/opportunities/\d+$"))
        for q, needle in (("लखनऊ", "Joint battery testing laboratory"), ("Jhansi", "Solar module plant"),
                          ("जापान", "Japan External Trade Organization")):
            page.goto(f"/search?q={q}")
            assert page.locator(".search-group a", has_text=needle).count() >= 1, q
            assert sideways(page) == 0, (q, size)
        page.screenshot(path=str(SHOTS / f"search-{size}.png"), full_page=True)
        assert page.problems == []


def test_an_officer_edits_a_meeting_a_viewer_is_offered_no_edit(demo_desk: dict[str, Any], chromium: Any) -> None:  # noqa: F811
    for size, viewport in WIDTHS.items():
        viewer = signed_in(chromium, demo_desk, "viewer", viewport)
        for url in ("/missions/1", "/engagements/1"):
            viewer.goto(url)
            assert viewer.locator(f"a[href='{url}/edit']").count() == 0
            assert viewer.locator("#followups").count() == 1 and viewer.locator("#followups form").count() == 0
            assert sideways(viewer) == 0
        assert viewer.problems == []
        officer = signed_in(chromium, demo_desk, "officer", viewport)
        officer.goto("/engagements/1")
        officer.click("a[href='/engagements/1/edit']")
        officer.fill("#f-venue", f"Osaka Innovation Hub, room {size}")
        assert sideways(officer) == 0
        officer.screenshot(path=str(SHOTS / f"meeting-edit-{size}.png"), full_page=True)
        officer.click("button:has-text('Save changes')")
        officer.wait_for_url(re.compile(r"/engagements/1$"))
        assert f"room {size}" in officer.locator(".page-head").inner_text()
        officer.goto("/missions/1")
        officer.screenshot(path=str(SHOTS / f"mission-{size}.png"), full_page=True)
        assert officer.locator("#followups form").count() == 1 and sideways(officer) == 0
        assert officer.problems == []
