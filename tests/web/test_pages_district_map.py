"""The district map on the home and reports pages, and financial years in the reports' date range."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from investdesk.config import get_settings
from investdesk.models.enums import Role
from tests.web.test_pages_pipeline import seed

Pages = Callable[..., TestClient]


def _areas(html: str) -> dict[str, tuple[str, str]]:
    """district -> (link, accessible name) of every district drawn on the map."""
    svg = html.split('<svg class="district-map"')[1].split("</svg>")[0]
    return {unescape(d): (unescape(href), unescape(name)) for href, name, d in
            re.findall(r'<a href="([^"]*)" aria-label="([^"]*)" data-district="([^"]*)">', svg)}


def test_home_and_reports_draw_the_districts_each_a_link_to_its_list(pages: Pages, engine: Engine) -> None:
    seed(engine)
    client = pages(Role.viewer)
    for path in ("/", "/reports"):
        html = client.get(path, params={"map": "pending"}).text
        areas = _areas(html)
        assert len(areas) == 71
        assert areas["Jhansi"] == ("/mous?pending=1&district=Jhansi", "Jhansi: 1 pending MoU")
        assert areas["Ghaziabad"][1] == "Ghaziabad (with Hapur): 0 pending MoUs"
        assert 'aria-current="true" class="active">Pending MoUs</a>' in html
        assert "DataMeet (2011 census), CC BY 2.5 IN" in html and "Created after 2011, shown within" in html
    signed = _areas(client.get("/", params={"map": "signed"}).text)
    assert signed["Jhansi"][0] == "/mous?district=Jhansi"
    # An unknown figure falls back to the lead pipeline's value, never an error page.
    odd = client.get("/", params={"map": "<script>"})
    assert odd.status_code == 200 and 'class="active">Lead pipeline value (INR crore)</a>' in odd.text


def test_reports_by_district_read_the_pipeline_by_district_once_for_table_and_map(pages: Pages,
                                                                                 engine: Engine) -> None:
    seed(engine)
    client = pages(Role.viewer)
    by_district: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "GROUP BY opportunities.district" in statement:
            by_district.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        html = client.get("/reports", params={"by": "district", "map": "pipeline"}).text
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(by_district) == 1
    # The map is drawn from it all the same: Jhansi's lead of INR 1,200 crore.
    assert _areas(html)["Jhansi"] == ("/opportunities?district=Jhansi", "Jhansi: ₹1,200 crore")


def test_a_nodal_officer_sees_their_districts_on_the_map(pages: Pages, engine: Engine) -> None:
    seed(engine)
    agra = pages(Role.nodal_officer, districts=("Agra",))
    areas = _areas(agra.get("/", params={"map": "pending"}).text)
    assert areas["Jhansi"][1] == "Jhansi: 0 pending MoUs"


def test_a_financial_year_is_a_period_of_the_reports(pages: Pages, engine: Engine) -> None:
    seed(engine)
    client = pages(Role.viewer)
    html = client.get("/reports", params={"fy": "2025-26"}).text
    assert 'value="2025-04-01"' in html and 'value="2026-03-31"' in html
    assert "<strong>FY 2025-26</strong>, 1 April 2025 to 31 March 2026" in html
    assert '<option value="2025-26" selected>FY 2025-26</option>' in html
    assert 'href="/api/packs/mous.pdf?fy=2025-26"' in html
    # The same range typed as dates is recognised as the year.
    typed = client.get("/reports", params={"from": "2025-04-01", "to": "2026-03-31"}).text
    assert "<strong>FY 2025-26</strong>" in typed
    bad = client.get("/reports", params={"fy": "2025-27"})
    assert bad.status_code == 200 and "'2025-27' is not a financial year like FY 2026-27" in unescape(bad.text)
    assert "All dates." in bad.text


def test_without_boundaries_the_districts_are_listed(pages: Pages, engine: Engine, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    seed(engine)
    listing = tmp_path / "districts_up.tsv"
    listing.write_text("district\taliases\nJhansi\t\nLucknow\t\nAgra\t\n", encoding="utf-8")
    monkeypatch.setenv("INVESTDESK_DISTRICTS_FILE", str(listing))
    get_settings.cache_clear()
    try:
        html = pages(Role.viewer).get("/", params={"map": "pending"}).text
    finally:
        get_settings.cache_clear()
    assert '<svg class="district-map"' not in html and "the districts are listed" in html
    assert '<a href="/mous?pending=1&amp;district=Jhansi">Jhansi</a> <span class="num">1 pending MoU</span>' in html
