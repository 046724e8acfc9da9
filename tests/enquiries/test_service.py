"""Investor enquiries: the first-response clock in working days, the overdue list, who may answer."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.enquiries import service as enquiries
from investdesk.enquiries.schemas import EnquiryCreate, EnquiryResponse
from investdesk.errors import InvalidTransition, NotFound, PermissionDenied
from investdesk.models import AuditEvent, User
from investdesk.models.enums import Role
from investdesk.permissions import Actor
from tests.factories import SYSTEM, create_organization


def test_working_days_skip_weekends() -> None:
    friday = dt.datetime(2026, 11, 27, 16, 30, tzinfo=dt.UTC)
    assert enquiries.add_working_days(friday, 3) == dt.datetime(2026, 12, 2, 16, 30, tzinfo=dt.UTC)  # Wednesday
    monday = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    assert enquiries.add_working_days(monday, 3) == dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def test_enquiry_clock_overdue_list_and_response(session: Session) -> None:
    org = create_organization(session, name="Osaka Fine Chemicals", acronym=None, kind="company")
    now = dt.datetime.now(dt.UTC)
    old = enquiries.create(session, actor=SYSTEM, data=EnquiryCreate(
        title="Land for an API plant", counterpart_id=org.id, received_at=now - dt.timedelta(days=10)))
    fresh = enquiries.create(session, actor=SYSTEM, data=EnquiryCreate(title="Incentives for R&D"))
    assert old.stage.value == "identified" and old.kind.value == "enquiry" and old.is_enquiry
    assert old.first_response_due is not None and old.next_action == enquiries.FIRST_RESPONSE
    created = session.scalar(select(AuditEvent).where(AuditEvent.entity_id == old.id,
                                                      AuditEvent.entity_type == "opportunity"))
    assert created is not None and created.after["is_enquiry"] is True  # the clock is in the create audit row
    rows, total = enquiries.list_enquiries(session, actor=SYSTEM, overdue=True)
    assert total == 1 and rows[0].id == old.id and enquiries.to_read(rows[0]).overdue
    enquiries.respond(session, actor=SYSTEM, opportunity_id=old.id, data=EnquiryResponse(note="Sent land bank"))
    assert enquiries.list_enquiries(session, actor=SYSTEM, overdue=True)[1] == 0
    assert old.next_action is None and "Sent land bank" in old.notes
    with pytest.raises(InvalidTransition, match="already answered"):
        enquiries.respond(session, actor=SYSTEM, opportunity_id=old.id, data=EnquiryResponse())
    assert enquiries.list_enquiries(session, actor=SYSTEM, unanswered=True)[0] == [fresh]
    with pytest.raises(InvalidTransition, match="future"):
        enquiries.create(session, actor=SYSTEM, data=EnquiryCreate(title="X", received_at=now + dt.timedelta(days=2)))


def test_enquiry_response_refused_on_a_plain_lead(session: Session) -> None:
    from investdesk.pipeline import service as pipeline
    from investdesk.pipeline.schemas import OpportunityCreate

    lead = pipeline.create(session, actor=SYSTEM, data=OpportunityCreate(title="Not an enquiry"))
    with pytest.raises(NotFound, match="not an enquiry"):
        enquiries.respond(session, actor=SYSTEM, opportunity_id=lead.id, data=EnquiryResponse())


def _people(session: Session) -> tuple[User, User]:
    asha = User(email="asha@x.gov", role=Role.officer)
    ravi = User(email="ravi@x.gov", role=Role.officer)
    session.add_all([asha, ravi])
    session.flush()
    return asha, ravi


def test_only_the_owner_or_a_manager_answers_an_enquiry(session: Session) -> None:
    asha, ravi = _people(session)
    boss = User(email="boss@x.gov", role=Role.manager)
    session.add(boss)
    session.flush()
    mine = enquiries.create(session, actor=SYSTEM, data=EnquiryCreate(title="Land near Noida", owner_id=asha.id))
    other = Actor(id=ravi.id, label=ravi.email, role=Role.officer)
    with pytest.raises(PermissionDenied, match="only the leads they own"):
        enquiries.respond(session, actor=other, opportunity_id=mine.id, data=EnquiryResponse(note="not mine"))
    assert mine.first_responded_at is None and "not mine" not in mine.notes
    owner = Actor(id=asha.id, label=asha.email, role=Role.officer)
    enquiries.respond(session, actor=owner, opportunity_id=mine.id, data=EnquiryResponse(note="Sent the land bank"))
    assert mine.first_responded_at is not None and "Sent the land bank" in mine.notes
    theirs = enquiries.create(session, actor=SYSTEM, data=EnquiryCreate(title="Power tariff", owner_id=ravi.id))
    manager = Actor(id=boss.id, label=boss.email, role=Role.manager)
    enquiries.respond(session, actor=manager, opportunity_id=theirs.id, data=EnquiryResponse())
    assert theirs.first_responded_at is not None
