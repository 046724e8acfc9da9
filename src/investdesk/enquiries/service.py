"""Investor enquiries: leads at stage ``identified`` with a first-response clock. Nothing commits here.

The clock counts working days (Monday to Friday) from the moment the enquiry arrived; the number of days
is the setting ``enquiry_response_days``. Public holidays are not counted out: a state's holiday list
varies year by year, so the due time is the conservative one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from investdesk.audit import service as audit
from investdesk.config import get_settings
from investdesk.db import utcnow
from investdesk.enquiries.schemas import EnquiryCreate, EnquiryRead, EnquiryResponse
from investdesk.errors import InvalidTransition, NotFound
from investdesk.i18n import _
from investdesk.models import Opportunity
from investdesk.models.enums import OpportunityKind, OpportunityStage
from investdesk.paging import PageParams, paginate
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityCreate
from investdesk.updates import append_note

FIRST_RESPONSE = "First response to the investor"


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """``days`` working days after ``start``, at the same time of day; weekends are skipped."""
    at = start
    left = days
    while left > 0:
        at += dt.timedelta(days=1)
        if at.weekday() < 5:
            left -= 1
    return at


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def is_overdue(o: Opportunity, now: dt.datetime | None = None) -> bool:
    return (o.first_responded_at is None and o.first_response_due is not None
            and _aware(o.first_response_due) < (now or utcnow()))


def to_read(o: Opportunity, now: dt.datetime | None = None) -> EnquiryRead:
    assert o.received_at is not None and o.first_response_due is not None
    return EnquiryRead(id=o.id, title=o.title, counterpart=o.counterpart.name if o.counterpart else None,
                       stage=o.stage, owner_id=o.owner_id, received_at=o.received_at,
                       first_response_due=o.first_response_due, first_responded_at=o.first_responded_at,
                       overdue=is_overdue(o, now))


def create(session: Session, *, actor: Actor, data: EnquiryCreate) -> Opportunity:
    """Log an enquiry; its first response falls due after the configured working days."""
    received = _aware(data.received_at or utcnow())
    if received > utcnow() + dt.timedelta(minutes=5):
        raise InvalidTransition(_("received_at: an enquiry cannot arrive in the future"), field="received_at")
    due = add_working_days(received, get_settings().enquiry_response_days)
    return pipeline.create(session, actor=actor, data=OpportunityCreate(
        title=data.title, counterpart_id=data.counterpart_id, kind=OpportunityKind.enquiry,
        stage=OpportunityStage.identified, sectors=data.sectors, amount=data.amount, country=data.country,
        district=data.district, owner_id=data.owner_id, next_action=FIRST_RESPONSE, next_action_due=due.date(),
        notes=data.notes), columns={"is_enquiry": True, "received_at": received, "first_response_due": due})


def get(session: Session, *, actor: Actor, opportunity_id: int) -> Opportunity:
    opp = pipeline.get(session, actor=actor, opportunity_id=opportunity_id)
    if not opp.is_enquiry:
        raise NotFound(_('opportunity %(opportunity_id)s is not an enquiry',
                         opportunity_id=opportunity_id), field="opportunity_id")
    return opp


def respond(session: Session, *, actor: Actor, opportunity_id: int, data: EnquiryResponse) -> Opportunity:
    """Record the first response; the lead then waits for its next action like any other."""
    require(actor, Perm.write_opportunities)
    opp = get(session, actor=actor, opportunity_id=opportunity_id)
    # Answering changes the lead (its next action, notes and clock): the same rule as editing or moving it.
    pipeline.may_change(actor, opp, "answer enquiries on")
    if opp.first_responded_at is not None:
        raise InvalidTransition(_('enquiry %(id)s was already answered on %(d)s', id=opp.id,
                                  d=format(opp.first_responded_at, '%Y-%m-%d')),
                                field="opportunity_id")
    at = _aware(data.responded_at or utcnow())
    if opp.received_at is not None and at < _aware(opp.received_at):
        raise InvalidTransition(_("responded_at: before the enquiry arrived"), field="responded_at")
    before = audit.snapshot(opp)
    opp.first_responded_at = at
    if opp.next_action == FIRST_RESPONSE:
        opp.next_action, opp.next_action_due = None, None
    opp.notes = append_note(opp.notes, data.note and f"{at:%Y-%m-%d}: {data.note}")
    session.flush()
    audit.record(session, actor=actor, action="respond", entity_type="opportunity", entity_id=opp.id,
                 before=before, after=audit.snapshot(opp), summary=f"answered enquiry {opp.title}")
    return opp


def filtered(*, overdue: bool = False, unanswered: bool = False, owner_id: int | None = None,
             now: dt.datetime | None = None) -> Select[Opportunity]:
    stmt = select(Opportunity).options(selectinload(Opportunity.counterpart)).where(Opportunity.is_enquiry.is_(True))
    if overdue or unanswered:
        stmt = stmt.where(Opportunity.first_responded_at.is_(None))
    if overdue:
        stmt = stmt.where(Opportunity.first_response_due < (now or utcnow()))
    if owner_id is not None:
        stmt = stmt.where(Opportunity.owner_id == owner_id)
    return stmt.order_by(Opportunity.first_response_due, Opportunity.id)


def list_enquiries(session: Session, *, actor: Actor, overdue: bool = False, unanswered: bool = False,
                   owner_id: int | None = None, page: PageParams | None = None) -> tuple[list[Opportunity], int]:
    """Enquiries, soonest due first; ``overdue`` keeps the unanswered ones past their due time."""
    require(actor, Perm.read)
    return paginate(session, filtered(overdue=overdue, unanswered=unanswered, owner_id=owner_id),
                    page or PageParams())
