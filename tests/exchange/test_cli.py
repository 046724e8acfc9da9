"""`mou import|export` and `opportunity import|export` end to end on the test database."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload
from typer.testing import CliRunner, Result

from investdesk.cli import app
from investdesk.db import transaction
from investdesk.models import Mou, Opportunity
from investdesk.models.enums import MouStatus
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate, StatusUpdate
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate
from tests.exchange.helpers import MOU_HEADER, counts, mou_rows, wipe, xlsx
from tests.factories import SYSTEM, create_organization

runner = CliRunner()
MOU_STATUS = MOU_HEADER.index("Status")


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


def test_dry_run_writes_nothing_then_the_import_writes_all(env_db: Engine, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "mous.xlsx", [*mou_rows(3), [None, None, None, None, None, None]])
    before = counts(env_db)
    result = invoke("mou", "import", str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"dry run: 3 MoUs in {path} are valid (3 new organizations would be created); nothing was written" \
        in result.stdout
    assert counts(env_db) == before
    result = invoke("mou", "import", str(path))
    assert result.exit_code == 0, result.output
    assert f"imported 3 MoUs from {path}" in result.stdout
    after = counts(env_db)
    assert (after["mous"], after["organizations"], after["audit_events"]) == (3, 3, 3 + 1)


def test_problems_are_a_table_exit_1_and_nothing_is_written(env_db: Engine, tmp_path: Path) -> None:
    rows = mou_rows(60)
    for row in rows[1:]:
        row[MOU_STATUS] = "half built"
    rows[0].append("Colour")
    before = counts(env_db)
    result = invoke("mou", "import", str(xlsx(tmp_path / "bad.xlsx", rows)))
    assert result.exit_code == 1
    assert "60 problem(s) in 60 row(s); nothing was imported" in result.stdout
    assert "│   2 │ Status │ 'half built' is not a status" in result.stdout
    assert "│  51 │ Status │" in result.stdout and "│  52 │" not in result.stdout  # the first 50
    assert "... and 10 more problems" in result.stdout
    assert "warning: column 'Colour' is not a MoU field and was ignored" in result.stderr
    assert counts(env_db) == before


def _truncated_xlsx(path: Path) -> Path:
    good = xlsx(path.with_name("good.xlsx"), mou_rows(3))
    path.write_bytes(good.read_bytes()[:900])
    return path


def _no_sheet_data(path: Path) -> Path:
    return xlsx(path, [])


def _not_a_workbook_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return path


@pytest.mark.parametrize("name, content, message", [
    ("corrupt.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50, "not a readable .xlsx file"),
    ("junk.xlsx", bytes(range(256)) * 4, "not a readable .xlsx file (it is not an Excel workbook)"),
    ("junk.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "not a CSV file (binary data)"),
    ("empty.csv", b"", "the file is empty"),
    ("blank.csv", b",,,\n\n , \n", "no header row"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "an Excel 97-2003 (.xls) workbook"),
    ("notes.pdf", b"%PDF-1.4 hello", "unsupported file type '.pdf'"),
    ("truncated.xlsx", _truncated_xlsx, "not a readable .xlsx file"),
    ("nodata.xlsx", _no_sheet_data, "no header row"),
    ("other.xlsx", _not_a_workbook_zip, "not a readable .xlsx file"),
])
def test_unreadable_files_are_one_line_exit_2(env_db: Engine, tmp_path: Path, name: str, content: Any,
                                              message: str) -> None:
    path = tmp_path / name
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)
    result = invoke("mou", "import", str(path))
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: ") and message in lines[0], result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_missing_file_is_one_line(env_db: Engine, tmp_path: Path) -> None:
    result = invoke("opportunity", "import", str(tmp_path / "nowhere.csv"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nowhere.csv'}: cannot be read (No such file or directory)"


def test_a_database_failure_is_one_line_and_leaves_nothing(env_db: Engine, tmp_path: Path,
                                                          failing_import_audit: None) -> None:
    before = counts(env_db)
    result = invoke("mou", "import", str(xlsx(tmp_path / "m.xlsx", mou_rows(20))))
    assert result.exit_code == 2, result.output
    assert "disk full (test)" in result.stderr and "nothing was written" in result.stderr
    assert counts(env_db) == before


def _mous(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as s:
        rows = s.scalars(select(Mou).options(selectinload(Mou.parties)).order_by(Mou.title)).all()
        return [(m.title, m.reference, sorted(p.name for p in m.parties), m.signed_date, float(m.amount_value or 0),
                 m.amount_currency, m.amount_unit, m.amount_inr_crore, m.jobs, m.sector_id, m.district, m.department,
                 m.status, m.status_updated_at.replace(tzinfo=None, microsecond=0), m.notes) for m in rows]


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_then_import_into_an_empty_database_gives_the_same_mous(env_db: Engine, tmp_path: Path,
                                                                       suffix: str) -> None:
    with transaction(env_db) as session:
        sakura = create_organization(session, name="Sakura Battery Systems", acronym=None, kind="company")
        tanaka = create_organization(session, name="Tanaka Electric Co., Ltd.", acronym=None, kind="company")
        mous.create(session, actor=SYSTEM, data=MouCreate(
            title="Cell line", party_ids=[sakura.id, tanaka.id], signed_date=dt.date(2024, 1, 12), jobs=1200,
            amount=AmountIn(value=300, currency="USD", unit="million"), sector="electric_mobility",
            district="Allahabad", department="Infrastructure & Industrial Development", notes="=SUM(A1:A2) is text"))
        m = mous.create(session, actor=SYSTEM, data=MouCreate(
            title="Testing lab", signed_date=dt.date(2023, 2, 10), amount=AmountIn(value=45.5, unit="lakh"),
            sector="pharmaceuticals", district="Jhansi"))
        mous.update_status(session, actor=SYSTEM, mou_id=m.id,
                           data=StatusUpdate(status=MouStatus.land_allotted, version=m.version),
                           at=dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC))
        mous.create(session, actor=SYSTEM, data=MouCreate(title="Bare"))
    original = _mous(env_db)
    out = tmp_path / f"mous.{suffix}"
    result = invoke("mou", "export", str(out))
    assert result.exit_code == 0 and "exported 3 MoUs" in result.stdout, result.output
    wipe(env_db)
    result = invoke("mou", "import", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no warnings: every exported column is known
    assert _mous(env_db) == original


def _leads(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as s:
        rows = s.scalars(select(Opportunity).options(selectinload(Opportunity.counterpart),
                                                     selectinload(Opportunity.sectors))).all()
        return sorted((o.title, o.counterpart.name if o.counterpart else None, o.kind, o.stage, o.stage_reason,
                       [x.id for x in o.sectors], o.amount_inr_crore, o.jobs, o.country, o.district, o.next_action,
                       o.next_action_due) for o in rows)


def test_leads_export_then_import_round_trip(env_db: Engine, tmp_path: Path) -> None:
    with transaction(env_db) as session:
        org = create_organization(session)
        pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
            title="Pharma park tenants", counterpart_id=org.id, kind="investment", stage="on_hold",
            stage_reason="Waiting for the policy", sectors=["pharmaceuticals", "medical_devices"],
            amount=AmountIn(value=2, currency="JPY", unit="billion"), country="JP", district="Lucknow",
            next_action="Send the policy note", next_action_due=dt.date(2025, 3, 1)))
        pipeline.create(session, actor=SYSTEM,
                        data=OpportunityCreate(title="Startup desk", kind="startup_soft_landing"))
    original = _leads(env_db)
    out = tmp_path / "leads.xlsx"
    assert invoke("opportunity", "export", str(out), "--country", "jp").exit_code == 0
    assert invoke("opportunity", "export", str(tmp_path / "all.csv")).exit_code == 0
    wipe(env_db)
    result = invoke("opportunity", "import", str(tmp_path / "all.csv"))
    assert result.exit_code == 0 and "imported 2 leads" in result.stdout, result.output
    assert _leads(env_db) == original
    wb = load_workbook(out, read_only=True)
    ws = wb.active
    assert ws is not None
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == ["Pharma park tenants"]
    wb.close()


def test_export_filters_bold_header_dates_and_format(env_db: Engine, tmp_path: Path) -> None:
    with transaction(env_db) as session:
        for title, district, sector in (("A", "Agra", "pharmaceuticals"), ("B", "Agra", "textiles"),
                                        ("C", "Jhansi", "pharmaceuticals")):
            mous.create(session, actor=SYSTEM, data=MouCreate(title=title, district=district, sector=sector,
                                                              signed_date=dt.date(2024, 5, 1)))
    out = tmp_path / "agra.xlsx"
    result = invoke("mou", "export", str(out), "--district", "agra", "--sector", "Pharmaceuticals")
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    ws = wb.active
    assert ws is not None
    assert ws["A1"].value == "ID" and ws["A1"].font.b and ws.freeze_panes == "A2"
    assert [ws.cell(row=r, column=3).value for r in range(2, ws.max_row + 1)] == ["A"]
    assert ws["E2"].is_date and ws["E2"].value == dt.datetime(2024, 5, 1)
    result = invoke("mou", "export", str(tmp_path / "mous.pdf"))
    assert result.exit_code == 2 and "export to a .xlsx or .csv file" in result.stderr
    assert not (tmp_path / "mous.pdf").exists()
