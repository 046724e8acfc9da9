"""Uploads and downloads through the REST API, with roles."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from httpx import Response
from openpyxl import load_workbook
from sqlalchemy import Engine

from investdesk.config import Settings
from investdesk.models.enums import Role
from investdesk.permissions import Actor
from investdesk.web.app import create_app
from investdesk.web.deps import get_actor
from tests.exchange.helpers import counts, mou_rows, xlsx

Api = Callable[..., TestClient]


def upload(client: TestClient, url: str, path: Path, **params: str) -> Response:
    with path.open("rb") as fh:
        return client.post(url, files={"file": (path.name, fh, "application/octet-stream")}, params=params)


def test_dry_run_then_import(api: Api, engine: Engine, tmp_path: Path) -> None:
    rows = mou_rows(3)
    rows[0].append("Colour")
    path = xlsx(tmp_path / "mous.xlsx", rows)
    before = counts(engine)
    dry = upload(api(Role.manager), "/api/mous/import", path, dry_run="true")
    assert dry.status_code == 200, dry.text
    assert dry.json() == {"created": 0, "rows": 3, "dry_run": True, "new_organizations": 3, "updated": 0,
                          "unchanged": 0, "summary": "3 new, 0 updated, 0 unchanged",
                          "warnings": ["column 'Colour' is not a MoU field and was ignored"]}
    assert counts(engine) == before
    done = upload(api(Role.manager), "/api/mous/import", path)
    assert done.status_code == 200 and done.json()["created"] == 3
    listed = api(Role.viewer).get("/api/mous").json()
    assert sorted(m["title"] for m in listed["items"]) == ["Project 1", "Project 2", "Project 3"]


def test_rows_with_problems_are_422_listing_each_and_nothing_is_written(api: Api, engine: Engine,
                                                                         tmp_path: Path) -> None:
    path = xlsx(tmp_path / "mous.xlsx", mou_rows(4, Employment=-3, Status="half built"))
    before = counts(engine)
    response = upload(api(), "/api/mous/import", path)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_failed"
    assert body["detail"] == "mous.xlsx: 2 problem(s) in 1 row(s); nothing was imported"
    assert body["problems"] == [
        {"row": 5, "column": "Employment", "problem": "must not be negative (-3)"},
        {"row": 5, "column": "Status", "problem": "'half built' is not a status: use one of signed, land_identified, "
                                                  "land_allotted, approvals, construction, commercial_operation, "
                                                  "stalled, withdrawn"}]
    assert body["problems_total"] == 2
    assert counts(engine) == before


def test_roles_on_import(api: Api, engine: Engine, tmp_path: Path) -> None:
    mous_file = xlsx(tmp_path / "mous.xlsx", mou_rows(2))
    leads_file = xlsx(tmp_path / "leads.xlsx", [["Lead", "Investor", "Stage"], ["Fab", "Hanbit Semi", "engaged"]])
    before = counts(engine)
    for role in (Role.viewer, Role.nodal_officer, Role.officer):
        denied = upload(api(role), "/api/mous/import", mous_file)
        assert denied.status_code == 403 and denied.json()["error"] == "forbidden"
    assert upload(api(Role.viewer), "/api/opportunities/import", leads_file).status_code == 403
    assert counts(engine) == before
    officer = upload(api(Role.officer), "/api/opportunities/import", leads_file)
    assert officer.status_code == 200 and officer.json()["created"] == 1 and officer.json()["new_organizations"] == 1


def test_unreadable_upload_and_the_size_limit(engine: Engine, tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, max_upload_mb=1), engine=engine)
    app.dependency_overrides[get_actor] = lambda: Actor(id=None, label="admin@test", role=Role.admin)
    client = TestClient(app, raise_server_exceptions=False)
    junk = tmp_path / "mous.xlsx"
    junk.write_bytes(b"PK\x03\x04 this is not a workbook")
    bad = upload(client, "/api/mous/import", junk)
    assert bad.status_code == 400 and bad.json()["error"] == "unreadable_file"
    assert bad.json()["detail"].startswith("mous.xlsx: not a readable .xlsx file")
    big = tmp_path / "big.csv"
    big.write_text("Title,Notes\n" + "A project,\"" + "x" * (1 << 20) + "\"\n", encoding="utf-8")
    refused = upload(client, "/api/mous/import", big)
    assert refused.status_code == 413
    assert refused.json()["detail"] == "big.csv: larger than the 1 MB upload limit (INVESTDESK_MAX_UPLOAD_MB)"
    assert counts(engine)["mous"] == 0


def _seed(client: TestClient) -> None:
    for title, district, status in (("Agra plant", "Agra", "signed"), ("Agra depot", "Agra", "approvals"),
                                    ("Jhansi park", "Jhansi", "signed")):
        mou = client.post("/api/mous", json={"title": title, "district": district, "signed_date": "2024-06-01",
                                             "amount": {"value": 120, "currency": "INR", "unit": "crore"}})
        assert mou.status_code == 201, mou.text
        if status != "signed":
            client.post(f"/api/mous/{mou.json()['id']}/status", json={"status": status, "version": 1})


def _csv_rows(response: Response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_files_filters_and_nodal_scope(api: Api) -> None:
    admin = api()
    _seed(admin)
    everything = admin.get("/api/mous/export", params={"format": "csv"})
    assert everything.status_code == 200
    assert everything.headers["content-type"].startswith("text/csv")
    assert everything.headers["content-disposition"] == \
        f'attachment; filename="mous-{dt.date.today().isoformat()}.csv"'
    assert sorted(r["Title"] for r in _csv_rows(everything)) == ["Agra depot", "Agra plant", "Jhansi park"]
    approvals = admin.get("/api/mous/export", params={"format": "csv", "status": "approvals"})
    assert [r["Title"] for r in _csv_rows(approvals)] == ["Agra depot"]
    nodal = api(Role.nodal_officer, districts=("Jhansi",)).get("/api/mous/export", params={"format": "csv"})
    assert [(r["Title"], r["District"]) for r in _csv_rows(nodal)] == [("Jhansi park", "Jhansi")]
    book = api(Role.viewer).get("/api/mous/export", params={"district": "Agra"})
    assert book.status_code == 200 and book.headers["content-disposition"].endswith('.xlsx"')
    ws = load_workbook(io.BytesIO(book.content)).active
    assert ws is not None
    assert [ws.cell(row=r, column=3).value for r in range(2, ws.max_row + 1)] == ["Agra plant", "Agra depot"]
    assert ws["E2"].value == dt.datetime(2024, 6, 1) and ws["I2"].value == 120
    assert admin.get("/api/mous/export", params={"format": "pdf"}).status_code == 422
    first = _csv_rows(everything)[0]["ID"]
    assert admin.get(f"/api/mous/{first}").json()["title"] == _csv_rows(everything)[0]["Title"]


def test_leads_export_by_stage(api: Api) -> None:
    admin = api()
    for title, stage in (("Fab", "engaged"), ("Cells", "interested")):
        assert admin.post("/api/opportunities", json={"title": title, "stage": stage}).status_code == 201
    response = api(Role.viewer).get("/api/opportunities/export", params={"format": "csv", "stage": "interested"})
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="opportunities-')
    assert [(r["Title"], r["Stage"]) for r in _csv_rows(response)] == [("Cells", "interested")]
