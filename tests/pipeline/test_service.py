from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.errors import InvalidTransition, PermissionDenied, ValidationFailed
from investdesk.models import AuditEvent, User
from investdesk.models.enums import OpportunityStage, Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
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
    owner = User(email="owner@invest.up.gov.in", role=Role.officer)
    session.add(owner)
    session.flush()
    opp = _lead(session, owner_id=owner.id)
    stranger = Actor(id=owner.id + 100, label="o@x", role=Role.officer)
    with pytest.raises(PermissionDenied):
        pipeline.move(session, actor=stranger, opportunity_id=opp.id,
                      data=StageMove(to_stage="interested", version=opp.version))
    assert opp.stage is OpportunityStage.engaged
    # The owner, of the same role, may.
    moved = pipeline.move(session, actor=Actor(id=owner.id, label=owner.email, role=Role.officer),
                          opportunity_id=opp.id, data=StageMove(to_stage="interested", version=opp.version))
    assert moved.stage is OpportunityStage.interested and moved.history[-1].changed_by_id == owner.id
