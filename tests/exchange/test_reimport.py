"""An export imported again: rows of the ID column are compared with their MoU, so nothing is created twice;
rows that differ update their MoU (version-checked when the sheet has a Version column)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.errors import Conflict
from investdesk.exchange import service as exchange
from investdesk.models import AuditEvent, Mou, MouStatusChange, Organization
from investdesk.models.enums import MouStatus
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate, MouFilter, MouUpdate, StatusUpdate
from investdesk.pipeline.schemas import AmountIn
from tests.factories import SYSTEM, create_organization


def _seed(session: Session) -> list[int]:
    tanaka = create_organization(session, name="Tanaka Electric Co. Ltd.", acronym=None, kind="company")
    a = mous.create(session, actor=SYSTEM, data=MouCreate(
        title="Cell line", party_ids=[tanaka.id], signed_date=dt.date(2024, 1, 12), jobs=1200,
        amount=AmountIn(value=300, currency="USD", unit="million"), sector="electric_mobility", district="Agra",
        notes="Phase one"))
    mous.update(session, actor=SYSTEM, mou_id=a.id, data=MouUpdate(reference="GIS-7", version=a.version))
    b = mous.create(session, actor=SYSTEM, data=MouCreate(
        title="Testing lab", signed_date=dt.date(2023, 2, 10), amount=AmountIn(value=45.5, unit="lakh"),
        sector="pharmaceuticals", district="Jhansi"))
    mous.update_status(session, actor=SYSTEM, mou_id=b.id, data=StatusUpdate(status=MouStatus.land_allotted,
                                                                              version=b.version))
    c = mous.create(session, actor=SYSTEM, data=MouCreate(title="Bare"))
    return [a.id, b.id, c.id]


def _export(session: Session, path: Path) -> Path:
    exchange.save(exchange.export_mous(session, actor=SYSTEM, flt=MouFilter()), path)
    return path


def _counts(session: Session) -> tuple[int, int, int, int]:
    return tuple(session.scalar(select(func.count()).select_from(m)) or 0  # type: ignore[return-value]
                 for m in (Mou, MouStatusChange, Organization, AuditEvent))


def _import(session: Session, path: Path, dry_run: bool = False) -> exchange.ImportReport:
    return exchange.import_mous(session, actor=SYSTEM, source=exchange.Source.from_path(path), dry_run=dry_run)


def test_reimporting_an_unchanged_export_changes_nothing(session: Session, tmp_path: Path) -> None:
    _seed(session)
    path = _export(session, tmp_path / "mous.xlsx")
    before = _counts(session)
    dry = _import(session, path, dry_run=True)
    assert dry.summary == "0 new, 0 updated, 3 unchanged"
    report = _import(session, path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert _counts(session) == before


def test_an_edited_export_updates_its_mous_and_creates_the_new_rows(session: Session, tmp_path: Path) -> None:
    ids = _seed(session)
    path = _export(session, tmp_path / "mous.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    ws.cell(row=2, column=col["Amount"], value=350)  # Cell line: a larger value
    ws.cell(row=4, column=col["Title"], value="Bare warehouse")
    ws.cell(row=4, column=col["Parties"], value="Kiso Foods")  # an organization still unknown
    ws.append(["", None, "Cold store", "Kiso Foods"])
    wb.save(path)
    dry = _import(session, path, dry_run=True)
    assert dry.summary == "1 new, 2 updated, 1 unchanged"
    assert any(f"MoU {ids[0]} (amount)" in w for w in dry.warnings)
    report = _import(session, path)
    assert (report.created, report.updated, report.unchanged) == (1, 2, 1)
    session.expire_all()
    cell, bare = session.get(Mou, ids[0]), session.get(Mou, ids[2])
    assert cell is not None and bare is not None
    assert float(cell.amount_value) == 350 and cell.reference == "GIS-7" and cell.notes == "Phase one"
    assert bare.title == "Bare warehouse"
    kiso = session.scalars(select(Organization).where(Organization.name == "Kiso Foods")).all()
    assert len(kiso) == 1  # created once, for the update and the new row alike
    assert session.scalar(select(func.count()).select_from(Mou)) == 4
    updates = session.scalars(select(AuditEvent.summary).where(AuditEvent.entity_type == "mou",
                                                                AuditEvent.action == "update")).all()
    # No Version column: the two MoUs are overwritten, and the audit trail says so.
    assert sorted(s for s in updates if "forced" in s) == [
        "updated MoU Bare warehouse (forced: saved without a version, over whatever was stored)",
        "updated MoU Cell line (forced: saved without a version, over whatever was stored)"]


def test_a_version_column_refuses_a_stale_row(session: Session, tmp_path: Path) -> None:
    ids = _seed(session)
    path = _export(session, tmp_path / "mous.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws.cell(row=1, column=ws.max_column + 1, value="Version")
    current = {m.id: m.version for m in session.scalars(select(Mou))}
    for r, mid in enumerate(ids, start=2):
        ws.cell(row=r, column=ws.max_column, value=current[mid])
    title = [c.value for c in ws[1]].index("Title") + 1
    ws.cell(row=2, column=title, value="Cell line, phase one")
    wb.save(path)
    mous.update(session, actor=SYSTEM, mou_id=ids[0], data=MouUpdate(jobs=1300, version=current[ids[0]]))
    with pytest.raises(Conflict, match="changed by someone else"):
        _import(session, path)


def test_the_dry_run_flags_likely_duplicates_before_anything_is_written(session: Session, tmp_path: Path) -> None:
    ids = _seed(session)
    sheet = tmp_path / "register.xlsx"
    from tests.exchange.helpers import xlsx
    xlsx(sheet, [["Title", "Investor", "Value", "Currency", "Unit", "Date of MoU"],
                 ["Cells again", "tanaka electric co. ltd.", 300, "USD", "million", "2024-01-12"],
                 ["Kiso plant", "Kiso Foods", 40, "INR", "crore", "2025-02-22"],
                 ["Kiso plant (copy)", "Kiso Foods", 40, "INR", "crore", "2025-02-22"],
                 ["Kiso depot", "Kiso Foods", 41, "INR", "crore", "2025-02-22"]])
    before = _counts(session)
    dry = _import(session, sheet, dry_run=True)
    assert _counts(session) == before
    assert dry.summary == "4 new, 0 updated, 0 unchanged"
    assert f"row 2 looks like MoU {ids[0]}, already recorded (same party, date and value)" in dry.warnings
    assert "row 4 looks like row 3 (same party, date and value)" in dry.warnings
    assert not any(w.startswith("row 5") for w in dry.warnings)  # another value: not a duplicate
