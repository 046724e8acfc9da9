from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from investdesk.db import session_factory
from investdesk.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from investdesk.models import AuditEvent, User
from investdesk.models.enums import MouStatus, OpportunityStage, Role
from investdesk.mous import blockers
from investdesk.mous import service as mous
from investdesk.mous.schemas import BlockerCreate, MouCreate, MouFilter, StatusUpdate
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate, StageMove
from tests.factories import SYSTEM, create_organization


def _lead(session: Session, **kw: object) -> object:
    org = create_organization(session, name="Hokuto Precision Motors", acronym=None, kind="company")
    data = {"title": "Magnet plant", "counterpart_id": org.id, "stage": "engaged",
            "amount": AmountIn(value=1200, currency="INR", unit="crore"), "district": "Allahabad"} | kw
    return pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(**data))


def test_lead_amounts_are_normalised_and_district_resolved(session: Session) -> None:
    opp = _lead(session)
    read = pipeline.to_read(opp)
    assert read.amount_inr_crore == 1200 and read.amount_usd_million == pytest.approx(135.24, rel=1e-3)
    assert read.district == "Prayagraj"
    usd = _lead(session, title="Cells", amount=AmountIn(value=300, currency="USD", unit="million"))
    assert pipeline.to_read(usd).amount_inr_crore == pytest.approx(2661.0)


def test_unknown_district_and_currency_name_the_field(session: Session) -> None:
    with pytest.raises(ValidationFailed, match="district"):
        _lead(session, district="Atlantis")
    session.rollback()
    with pytest.raises(ValidationFailed, match="no exchange rate for currency 'XYZ'"):
        _lead(session, amount=AmountIn(value=1, currency="XYZ"))


def test_stage_rules_and_dated_history(session: Session) -> None:
    opp = _lead(session)
    with pytest.raises(InvalidTransition, match="reason"):
        pipeline.move(session, actor=SYSTEM, opportunity_id=opp.id,
                      data=StageMove(to_stage="dropped", version=opp.version))
    with pytest.raises(InvalidTransition, match="no signed MoU"):
        pipeline.move(session, actor=SYSTEM, opportunity_id=opp.id,
                      data=StageMove(to_stage="grounded", version=opp.version))
    pipeline.move(session, actor=SYSTEM, opportunity_id=opp.id,
                  data=StageMove(to_stage="mou_signed", version=opp.version))
    mous.create(session, actor=SYSTEM, data=MouCreate(title="Magnet plant MoU", opportunity_id=opp.id,
                                                      signed_date=dt.date(2025, 9, 1)))
    moved = pipeline.move(session, actor=SYSTEM, opportunity_id=opp.id,
                          data=StageMove(to_stage="grounded", version=opp.version))
    assert [(h.from_stage, h.to_stage) for h in moved.history] == [
        (None, OpportunityStage.engaged), (OpportunityStage.engaged, OpportunityStage.mou_signed),
        (OpportunityStage.mou_signed, OpportunityStage.grounded)]
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "opportunity")).all()
    assert actions == ["create", "move", "move"]


def test_officer_moves_only_own_leads(session: Session) -> None:
    opp = _lead(session)
    officer = Actor(id=99, label="o@x", role=Role.officer)
    with pytest.raises(PermissionDenied):
        pipeline.move(session, actor=officer, opportunity_id=opp.id,
                      data=StageMove(to_stage="interested", version=opp.version))


def _users(session: Session) -> tuple[User, User]:
    manager = User(email="am@x.gov", role=Role.manager)
    nodal = User(email="nodal@x.gov", role=Role.nodal_officer, districts=["Jhansi"])
    session.add_all([manager, nodal])
    session.flush()
    return manager, nodal


def test_assignment_by_size_and_nodal_scope(session: Session) -> None:
    manager, nodal = _users(session)
    big = mous.create(session, actor=SYSTEM, data=MouCreate(
        title="Big", district="Jhansi", amount=AmountIn(value=500, currency="INR", unit="crore")))
    small = mous.create(session, actor=SYSTEM, data=MouCreate(
        title="Small", district="Jhansi", amount=AmountIn(value=20, currency="INR", unit="crore")))
    other = mous.create(session, actor=SYSTEM, data=MouCreate(title="Elsewhere", district="Agra"))
    assert (big.account_manager_id, big.nodal_officer_id) == (manager.id, None)
    assert (small.account_manager_id, small.nodal_officer_id) == (None, nodal.id)
    officer = Actor(id=nodal.id, label=nodal.email, role=Role.nodal_officer, districts=("Jhansi",))
    assert {m.title for m in mous.list_mous(session, actor=officer)[0]} == {"Big", "Small"}
    with pytest.raises(NotFound):
        mous.update_status(session, actor=officer, mou_id=other.id,
                           data=StatusUpdate(status="land_identified", version=1))
    mous.update_status(session, actor=officer, mou_id=small.id,
                       data=StatusUpdate(status="land_identified", version=small.version))
    blockers.add(session, actor=officer, mou_id=small.id, data=BlockerCreate(category="power", department="Energy"))
    assert [b.category.value for b in mous.get(session, actor=SYSTEM, mou_id=small.id).blockers] == ["power"]


def test_pending_after_the_configured_days(session: Session) -> None:
    mou = mous.create(session, actor=SYSTEM, data=MouCreate(title="Quiet", district="Agra"))
    assert mous.list_mous(session, actor=SYSTEM, flt=MouFilter(pending=True))[1] == 0
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=45)
    mous.update_status(session, actor=SYSTEM, mou_id=mou.id, at=long_ago,
                       data=StatusUpdate(status="approvals", version=mou.version))
    session.flush()
    rows, total = mous.list_mous(session, actor=SYSTEM, flt=MouFilter(pending=True))
    assert total == 1 and mous.to_read(rows[0]).pending is True
    mous.update_status(session, actor=SYSTEM, mou_id=mou.id,
                       data=StatusUpdate(status="construction", version=mou.version))
    assert mous.list_mous(session, actor=SYSTEM, flt=MouFilter(pending=True))[1] == 0


def test_two_officers_updating_one_mou_the_second_gets_a_conflict(engine: Engine) -> None:
    make = session_factory(engine)
    with make() as s, s.begin():
        mou_id = mous.create(s, actor=SYSTEM, data=MouCreate(title="Contested", district="Agra")).id
    first, second = make(), make()
    try:
        a = mous.get(first, actor=SYSTEM, mou_id=mou_id)
        b = mous.get(second, actor=SYSTEM, mou_id=mou_id)
        seen = a.version
        assert b.version == seen
        mous.update_status(first, actor=SYSTEM, mou_id=mou_id, data=StatusUpdate(status="land_identified",
                                                                                 version=seen))
        first.commit()
        with pytest.raises(Conflict):
            mous.update_status(second, actor=SYSTEM, mou_id=mou_id, data=StatusUpdate(status="approvals",
                                                                                      version=seen))
            second.commit()
        second.rollback()
    finally:
        first.close()
        second.close()
    with make() as s:
        final = mous.get(s, actor=SYSTEM, mou_id=mou_id)
        assert final.status is MouStatus.land_identified
        assert [h.to_status for h in final.history] == [MouStatus.signed, MouStatus.land_identified]
