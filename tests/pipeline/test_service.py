from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from investdesk.errors import InvalidTransition, PermissionDenied, ValidationFailed
from investdesk.models import AuditEvent, User
from investdesk.models.enums import OpportunityStage, Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate, OpportunityFilter, StageMove
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


def test_the_board_shows_each_stages_newest_cards_in_three_statements(session: Session) -> None:
    org = create_organization(session, name="Minato Cells", acronym=None, kind="company")
    made: dict[str, list[int]] = {}
    for i, stage in enumerate(["identified", "engaged", "identified", "interested", "identified", "engaged"]):
        opp = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(
            title=f"Lead {i}", counterpart_id=org.id, stage=stage, district="Agra",
            amount=AmountIn(value=10 * (i + 1), currency="INR", unit="crore")))
        made.setdefault(stage, []).append(opp.id)
    other = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title="Elsewhere", stage="identified",
                                                                         district="Jhansi"))
    session.flush()
    session.expunge_all()
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        columns = pipeline.board(session, actor=SYSTEM, flt=OpportunityFilter(district="Agra", stage="engaged"),
                                 cards=2)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    by_stage = {c.stage.value: c for c in columns}
    assert [c.stage for c in columns] == list(OpportunityStage)  # every stage, the filter's stage ignored
    assert by_stage["identified"].count == 3 and by_stage["identified"].value == 90  # 10 + 30 + 50
    # The newest two of each stage, newest first; the lead in another district is on no card.
    assert [o.id for o in by_stage["identified"].cards] == made["identified"][::-1][:2]
    assert [o.id for o in by_stage["engaged"].cards] == made["engaged"][::-1]
    assert [o.id for o in by_stage["interested"].cards] == made["interested"]
    assert by_stage["dropped"].count == 0 and by_stage["dropped"].cards == []
    assert other.id not in {o.id for c in columns for o in c.cards}
    assert all(o.counterpart.name == "Minato Cells" for c in columns for o in c.cards)
    assert len(statements) == 3  # the counts, the cards, their counterparts
