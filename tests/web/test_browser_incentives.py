"""The pitch desk in headless Chromium at a laptop's and a phone's width: every page loads with no console
error and its content within the main column; screenshots go to test-artifacts/screenshots."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from investdesk.models import Mou, Offering, Organization
from tests.web import live
from tests.web.test_browser import SHOTS, desk, rows, shot  # noqa: F401  (desk is a fixture)

pytestmark = pytest.mark.browser


def test_pitch_desk_pages_at_1366_and_390(desk: dict[str, Any]) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    engine = desk["engine"]
    mou_id = rows(engine, select(Mou.id).where(Mou.sector_id.is_not(None)))[0][0]
    org_id = rows(engine, select(Organization.id).where(Organization.country == "JP"))[0][0]
    offering = rows(engine, select(Offering.id))
    pages = {
        "calculator": "/incentives?sector=semiconductors&district=Gautam+Buddh+Nagar&land=300&building=2000"
                      "&plant_machinery=2700&jobs=2000&foreign_share=0.26",
        "calculator-mou": f"/incentives?mou_id={mou_id}",
        "policies": "/incentives/policies",
        "policy-fdi": "/incentives/policies/fdi_fci_2023",
        "match": "/match",
        "match-policy": "/match/policy/pharma_2023",
        "match-organization": f"/match/organization/{org_id}",
        "match-trip": "/match/trip?country=JP&cities=Tokyo%2C+Osaka&sector=pharmaceuticals",
        "mou-detail": f"/mous/{mou_id}",
    }
    if offering:
        pages["match-offering"] = f"/match/offering/{offering[0][0]}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=live.CHROMIUM, args=live.CHROMIUM_ARGS)
        for width in (1366, 390):
            context = browser.new_context(base_url=desk["url"], viewport={"width": width, "height": 900})
            page = context.new_page()
            page.on("console", lambda m: problems.append(f"{m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto("/login")
            page.fill("input[name=email]", "manager@demo.investdesk")
            page.fill("input[name=password]", desk["users"]["manager@demo.investdesk"])
            page.click("button[type=submit]")
            page.wait_for_url(re.compile(r"/$"))
            for name, path in pages.items():
                response = page.goto(path)
                assert response is not None and response.status == 200, (path, response and response.status)
                page.wait_for_load_state("networkidle")
                shot(page, f"incentives-{width}-{name}")
                # The page's content stays within the main column (wide tables scroll inside their own box);
                # the top bar's own width at 390 px is the layout's, the same on every page.
                overflow = page.evaluate("(() => { const m = document.querySelector('main');"
                                         " return m.scrollWidth - m.clientWidth; })()")
                assert overflow <= 1, (width, name, overflow)
            assert problems == []
            context.close()
        browser.close()
