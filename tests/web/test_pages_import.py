"""The spreadsheet import pages: check only, the problem table, a clean import, and who may import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.models import Mou
from investdesk.models.enums import Role
from tests.exchange.helpers import mou_rows, xlsx

Pages = Callable[..., TestClient]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _mous(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Mou)) or 0


def test_import_page_checks_reports_and_imports(pages: Pages, engine: Engine, tmp_path: Path) -> None:
    client = pages()
    assert "Import MoUs from a spreadsheet" in client.get("/mous/import").text
    assert 'href="/mous/import"' in client.get("/mous").text
    good = xlsx(tmp_path / "register.xlsx", mou_rows(3)).read_bytes()
    checked = client.post("/mous/import", files={"file": ("register.xlsx", good, XLSX)}, data={"dry_run": "true"})
    assert checked.status_code == 200 and "all 3 rows pass; nothing was written" in checked.text
    assert _mous(engine) == 0
    bad = xlsx(tmp_path / "bad.xlsx", mou_rows(3, **{"Date of Signing": "31-02-2024"})).read_bytes()
    rejected = client.post("/mous/import", files={"file": ("bad.xlsx", bad, XLSX)})
    assert rejected.status_code == 422 and "nothing was imported" in rejected.text
    problems = rejected.text.split('id="problems"')[1]
    assert "<td class=\"num\">4</td><td>Date of Signing</td>" in problems
    assert _mous(engine) == 0
    junk = client.post("/mous/import", files={"file": ("register.xlsx", b"\x00\x01 not a workbook", XLSX)})
    assert junk.status_code == 400 and "register.xlsx" in junk.text
    done = client.post("/mous/import", files={"file": ("register.xlsx", good, XLSX)})
    assert done.status_code == 200 and "3 MoUs imported" in done.text and _mous(engine) == 3
    listing = client.get("/mous", params={"district": "Lucknow"}).text
    link = listing.split('href="/api/mous/export?')[1].split('"')[0].replace("&amp;", "&")
    assert link == "format=xlsx&district=Lucknow"
    exported = client.get(f"/api/mous/export?{link}")
    assert exported.status_code == 200 and exported.headers["content-type"] == XLSX
    assert pages(Role.officer).get("/mous/import").status_code == 403
    assert pages(Role.viewer).post("/opportunities/import", files={"file": ("x.csv", b"Title\nA\n", "text/csv")}
                                   ).status_code == 403


def test_lead_import_page(pages: Pages, engine: Engine) -> None:
    client = pages(Role.officer)
    sheet = b"Title,Stage,Country\nCold chain,engaged,JP\n"
    done = client.post("/opportunities/import", files={"file": ("leads.csv", sheet, "text/csv")})
    assert done.status_code == 200 and "1 leads imported" in done.text
    assert "Cold chain" in client.get("/opportunities").text
