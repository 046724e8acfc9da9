"""An MoU registered for a lead moves the lead to ``mou_signed``, in the same transaction and audit trail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.models import AuditEvent, OpportunityStageChange
from investdesk.models.enums import OpportunityStage
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityCreate
from tests.factories import SYSTEM


def test_registering_an_mou_moves_its_lead_to_mou_signed(session: Session) -> None:
    lead = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title="Magnet plant", stage="interested"))
    mous.create(session, actor=SYSTEM, data=MouCreate(title="Magnet plant MoU", opportunity_id=lead.id,
                                                      signed_date=dt.date(2025, 1, 10)))
    assert lead.stage is OpportunityStage.mou_signed
    last = session.scalars(select(OpportunityStageChange).where(OpportunityStageChange.opportunity_id == lead.id)
                           .order_by(OpportunityStageChange.id)).all()[-1]
    assert (last.from_stage, last.to_stage) == (OpportunityStage.interested, OpportunityStage.mou_signed)
    assert last.reason == "MoU registered: Magnet plant MoU"
    moves = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "opportunity",
                                                     AuditEvent.action == "move")).all()
    assert len(moves) == 1 and moves[0].after["stage"] == "mou_signed"
    # A second MoU for the same lead moves nothing again.
    mous.create(session, actor=SYSTEM, data=MouCreate(title="Magnet plant MoU, phase 2", opportunity_id=lead.id))
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "move")).all() == moves


def test_a_grounded_lead_stays_grounded(session: Session) -> None:
    lead = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title="Plant", stage="interested"))
    mous.create(session, actor=SYSTEM, data=MouCreate(title="Plant MoU", opportunity_id=lead.id,
                                                      signed_date=dt.date(2025, 1, 10)))
    from investdesk.pipeline.schemas import StageMove
    pipeline.move(session, actor=SYSTEM, opportunity_id=lead.id, data=StageMove(to_stage="grounded", force=True))
    mous.create(session, actor=SYSTEM, data=MouCreate(title="Plant MoU, phase 2", opportunity_id=lead.id))
    assert lead.stage is OpportunityStage.grounded
