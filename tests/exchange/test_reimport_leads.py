"""Leads by ID, as MoUs: an export imported again changes nothing; edited rows update their lead (version-checked
with a Version column), the rest are created; the dry run counts and flags likely duplicates first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.errors import Conflict
from investdesk.exchange import service as exchange
from investdesk.models import AuditEvent, Opportunity, OpportunityStageChange, Organization
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate, OpportunityFilter, OpportunityUpdate
from tests.exchange.helpers import xlsx
from tests.factories import SYSTEM, create_organization


def _seed(session: Session) -> list[int]:
    tanaka = create_organization(session, name="Tanaka Electric Co. Ltd.", acronym=None, kind="company")
    a = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
        title="Magnet plant", counterpart_id=tanaka.id, kind="manufacturing_base", stage="interested",
        sectors=["critical_minerals"], amount=AmountIn(value=300, currency="USD", unit="million"), jobs=800,
        country="JP", district="Jhansi", next_action="Share land options", next_action_due=dt.date(2030, 1, 15),
        notes="Met in Tokyo"))
    b = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
        title="Testing lab", amount=AmountIn(value=45.5, unit="lakh"), district="Agra"))
    c = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title="Bare"))
    return [a.id, b.id, c.id]


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(session.scalar(select(func.count()).select_from(m)) or 0
                 for m in (Opportunity, OpportunityStageChange, Organization, AuditEvent))


def _export(session: Session, path: Path) -> Path:
    exchange.save(exchange.export_opportunities(session, actor=SYSTEM, flt=OpportunityFilter()), path)
    return path


def _import(session: Session, path: Path, dry_run: bool = False) -> exchange.ImportReport:
    return exchange.import_opportunities(session, actor=SYSTEM, source=exchange.Source.from_path(path),
                                         dry_run=dry_run)


@pytest.mark.parametrize("name", ["leads.xlsx", "leads.csv"])
def test_reimporting_an_unchanged_lead_export_changes_nothing(session: Session, tmp_path: Path, name: str) -> None:
    _seed(session)
    path = _export(session, tmp_path / name)
    before = _counts(session)
    assert _import(session, path, dry_run=True).summary == "0 new, 0 updated, 3 unchanged"
    report = _import(session, path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert _counts(session) == before


def test_an_edited_lead_export_updates_its_leads_and_creates_the_new_rows(session: Session, tmp_path: Path) -> None:
    ids = _seed(session)
    path = _export(session, tmp_path / "leads.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    col = {c.value: i for i, c in enumerate(ws[1], start=1)}
    ws.cell(row=2, column=col["Amount"], value=350)
    ws.cell(row=2, column=col["Stage"], value="engaged")  # a stage moves on the lead's page: a warning
    ws.cell(row=4, column=col["Title"], value="Bare warehouse")
    ws.cell(row=4, column=col["Counterpart"], value="Kiso Foods")  # an organization still unknown
    ws.append(["", "Cold store", "Kiso Foods"])
    wb.save(path)
    dry = _import(session, path, dry_run=True)
    assert dry.summary == "1 new, 2 updated, 1 unchanged"
    assert any(f"lead {ids[0]} (amount)" in w for w in dry.warnings)
    assert any(f"lead {ids[2]} (title, counterpart)" in w for w in dry.warnings)
    assert any(f"the stage of lead {ids[0]} was left as it is (interested)" in w for w in dry.warnings)
    report = _import(session, path)
    assert (report.created, report.updated, report.unchanged) == (1, 2, 1)
    session.expire_all()
    magnet, bare = session.get(Opportunity, ids[0]), session.get(Opportunity, ids[2])
    assert magnet is not None and bare is not None
    assert float(magnet.amount_value or 0) == 350 and magnet.stage.value == "interested" and magnet.jobs == 800
    assert bare.title == "Bare warehouse"
    kiso = session.scalars(select(Organization).where(Organization.name == "Kiso Foods")).all()
    assert len(kiso) == 1 and bare.counterpart_id == kiso[0].id
    assert session.scalar(select(func.count()).select_from(Opportunity)) == 4


def test_a_version_column_refuses_a_stale_lead_row(session: Session, tmp_path: Path) -> None:
    ids = _seed(session)
    path = _export(session, tmp_path / "leads.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws.cell(row=1, column=ws.max_column + 1, value="Version")
    current = {o.id: o.version for o in session.scalars(select(Opportunity))}
    for r, oid in enumerate(ids, start=2):
        ws.cell(row=r, column=ws.max_column, value=current[oid])
    title = [c.value for c in ws[1]].index("Title") + 1
    ws.cell(row=2, column=title, value="Magnet plant, phase one")
    wb.save(path)
    pipeline.update(session, actor=SYSTEM, opportunity_id=ids[0], data=OpportunityUpdate(jobs=900,
                                                                                      version=current[ids[0]]))
    with pytest.raises(Conflict):
        _import(session, path)


def test_the_lead_dry_run_flags_likely_duplicates(session: Session, tmp_path: Path) -> None:
    ids = _seed(session)
    sheet = tmp_path / "leads.xlsx"
    xlsx(sheet, [["Title", "Counterpart", "Kind", "Amount", "Currency", "Unit"],
                 ["Magnets again", "tanaka electric co. ltd.", "manufacturing base", 300, "USD", "million"],
                 ["Kiso plant", "Kiso Foods", "investment", 40, "INR", "crore"],
                 ["Kiso plant (copy)", "Kiso Foods", "investment", 40, "INR", "crore"],
                 ["Kiso depot", "Kiso Foods", "investment", 41, "INR", "crore"]])
    before = _counts(session)
    dry = _import(session, sheet, dry_run=True)
    assert _counts(session) == before
    assert dry.summary == "4 new, 0 updated, 0 unchanged"
    assert f"row 2 looks like lead {ids[0]}, already recorded (same counterpart, kind and value)" in dry.warnings
    assert "row 4 looks like row 3 (same counterpart, kind and value)" in dry.warnings
    assert not any(w.startswith("row 5") for w in dry.warnings)
