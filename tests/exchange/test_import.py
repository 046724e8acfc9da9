"""Imports through the service on the real database: units, dates, sectors, the problem report, all or nothing,
organizations, assignment, leads."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, selectinload

from investdesk.db import transaction
from investdesk.errors import InvestDeskError, PermissionDenied
from investdesk.exchange import service as exchange
from investdesk.exchange.errors import ImportRejected
from investdesk.exchange.schemas import ImportReport
from investdesk.models import AuditEvent, Mou, MouStatusChange, Opportunity, Organization, User
from investdesk.models.enums import MouStatus, OpportunityKind, OpportunityStage, Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.permissions import Actor
from investdesk.pipeline.schemas import AmountIn
from tests.exchange.helpers import counts, mou_rows, xlsx
from tests.factories import SYSTEM, create_organization


def _import(session: Session, path: Path, **kw: Any) -> ImportReport:
    return exchange.import_mous(session, actor=SYSTEM, source=exchange.Source.from_path(path), **kw)


def _problems(exc: pytest.ExceptionInfo[ImportRejected]) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.problem) for p in exc.value.problems]


def test_units_read_from_the_header_and_from_currency_unit_columns(session: Session, tmp_path: Path) -> None:
    _import(session, xlsx(tmp_path / "a.xlsx", [["Project", "MoU Value (Rs Cr)"], ["Cells", "1,200"]]))
    _import(session, xlsx(tmp_path / "b.xlsx", [["Title", "Amount (Rs lakh)"], ["Kiosk", 50]]))
    _import(session, xlsx(tmp_path / "c.xlsx", [["MoU Title", "Value (USD mn)"], ["Fab", 10]]))
    _import(session, xlsx(tmp_path / "d.xlsx", [["Title", "Amount", "Currency", "Unit"],
                                                ["Park", 300, "USD", "million"], ["Depot", "Rs 2 crore", None, None]]))
    got = {m.title: (m.amount_inr_crore, m.amount_value, m.amount_currency, m.amount_unit)
           for m in session.scalars(select(Mou))}
    assert got == {"Cells": (1200.0, 1200, "INR", "crore"), "Kiosk": (0.5, 50, "INR", "lakh"),
                   "Fab": (88.7, 10, "USD", "million"), "Park": (2661.0, 300, "USD", "million"),
                   "Depot": (2.0, 2, "INR", "crore")}


def test_every_date_form_and_sector_by_name_or_id(session: Session, tmp_path: Path) -> None:
    dates: list[Any] = [dt.datetime(2024, 1, 12), "2024-01-12", "12-01-2024", "12/01/2024", "12 Jan 2024", 45303]
    sectors = ["Pharmaceuticals", "electric_mobility", "ELECTRIC MOBILITY AND BATTERIES", "IT, software and GCCs",
               None, "Critical minerals and rare earths"]
    rows = [["Project", "Sector", "Signed On"],
            *[[f"P{i}", s, d] for i, (s, d) in enumerate(zip(sectors, dates, strict=True))]]
    report = _import(session, xlsx(tmp_path / "m.xlsx", rows))
    assert report.created == 6
    got = session.execute(select(Mou.title, Mou.sector_id, Mou.signed_date).order_by(Mou.id)).all()
    assert [r.signed_date for r in got] == [dt.date(2024, 1, 12)] * 6
    assert [r.sector_id for r in got] == ["pharmaceuticals", "electric_mobility", "electric_mobility",
                                          "it_services", None, "critical_minerals"]


def test_malformed_rows_are_reported_by_row_and_column(session: Session, tmp_path: Path) -> None:
    rows = [
        ["MoUs signed at the 2024 summit"],  # a caption above the header: the header is row 3
        [],
        ["Project Name", "Employment", "Sector", "Date of Signing", "Status", "District"],
        ["Magnet plant", 450, "Pharmaceuticals", "12-01-2024", "Signed", "Allahabad"],
        ["Cell line", -5, "space tourism", "31/02/2024", "half built", "Lucknow"],
        [],
        ["", "1,200", "pharmaceuticals", "2024-01-12", "approvals", "Atlantis"],
    ]
    with pytest.raises(ImportRejected) as exc:
        _import(session, xlsx(tmp_path / "bad.xlsx", rows))
    assert _problems(exc) == [
        (5, "Employment", "must not be negative (-5)"),
        (5, "Sector", "unknown sector 'space tourism' (see `investdesk sectors`)"),
        (5, "Date of Signing", "'31/02/2024' is not a date (use DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD or 12 Jan 2024)"),
        (5, "Status", "'half built' is not a status: use one of signed, land_identified, land_allotted, approvals, "
                      "construction, commercial_operation, stalled, withdrawn"),
        (7, "Project Name", "is empty: every row needs a title"),
        (7, "District", "'Atlantis' is not a district of the configured list"),
    ]
    assert exc.value.message == f"{tmp_path / 'bad.xlsx'}: 6 problem(s) in 2 row(s); nothing was imported"
    assert session.scalar(select(Mou.id)) is None


def test_values_the_database_cannot_hold_are_row_problems(session: Session, tmp_path: Path) -> None:
    # A NUL past the first 8 KB (there, the file would be binary): PostgreSQL cannot store it in text.
    rows = [["Title", "Jobs", "Amount", "Notes"], ["Big", 3_000_000_000, 10**17, "x" * 9000], ["Nul", 1, 1, "a\x00b"]]
    path = tmp_path / "m.csv"
    path.write_text("\n".join(",".join(str(c) for c in r) for r in rows), encoding="utf-8")
    with pytest.raises(ImportRejected) as exc:
        _import(session, path)
    assert _problems(exc) == [(2, "Jobs", "is too large (3,000,000,000)"),
                              (2, "Amount", "100,000,000,000,000,000 is too large for an amount"),
                              (3, "Notes", "holds a NUL character, which is not text")]


def test_dry_run_checks_and_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    before = counts(engine)
    path = xlsx(tmp_path / "m.xlsx", mou_rows(5))
    with transaction(engine) as session:
        report = _import(session, path, dry_run=True)
    assert (report.rows, report.created, report.new_organizations, report.dry_run) == (5, 0, 5, True)
    assert counts(engine) == before


def test_a_bad_last_row_leaves_the_database_as_it_was(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        create_organization(session, name="Investor 7 Pvt Ltd", kind="company")
        mous.create(session, actor=SYSTEM, data=MouCreate(title="Earlier MoU"))
    before = counts(engine)
    path = xlsx(tmp_path / "forty.xlsx", mou_rows(40, Status="half built"))
    with pytest.raises(ImportRejected) as exc, transaction(engine) as session:
        _import(session, path)
    assert [(p.row, p.column) for p in exc.value.problems] == [(41, "Status")]
    assert counts(engine) == before


def test_a_database_failure_mid_write_leaves_nothing(engine: Engine, tmp_path: Path, failing_import_audit: Any) -> None:
    before = counts(engine)
    path = xlsx(tmp_path / "m.xlsx", mou_rows(30))
    # The driver's error, or the domain error the transaction turns an integrity error into.
    with pytest.raises((DBAPIError, InvestDeskError), match="disk full"), transaction(engine) as session:
        report = _import(session, path)
        assert report.created == 30  # every row went in before the failure
        session.flush()
    assert counts(engine) == before


def test_a_database_failure_while_the_rows_are_copied_leaves_nothing(engine: Engine, tmp_path: Path,
                                                                    failing_history: Any) -> None:
    before = counts(engine)
    rows = mou_rows(30)
    rows[1][rows[0].index("Status")] = "Approvals"  # one MoU further along, with a second history row
    # The driver's own error (the bulk writes go straight to the driver), or the domain error of an integrity error.
    with pytest.raises((DBAPIError, InvestDeskError, sqlite3.Error, psycopg.Error), match="disk full"), \
            transaction(engine) as session:
        _import(session, xlsx(tmp_path / "m.xlsx", rows))
    assert counts(engine) == before
    with transaction(engine) as session:  # the connection serves again, with nothing left running on it
        assert _import(session, xlsx(tmp_path / "n.xlsx", mou_rows(3))).created == 3


def test_parties_resolve_by_exact_name_any_case_else_become_companies(session: Session, tmp_path: Path) -> None:
    kpia = create_organization(session)
    old = create_organization(session, name="Tanaka Denki", acronym=None, kind="company")
    new = create_organization(session, name="Tanaka Electric", acronym=None, kind="company")
    old.merged_into_id = new.id
    session.flush()
    rows = [["Title", "Parties"], ["Pharma park", "kansai pharmaceutical industries association"],
            ["Motors", "TANAKA DENKI; Hanbit Robotics"], ["Robots", "hanbit robotics"]]
    report = _import(session, xlsx(tmp_path / "m.xlsx", rows))
    assert report.new_organizations == 1
    hanbit = session.scalars(select(Organization).where(Organization.name == "Hanbit Robotics")).one()
    assert hanbit.kind == "company" and hanbit.normalized_name == "hanbit robotics"
    got = {m.title: [p.id for p in m.parties] for m in session.scalars(
        select(Mou).options(selectinload(Mou.parties)))}
    assert got == {"Pharma park": [kpia.id], "Motors": [new.id, hanbit.id], "Robots": [hanbit.id]}
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == hanbit.id,
                                                      AuditEvent.entity_type == "organization")).all()
    assert [(e.action, e.after["name"], e.after["kind"]) for e in events] == [("create", "Hanbit Robotics", "company")]
    imports = session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
    ids = [m for m in session.scalars(select(Mou.id).order_by(Mou.id))]
    assert [(e.entity_type, e.after) for e in imports] == [
        ("mou", {"file": "m.xlsx", "rows": 3, "ids": [ids[0], ids[-1]], "new_organizations": 1})]
    assert "imported 3 MoUs from m.xlsx" in imports[0].summary
    history = session.execute(select(MouStatusChange.from_status, MouStatusChange.to_status,
                                     MouStatusChange.note)).all()
    assert history == [(None, MouStatus.signed, "MoU signed; imported from m.xlsx")] * 3


def test_parties_known_by_acronym_alias_or_near_spelling_are_not_created_again(session: Session,
                                                                              tmp_path: Path) -> None:
    kpia = create_organization(session)  # acronym KPIA
    tanaka = create_organization(session, name="Tanaka Electric Co. Ltd.", acronym=None, kind="company",
                                 aliases=["Tanaka Denki"])
    rows = [["Title", "Investor Name"], ["Pharma park", "KPIA"], ["Motors", "Tanaka Denki"],
            ["Magnets", "Tanaka Electric Co Ltd"]]
    report = _import(session, xlsx(tmp_path / "m.xlsx", rows))
    assert report.new_organizations == 0
    got = {m.title: [p.id for p in m.parties] for m in session.scalars(select(Mou).options(selectinload(Mou.parties)))}
    assert got == {"Pharma park": [kpia.id], "Motors": [tanaka.id], "Magnets": [tanaka.id]}
    assert any("'KPIA' was read as the known organization" in w for w in report.warnings)


def test_status_history_reads_in_the_order_things_happened(session: Session, tmp_path: Path) -> None:
    rows = [["Title", "Signed On", "Status", "Status Updated"],
            ["Built", "12-01-2024", "Under Construction", "2025-03-01"], ["New", "2024-02-01", "signed", None],
            ["Undated", None, "approvals", None]]
    _import(session, xlsx(tmp_path / "m.xlsx", rows))
    got = {m.title: (m.status, m.status_updated_at.replace(tzinfo=None), [
        (h.from_status, h.to_status, h.changed_at.replace(tzinfo=None)) for h in m.history])
        for m in session.scalars(select(Mou).options(selectinload(Mou.history)))}
    assert got["Built"] == (MouStatus.construction, dt.datetime(2025, 3, 1), [
        (None, MouStatus.signed, dt.datetime(2024, 1, 12)),
        (MouStatus.signed, MouStatus.construction, dt.datetime(2025, 3, 1))])
    assert got["New"][2] == [(None, MouStatus.signed, dt.datetime(2024, 2, 1))]
    undated = got["Undated"][2]
    assert [(h[0], h[1]) for h in undated] == [(None, MouStatus.signed), (MouStatus.signed, MouStatus.approvals)]
    assert undated[0][2] == undated[1][2] == got["Undated"][1]  # both now, as the status itself


def _assignments(session: Session) -> list[tuple[str, int | None, int | None, bool]]:
    return [(m.title, m.account_manager_id, m.nodal_officer_id, m.assignment_overridden)
            for m in session.scalars(select(Mou).where(Mou.title != "Existing").order_by(Mou.id))]


def test_assignment_is_the_same_as_creating_one_by_one(session: Session, tmp_path: Path) -> None:
    m1, m2 = User(email="am1@x.gov", role=Role.manager), User(email="am2@x.gov", role=Role.manager)
    nodal = User(email="nodal@x.gov", role=Role.nodal_officer, districts=["Jhansi"])
    other = User(email="Other.Nodal@x.gov", role=Role.nodal_officer, districts=["Agra"])
    session.add_all([m1, m2, nodal, other])
    session.flush()
    mous.create(session, actor=SYSTEM, data=MouCreate(title="Existing", amount=AmountIn(value=900, unit="crore")))
    specs = [("Big A", 500, "Jhansi", None), ("Big B", 700, "Agra", None), ("Small", 5, "Jhansi", None),
             ("Small Agra", 5, "Agra", None), ("Big C", 250, None, None), ("Chosen", 5, "Jhansi", "other.nodal@X.gov")]
    nested = session.begin_nested()
    for title, crore, district, officer in specs:
        mous.create(session, actor=SYSTEM, data=MouCreate(
            title=title, amount=AmountIn(value=crore, unit="crore"), district=district,
            nodal_officer_id=other.id if officer else None))
    one_by_one = _assignments(session)
    nested.rollback()
    rows = [["Title", "MoU Value (Rs Cr)", "District", "Nodal Officer"], *[list(s) for s in specs]]
    _import(session, xlsx(tmp_path / "m.xlsx", rows))
    assert _assignments(session) == one_by_one
    assert one_by_one[-1] == ("Chosen", None, other.id, True)


def test_unknown_and_disabled_users_are_problems(session: Session, tmp_path: Path) -> None:
    session.add(User(email="gone@x.gov", role=Role.nodal_officer, is_active=False))
    session.flush()
    rows = [["Title", "Nodal Officer", "Reference"], ["A", "nobody@x.gov", "R-1"], ["B", "GONE@x.gov", "R-1"]]
    with pytest.raises(ImportRejected) as exc:
        _import(session, xlsx(tmp_path / "m.xlsx", rows))
    assert _problems(exc) == [(2, "Nodal Officer", "no user nobody@x.gov"),
                              (3, "Nodal Officer", "user gone@x.gov is disabled"),
                              (3, "Reference", "reference 'R-1' is also on row 2")]


def test_a_reference_already_recorded_is_a_problem(session: Session, tmp_path: Path) -> None:
    _import(session, xlsx(tmp_path / "a.xlsx", [["Title", "MoU No."], ["A", "GIS/2024/1"]]))
    with pytest.raises(ImportRejected) as exc:
        _import(session, xlsx(tmp_path / "b.xlsx", [["Title", "MoU No."], ["A again", "GIS/2024/1"]]))
    assert _problems(exc) == [(2, "MoU No.", "an MoU with reference 'GIS/2024/1' already exists")]


@pytest.mark.parametrize("content, encoding", [
    ("Project;Investor Name;Investment (₹ Cr);Signed On\nUsine;Société Générale;1.200,00;12/01/2024\n", "utf-8-sig"),
    ("Project,Investor Name,Investment (Rs Cr),Signed On\nUsine,Société Générale,\"1,200.00\",12/01/2024\n",
     "cp1252"),
])
def test_csv_in_utf8_with_bom_or_windows_1252(session: Session, tmp_path: Path, content: str, encoding: str) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(content.encode(encoding))
    if ";" in content:  # "1.200,00" is not a number here: decimal commas are a problem, named as such
        with pytest.raises(ImportRejected) as exc:
            _import(session, path)
        assert _problems(exc) == [(2, "Investment (₹ Cr)", "'1.200,00' is not an amount (write a number, e.g. "
                                                            "1,200.50, or 'Rs 1,200 crore')")]
        path.write_bytes(content.replace("1.200,00", "1200").encode(encoding))
    _import(session, path)
    mou = session.scalars(select(Mou).options(selectinload(Mou.parties))).one()
    assert (mou.title, mou.amount_inr_crore, mou.signed_date, [p.name for p in mou.parties]) == (
        "Usine", 1200.0, dt.date(2024, 1, 12), ["Société Générale"])


def test_officers_cannot_import_mous(session: Session, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        exchange.import_mous(session, actor=Actor(id=None, label="o@x", role=Role.officer),
                             source=exchange.Source.from_path(xlsx(tmp_path / "m.xlsx", mou_rows(1))))


def test_leads_import_with_stage_kind_country_owner_and_sectors(session: Session, tmp_path: Path) -> None:
    kpia = create_organization(session)
    session.add(User(email="rm@x.gov", role=Role.officer))
    session.flush()
    header = ["Lead", "Investor", "Type", "Status", "Reason", "Sectors", "Value (USD mn)", "Country", "Owner",
              "Next Action", "Due Date"]
    rows = [header,
            ["Cell plant", "Sakura Battery", "Manufacturing", "Interested", None, "electric_mobility, Pharmaceuticals",
             300, "Japan", "RM@x.gov", "Site visit", "15/02/2025"],
            ["Testing lab", "KANSAI pharmaceutical industries association", "R&D Centre", "On Hold", "Budget freeze",
             "IT, software and GCCs; medical devices", None, "JP", None, None, None]]
    report = exchange.import_opportunities(session, actor=SYSTEM,
                                           source=exchange.Source.from_path(xlsx(tmp_path / "l.xlsx", rows)))
    assert (report.created, report.new_organizations) == (2, 1)
    opps = session.scalars(select(Opportunity).order_by(Opportunity.id).options(
        selectinload(Opportunity.sectors), selectinload(Opportunity.history))).all()
    first, second = opps
    assert (first.kind, first.stage, first.country, first.amount_inr_crore, first.next_action_due) == (
        OpportunityKind.manufacturing_base, OpportunityStage.interested, "JP", 2661.0, dt.date(2025, 2, 15))
    assert [s.id for s in first.sectors] == ["electric_mobility", "pharmaceuticals"]
    assert first.owner_id == session.scalar(select(User.id).where(User.email == "rm@x.gov"))
    assert (second.counterpart_id, second.kind, second.stage, second.stage_reason) == (
        kpia.id, OpportunityKind.rnd_centre, OpportunityStage.on_hold, "Budget freeze")
    assert [s.id for s in second.sectors] == ["it_services", "medical_devices"]
    assert [(h.from_stage, h.to_stage, h.reason) for h in second.history] == [
        (None, OpportunityStage.on_hold, "Budget freeze")]


def test_lead_rules_reported(session: Session, tmp_path: Path) -> None:
    rows = [["Title", "Stage", "Counterpart", "Country"], ["A", "dropped", "X; Y", "Atlantis"],
            ["B", "grounded", None, "IN"]]
    with pytest.raises(ImportRejected) as exc:
        exchange.import_opportunities(session, actor=SYSTEM,
                                      source=exchange.Source.from_path(xlsx(tmp_path / "l.xlsx", rows)))
    assert _problems(exc) == [
        (2, "Stage", "a lead dropped needs a reason"),
        (2, "Counterpart", "one counterpart per lead, found 2: X; Y"),
        (2, "Country", "'Atlantis' is not a country (write its name or ISO code, e.g. Japan or JP)"),
    ]


def test_an_mou_register_without_a_title_column_is_titled_by_party_and_sector(session: Session,
                                                                              tmp_path: Path) -> None:
    register = [["MoU register, Investors Summit 2025"],
                ["Investor", "Value (Rs Cr)", "District", "Sector", "Date of MoU"],
                ["Tanaka Electric Co. Ltd.", 1200, "Jhansi", "Pharmaceuticals", "2025-02-21"],
                ["Kiso Foods", 40, "Agra", None, "2025-02-22"]]
    dry = _import(session, xlsx(tmp_path / "register.xlsx", register), dry_run=True)
    assert dry.rows == 2 and any("no title column" in w for w in dry.warnings)
    _import(session, xlsx(tmp_path / "register.xlsx", register))
    got = {m.title: (m.amount_inr_crore, m.district, m.sector_id) for m in session.scalars(select(Mou))}
    assert got == {"Tanaka Electric Co. Ltd.: Pharmaceuticals": (1200.0, "Jhansi", "pharmaceuticals"),
                   "Kiso Foods: MoU": (40.0, "Agra", None)}
    with pytest.raises(ImportRejected) as exc:
        _import(session, xlsx(tmp_path / "bad.xlsx", [["Investor", "Value (Rs Cr)", "District"],
                                                      [None, 10, "Agra"]]))
    assert _problems(exc) == [(2, "Investor", "is empty: with no title column every row needs its investor")]
