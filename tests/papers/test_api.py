"""Papers over HTTP: each a download with the caller's scope; bad input is a one-line 4xx, never a 500."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import docx
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine

from investdesk.db import transaction
from investdesk.models.enums import Role
from tests.papers.data import DISTRICTS, generate, pdf_text

Client = Callable[..., TestClient]


def _data(engine: Engine) -> dict[str, int]:
    with transaction(engine) as session:
        data = generate(session, n_mous=15)
        assert data.org and data.mission
        return {"org": data.org.id, "mission": data.mission.id}


def test_each_paper_downloads(engine: Engine, api: Client) -> None:
    ids = _data(engine)
    client = api(Role.viewer)
    r = client.get(f"/api/briefs/organizations/{ids['org']}.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="brief-organization-{ids["org"]}.pdf"'
    assert "Hokuto Precision Motors" in pdf_text(r.content)
    r = client.get(f"/api/reports/missions/{ids['mission']}.docx")
    assert r.status_code == 200 and r.headers["content-type"].endswith("wordprocessingml.document")
    assert any("Investor lunch" in p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    r = client.get(f"/api/reports/missions/{ids['mission']}.pdf")
    assert r.status_code == 200 and "Chip materials round table" in pdf_text(r.content)
    r = client.get("/api/packs/mous.xlsx", params={"from": "2021-01-01", "to": "2025-12-31", "district": "Agra"})
    assert r.status_code == 200
    districts = {row[0] for row in load_workbook(io.BytesIO(r.content))["Districts"].iter_rows(values_only=True)}
    assert districts == {"District", "Agra", "Total"}
    month = dt.date.today().strftime("%Y-%m")
    r = client.get("/api/reports/pipeline-monthly.pdf", params={"month": month})
    assert r.status_code == 200 and "Motor plant in Jhansi" in pdf_text(r.content)


def test_a_nodal_officers_pack_through_the_api_holds_only_their_districts(engine: Engine, api: Client) -> None:
    _data(engine)
    r = api(Role.nodal_officer, districts=("Jhansi",)).get("/api/packs/mous.pdf")
    assert r.status_code == 200
    text = pdf_text(r.content)
    assert "Jhansi" in text and "3 MoUs signed" in text
    assert not [d for d in DISTRICTS if d != "Jhansi" and d in text]


def test_bad_input_is_a_clear_4xx(engine: Engine, api: Client) -> None:
    _data(engine)
    client = api(Role.admin)
    r = client.get("/api/packs/mous.pdf", params={"from": "2025-01-01", "to": "2024-01-01"})
    assert r.status_code == 422 and "to: 2024-01-01 is before from: 2025-01-01" in r.json()["detail"]
    r = client.get("/api/packs/mous.xlsx", params={"district": "Atlantis"})
    assert r.status_code == 422 and "Atlantis" in r.json()["detail"]
    r = client.get("/api/packs/mous.pdf", params={"from": "yesterday"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "from"
    r = client.get("/api/reports/pipeline-monthly.pdf", params={"month": "2026-13"})
    assert r.status_code == 422 and "month" in r.json()["detail"]
    assert client.get("/api/briefs/organizations/999999.pdf").status_code == 404
    assert client.get("/api/briefs/people/999999.pdf").status_code == 404
    assert client.get("/api/reports/missions/999999.docx").status_code == 404
    r = client.get("/api/packs/mous.pdf", params={"from": "1990-01-01", "to": "1990-01-31"})
    assert r.status_code == 200 and "No MoUs you may see match this pack" in pdf_text(r.content)


def test_a_pack_for_a_financial_year(engine: Engine, api: Client) -> None:
    _data(engine)
    client = api(Role.viewer)
    by_year = client.get("/api/packs/mous.xlsx", params={"fy": "FY 2023-24"})
    by_dates = client.get("/api/packs/mous.xlsx", params={"from": "2023-04-01", "to": "2024-03-31"})
    assert by_year.status_code == by_dates.status_code == 200
    assert 'mou-pack-2023-04-01-2024-03-31.xlsx' in by_year.headers["content-disposition"]
    year = load_workbook(io.BytesIO(by_year.content))
    dates = load_workbook(io.BytesIO(by_dates.content))
    assert [[c.value for c in row] for row in year.worksheets[1].iter_rows()] == \
        [[c.value for c in row] for row in dates.worksheets[1].iter_rows()]
    assert any("FY 2023-24" in str(c.value) for row in year.worksheets[0].iter_rows() for c in row)
    bad = client.get("/api/packs/mous.pdf", params={"fy": "2023-25"})
    assert bad.status_code == 422 and "is not a financial year like FY 2026-27" in bad.text
    both = client.get("/api/packs/mous.pdf", params={"fy": "2023-24", "from": "2023-01-01"})
    assert both.status_code == 422 and "not both" in both.text
