"""Summaries over a small, known data set: each figure checked by hand."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.orm import Session

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate
from investdesk.models import Opportunity, User
from investdesk.models.enums import OpportunityStage, Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate, StatusUpdate
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate
from investdesk.reports import service as reports
from investdesk.reports.schemas import (
    BlockerDimension,
    ConversionDimension,
    MouWindow,
    PendingDimension,
    PipelineDimension,
)
from tests.factories import SYSTEM

LONG_AGO = dt.datetime.now(dt.UTC) - dt.timedelta(days=90)


def _crore(v: float) -> AmountIn:
    return AmountIn(value=v, currency="INR", unit="crore")


def _data(session: Session) -> User:
    for title, stage, sectors, country, district, value, reason in [
        ("A", "identified", ["pharmaceuticals"], "JP", "Lucknow", 100, None),
        ("B", "engaged", ["pharmaceuticals", "medical_devices"], "JP", "Lucknow", 200, None),
        ("C", "interested", ["semiconductors"], "KR", "Agra", 50, None),
        ("D", "mou_signed", ["semiconductors"], "JP", None, None, None),
        ("E", "dropped", ["pharmaceuticals"], "US", "Agra", 1000, "Chose Gujarat"),
    ]:
        pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
            title=title, stage=stage, sectors=sectors, country=country, district=district,
            amount=_crore(value) if value else None, stage_reason=reason))
    nodal = User(email="nodal@x.gov", role=Role.nodal_officer, districts=["Jhansi"])
    session.add(nodal)
    session.flush()
    specs = [("M1", dt.date(2023, 2, 1), "Jhansi", "pharmaceuticals", 20, "construction"),
             ("M2", dt.date(2023, 2, 2), "Agra", "pharmaceuticals", 30, "approvals"),
             ("M3", dt.date(2024, 2, 3), "Jhansi", "semiconductors", 40, "commercial_operation"),
             ("M4", dt.date(2024, 2, 4), "Jhansi", "semiconductors", 10, "land_identified")]
    for title, signed, district, sector, value, status in specs:
        m = mous.create(session, actor=SYSTEM, data=MouCreate(title=title, signed_date=signed, district=district,
                                                              sector=sector, amount=_crore(value)))
        mous.update_status(session, actor=SYSTEM, mou_id=m.id, at=LONG_AGO,
                           data=StatusUpdate(status=status, version=m.version))
    session.flush()
    return nodal


def _as_dict(rows: list) -> dict:  # type: ignore[type-arg]
    return {r.key: r for r in rows}


def test_funnel_counts_reached_and_value(session: Session) -> None:
    _data(session)
    rows = {r.stage: r for r in reports.funnel(session, actor=SYSTEM)}
    assert [rows[s].count for s in pipeline.MAIN_LINE] == [1, 1, 1, 1, 0]
    assert [rows[s].reached for s in pipeline.MAIN_LINE] == [4, 3, 2, 1, 0]
    assert rows[OpportunityStage.engaged].value_inr_crore == 200
    assert rows[OpportunityStage.dropped].count == 1 and rows[OpportunityStage.dropped].reached is None


def test_pipeline_by_sector_country_district(session: Session) -> None:
    _data(session)
    by_sector = _as_dict(reports.pipeline_by(session, actor=SYSTEM, by=PipelineDimension.sector))
    assert by_sector["pharmaceuticals"].count == 2 and by_sector["pharmaceuticals"].value_inr_crore == 300
    assert by_sector["pharmaceuticals"].label == "Pharmaceuticals"
    assert by_sector["pharmaceuticals"].stages == {OpportunityStage.identified: 1, OpportunityStage.engaged: 1}
    assert by_sector["semiconductors"].count == 2 and by_sector["semiconductors"].value_inr_crore == 50
    by_country = reports.pipeline_by(session, actor=SYSTEM, by=PipelineDimension.country)
    assert [(r.key, r.count) for r in by_country] == [("JP", 3), ("KR", 1)]  # the dropped US lead left out
    by_district = _as_dict(reports.pipeline_by(session, actor=SYSTEM, by=PipelineDimension.district))
    assert by_district[None].label == "(not given)" and by_district["Lucknow"].value_inr_crore == 300
    dropped = reports.pipeline_by(session, actor=SYSTEM, by=PipelineDimension.country, stage=OpportunityStage.dropped)
    assert [(r.key, r.value_inr_crore) for r in dropped] == [("US", 1000)]


def test_pending_by_district_and_nodal_officer_respects_scope(session: Session) -> None:
    nodal = _data(session)
    by_district = _as_dict(reports.pending_mous_by(session, actor=SYSTEM, by=PendingDimension.district))
    # M3 is in commercial operation, so not pending; the other three were last updated 90 days ago.
    assert {k: r.count for k, r in by_district.items()} == {"Jhansi": 2, "Agra": 1}
    by_officer = _as_dict(reports.pending_mous_by(session, actor=SYSTEM, by=PendingDimension.nodal_officer))
    assert by_officer["nodal@x.gov"].count == 2 and by_officer[None].label == "Unassigned"
    scoped = Actor(id=nodal.id, label=nodal.email, role=Role.nodal_officer, districts=("Jhansi",))
    assert [r.key for r in reports.pending_mous_by(session, actor=scoped, by=PendingDimension.district)] == ["Jhansi"]


def test_open_blockers_by_category_department_level_and_age(session: Session) -> None:
    _data(session)
    today = dt.date.today()
    m1, m2 = mous.list_mous(session, actor=SYSTEM)[0][-2:]
    for mou, category, department, days in [(m1, "land", "Revenue", 10), (m1, "power", "Energy", 100),
                                            (m2, "land", "Revenue", 200), (m2, "water", None, 40)]:
        blockers.add(session, actor=SYSTEM, mou_id=mou.id, data=BlockerCreate(
            category=category, department=department, raised_on=today - dt.timedelta(days=days)))
    blockers.escalate(session, actor=SYSTEM)
    by_category = {r.key: r.count for r in reports.open_blockers_by(session, actor=SYSTEM,
                                                                     by=BlockerDimension.category)}
    assert by_category == {"land": 2, "power": 1, "water": 1}
    by_department = {r.label: r.count for r in reports.open_blockers_by(session, actor=SYSTEM,
                                                                         by=BlockerDimension.department)}
    assert by_department == {"Revenue": 2, "Energy": 1, "(not given)": 1}
    by_age = [(r.label, r.count) for r in reports.open_blockers_by(session, actor=SYSTEM, by=BlockerDimension.age)]
    assert by_age == [("0-30 days", 1), ("31-90 days", 1), ("91-180 days", 1), ("over 180 days", 1)]
    by_level = [(r.key, r.count) for r in reports.open_blockers_by(session, actor=SYSTEM, by=BlockerDimension.level)]
    assert by_level == [("officer", 1), ("department_head", 1), ("chief_secretary", 2)]


def test_conversion_by_year_and_sector(session: Session) -> None:
    _data(session)
    by_year = {r.key: r for r in reports.conversion(session, actor=SYSTEM, by=ConversionDimension.year)}
    assert (by_year["2023"].signed, by_year["2023"].grounded, by_year["2023"].rate) == (2, 1, 0.5)
    assert by_year["2023"].value_signed_inr_crore == 50 and by_year["2023"].value_grounded_inr_crore == 20
    assert (by_year["2024"].signed, by_year["2024"].grounded) == (2, 1)
    by_sector = {r.key: r for r in reports.conversion(session, actor=SYSTEM, by=ConversionDimension.sector)}
    assert by_sector["semiconductors"].label == "Semiconductors" and by_sector["semiconductors"].rate == 0.5


def test_pending_by_officer_names_the_nodal_officer_or_the_account_manager(session: Session) -> None:
    nodal = User(email="sunita@x.gov", name="Sunita Rao", role=Role.nodal_officer, districts=["Agra"])
    manager = User(email="asha@x.gov", name="Asha Verma", role=Role.manager)
    bare = User(email="ravi@x.gov", role=Role.nodal_officer, districts=["Jhansi"])
    session.add_all([nodal, manager, bare])
    session.flush()
    for title, district, value in [("Small", "Agra", 20), ("Large", "Agra", 900), ("Other", "Jhansi", 5),
                                   ("Nowhere", None, 5)]:
        m = mous.create(session, actor=SYSTEM, data=MouCreate(title=title, district=district, amount=_crore(value)))
        mous.update_status(session, actor=SYSTEM, mou_id=m.id, at=LONG_AGO,
                           data=StatusUpdate(status="approvals", version=m.version))
    session.flush()
    rows = reports.pending_mous_by(session, actor=SYSTEM, by=PendingDimension.nodal_officer)
    assert sorted((r.key, r.label, r.count) for r in rows if r.key) == [
        ("asha@x.gov", "Asha Verma (account manager)", 1), ("ravi@x.gov", "ravi@x.gov", 1),
        ("sunita@x.gov", "Sunita Rao", 1)]
    assert [(r.label, r.count) for r in rows if r.key is None] == [("Unassigned", 1)]


def _created_on(session: Session, title: str, day: dt.date) -> None:
    session.execute(update(Opportunity).where(Opportunity.title == title)
                    .values(created_at=dt.datetime.combine(day, dt.time(12), dt.UTC)))


def test_funnel_and_pipeline_within_created_dates(session: Session) -> None:
    _data(session)
    _created_on(session, "A", dt.date(2024, 1, 10))
    _created_on(session, "B", dt.date(2024, 3, 31))  # the last day of the range counts
    _created_on(session, "C", dt.date(2024, 4, 1))
    _created_on(session, "D", dt.date(2023, 12, 31))
    _created_on(session, "E", dt.date(2024, 2, 1))
    spring = {"created_from": dt.date(2024, 1, 1), "created_to": dt.date(2024, 3, 31)}
    rows = {r.stage: r for r in reports.funnel(session, actor=SYSTEM, **spring)}
    assert [rows[s].count for s in pipeline.MAIN_LINE] == [1, 1, 0, 0, 0]
    assert [rows[s].reached for s in pipeline.MAIN_LINE] == [2, 1, 0, 0, 0]
    assert rows[OpportunityStage.dropped].count == 1
    since = {r.stage: r.count for r in reports.funnel(session, actor=SYSTEM, created_from=dt.date(2024, 3, 31))}
    assert since[OpportunityStage.engaged] == 1 and since[OpportunityStage.interested] == 1
    assert since[OpportunityStage.identified] == 0
    until = {r.stage: r.count for r in reports.funnel(session, actor=SYSTEM, created_to=dt.date(2023, 12, 31))}
    assert until[OpportunityStage.mou_signed] == 1 and sum(until.values()) == 1
    by_country = reports.pipeline_by(session, actor=SYSTEM, by=PipelineDimension.country, **spring)
    assert [(r.key, r.count, r.value_inr_crore) for r in by_country] == [("JP", 2, 300)]
    by_sector = _as_dict(reports.pipeline_by(session, actor=SYSTEM, by=PipelineDimension.sector, **spring))
    assert set(by_sector) == {"pharmaceuticals", "medical_devices"}


def test_funnel_and_pipeline_read_together_equal_each_read_alone(session: Session) -> None:
    _data(session)
    _created_on(session, "A", dt.date(2024, 1, 10))
    _created_on(session, "E", dt.date(2024, 2, 1))
    for days in ({}, {"created_from": dt.date(2024, 1, 1), "created_to": dt.date(2024, 3, 31)}):
        alone = reports.funnel(session, actor=SYSTEM, **days)
        assert any(r.count for r in alone)
        for by in PipelineDimension:
            funnel, groups = reports.funnel_and_pipeline(session, actor=SYSTEM, by=by, **days)
            assert funnel == alone, by
            assert groups == reports.pipeline_by(session, actor=SYSTEM, by=by, **days), by
    # the dropped lead is in the funnel, not in the groups
    funnel, by_country = reports.funnel_and_pipeline(session, actor=SYSTEM, by=PipelineDimension.country)
    assert {r.stage: r.count for r in funnel}[OpportunityStage.dropped] == 1
    assert "US" not in {g.key for g in by_country}


def test_mou_summaries_within_signing_dates(session: Session) -> None:
    _data(session)
    window = MouWindow(signed_from=dt.date(2024, 1, 1), signed_to=dt.date(2024, 2, 3))
    by_year = {r.key: r for r in reports.conversion(session, actor=SYSTEM, by=ConversionDimension.year,
                                                     window=window)}
    assert list(by_year) == ["2024"] and (by_year["2024"].signed, by_year["2024"].grounded) == (1, 1)
    pending = reports.pending_mous_by(session, actor=SYSTEM, by=PendingDimension.district, window=window)
    assert pending == []  # M3, the only MoU signed in the window, is in commercial operation
    wider = MouWindow(signed_from=dt.date(2023, 2, 2))
    pending = reports.pending_mous_by(session, actor=SYSTEM, by=PendingDimension.district, window=wider)
    assert {r.key: r.count for r in pending} == {"Jhansi": 1, "Agra": 1}
