"""Blockers and their escalation, investor enquiries and their clock, follow-ups on any record."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.errors import InvalidTransition, NotFound, PermissionDenied
from investdesk.followups import service as followups
from investdesk.followups.schemas import FollowUpCreate, FollowUpDone, FollowUpFilter
from investdesk.models import AuditEvent, FollowUp, User
from investdesk.models.enums import EscalationLevel, Role
from investdesk.mous import blockers
from investdesk.mous import service as mous
from investdesk.mous.schemas import BlockerCreate, BlockerFilter, BlockerResolve, MouCreate
from investdesk.permissions import Actor
from investdesk.pipeline import enquiries
from investdesk.pipeline.schemas import EnquiryCreate, EnquiryResponse
from tests.factories import SYSTEM, create_organization

TODAY = dt.date(2026, 3, 2)


def _mou(session: Session, district: str = "Agra", title: str = "Plant") -> int:
    return mous.create(session, actor=SYSTEM, data=MouCreate(title=title, district=district)).id


def test_blocker_levels_follow_age_in_periods() -> None:
    raised = dt.date(2026, 1, 1)
    assert blockers.level_due(raised, raised + dt.timedelta(days=29), 30) is EscalationLevel.officer
    assert blockers.level_due(raised, raised + dt.timedelta(days=30), 30) is EscalationLevel.department_head
    assert blockers.level_due(raised, raised + dt.timedelta(days=60), 30) is EscalationLevel.chief_secretary
    assert blockers.level_due(raised, raised + dt.timedelta(days=900), 30) is EscalationLevel.chief_secretary


def test_escalation_raises_only_what_is_due_and_is_audited(session: Session) -> None:
    mou_id = _mou(session)
    ages = {"land": 10, "clearance": 45, "power": 75}
    for category, days in ages.items():
        blockers.add(session, actor=SYSTEM, mou_id=mou_id, data=BlockerCreate(
            category=category, department="Revenue", raised_on=TODAY - dt.timedelta(days=days)))
    moved = blockers.escalate(session, actor=SYSTEM, today=TODAY)
    assert {b.category.value: b.escalation_level for b in moved} == {
        "clearance": EscalationLevel.department_head, "power": EscalationLevel.chief_secretary}
    assert all(b.escalated_on == TODAY for b in moved)
    assert blockers.escalate(session, actor=SYSTEM, today=TODAY) == []  # idempotent on the same day
    events = session.scalars(select(AuditEvent.summary).where(AuditEvent.action == "escalate")).all()
    assert len(events) == 2 and any("chief_secretary" in e for e in events)
    rows, total = blockers.list_blockers(session, actor=SYSTEM, flt=BlockerFilter(level="chief_secretary"))
    assert total == 1 and blockers.to_read(rows[0], TODAY).age_days == 75


def test_the_level_shown_follows_the_age_before_the_daily_job_runs(session: Session) -> None:
    mou_id = _mou(session)
    today = dt.date.today()
    old = blockers.add(session, actor=SYSTEM, mou_id=mou_id, data=BlockerCreate(
        category="land", department="Revenue", raised_on=today - dt.timedelta(days=77)))
    fresh = blockers.add(session, actor=SYSTEM, mou_id=mou_id, data=BlockerCreate(
        category="power", department="Energy", raised_on=today - dt.timedelta(days=40)))
    assert old.escalation_level is EscalationLevel.officer  # stored: the job has not run yet
    assert blockers.to_read(old).escalation_level is EscalationLevel.chief_secretary
    assert blockers.to_read(fresh).escalation_level is EscalationLevel.department_head
    read = mous.to_read(mous.get(session, actor=SYSTEM, mou_id=mou_id))
    levels = {b["id"]: b["escalation_level"] for b in read.blockers}
    assert levels == {old.id: EscalationLevel.chief_secretary, fresh.id: EscalationLevel.department_head}
    # Resolved after 20 days: the level it had reached then, not the one its raised date would reach today.
    short = blockers.add(session, actor=SYSTEM, mou_id=mou_id, data=BlockerCreate(
        category="water", department="Jal Nigam", raised_on=today - dt.timedelta(days=80)))
    blockers.resolve(session, actor=SYSTEM, blocker_id=short.id,
                     data=BlockerResolve(resolved_on=today - dt.timedelta(days=60)))
    assert blockers.to_read(short).escalation_level is EscalationLevel.officer


def test_resolved_blocker_leaves_the_open_list_and_cannot_be_resolved_twice(session: Session) -> None:
    mou_id = _mou(session)
    b = blockers.add(session, actor=SYSTEM, mou_id=mou_id, data=BlockerCreate(
        category="land", raised_on=TODAY - dt.timedelta(days=5)))
    with pytest.raises(InvalidTransition, match="before the blocker was raised"):
        blockers.resolve(session, actor=SYSTEM, blocker_id=b.id,
                         data=BlockerResolve(resolved_on=TODAY - dt.timedelta(days=9)))
    blockers.resolve(session, actor=SYSTEM, blocker_id=b.id, data=BlockerResolve(note="Land allotted by UPSIDA"))
    assert blockers.list_blockers(session, actor=SYSTEM)[1] == 0
    assert blockers.list_blockers(session, actor=SYSTEM, flt=BlockerFilter(open=False))[1] == 1
    assert "UPSIDA" in b.notes
    with pytest.raises(InvalidTransition, match="already resolved"):
        blockers.resolve(session, actor=SYSTEM, blocker_id=b.id, data=BlockerResolve())
    future = TODAY + dt.timedelta(days=4000)
    with pytest.raises(InvalidTransition, match="future"):
        blockers.add(session, actor=SYSTEM, mou_id=mou_id, data=BlockerCreate(category="water", raised_on=future))


def test_nodal_officer_sees_and_resolves_blockers_of_own_district_only(session: Session) -> None:
    own = blockers.add(session, actor=SYSTEM, mou_id=_mou(session, "Jhansi"), data=BlockerCreate(category="power"))
    other = blockers.add(session, actor=SYSTEM, mou_id=_mou(session, "Agra"), data=BlockerCreate(category="water"))
    nodal = Actor(id=None, label="nodal@x", role=Role.nodal_officer, districts=("Jhansi",))
    assert [b.id for b in blockers.list_blockers(session, actor=nodal)[0]] == [own.id]
    with pytest.raises(NotFound):
        blockers.resolve(session, actor=nodal, blocker_id=other.id, data=BlockerResolve())
    blockers.resolve(session, actor=nodal, blocker_id=own.id, data=BlockerResolve())
    viewer = Actor(id=None, label="v@x", role=Role.viewer)
    with pytest.raises(PermissionDenied):
        blockers.escalate(session, actor=viewer)


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


def test_followups_mine_overdue_and_done(session: Session) -> None:
    asha, ravi = _people(session)
    org = create_organization(session)
    me = Actor(id=asha.id, label=asha.email, role=Role.officer)
    late = followups.create(session, actor=me, data=FollowUpCreate(
        entity_type="organization", entity_id=org.id, title="Send the pharma park brochure",
        due_date=dt.date.today() - dt.timedelta(days=2)))
    followups.create(session, actor=me, data=FollowUpCreate(
        entity_type="mou", entity_id=_mou(session), title="Ask for the land survey", owner_id=ravi.id,
        due_date=dt.date.today() + dt.timedelta(days=7)))
    assert late.owner_id == asha.id
    mine = followups.list_followups(session, actor=me, flt=FollowUpFilter(owner_id=asha.id))[0]
    assert [f.title for f in mine] == ["Send the pharma park brochure"]
    overdue = followups.list_followups(session, actor=me, flt=FollowUpFilter(overdue=True))[0]
    assert followups.to_reads(session, overdue)[0].overdue and followups.to_reads(session, overdue)[0].owner == \
        "asha@x.gov"
    other = Actor(id=ravi.id, label=ravi.email, role=Role.officer)
    with pytest.raises(PermissionDenied, match="their own"):
        followups.complete(session, actor=other, followup_id=late.id, data=FollowUpDone())
    followups.complete(session, actor=me, followup_id=late.id, data=FollowUpDone(note="Sent by e-mail"))
    assert followups.list_followups(session, actor=me, flt=FollowUpFilter(overdue=True))[1] == 0
    with pytest.raises(InvalidTransition, match="already done"):
        followups.complete(session, actor=me, followup_id=late.id, data=FollowUpDone())


def test_followup_on_a_missing_or_hidden_record_writes_nothing(session: Session) -> None:
    with pytest.raises(NotFound, match="no person with id 42"):
        followups.create(session, actor=SYSTEM, data=FollowUpCreate(entity_type="person", entity_id=42, title="X"))
    hidden = _mou(session, "Agra")
    nodal = Actor(id=None, label="nodal@x", role=Role.nodal_officer, districts=("Jhansi",))
    with pytest.raises(NotFound):
        followups.create(session, actor=nodal, data=FollowUpCreate(entity_type="mou", entity_id=hidden, title="X"))
    with pytest.raises(PermissionDenied):
        followups.create(session, actor=nodal, data=FollowUpCreate(
            entity_type="organization", entity_id=create_organization(session).id, title="X"))
    assert session.scalar(select(func.count()).select_from(FollowUp)) == 0


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


def test_follow_ups_read_with_record_titles_and_owner_names(session: Session) -> None:
    owner = User(email="asha@x.gov", name="Asha Verma", role=Role.officer)
    unnamed = User(email="ravi@x.gov", role=Role.officer)
    session.add_all([owner, unnamed])
    session.flush()
    org = create_organization(session, name="Kiso Foods")
    mou_id = _mou(session, title="Cold store MoU")
    blocker = blockers.add(session, actor=SYSTEM, mou_id=mou_id, data=BlockerCreate(category="land"))
    made = [followups.create(session, actor=SYSTEM, data=FollowUpCreate(
        entity_type=kind, entity_id=eid, title=f"Call about {kind}", owner_id=uid))
        for kind, eid, uid in (("organization", org.id, owner.id), ("mou", mou_id, unnamed.id),
                               ("blocker", blocker.id, owner.id))]
    reads = {r.entity_type.value: r for r in followups.to_reads(session, made)}
    assert (reads["organization"].record, reads["organization"].owner_name) == ("Kiso Foods", "Asha Verma")
    assert (reads["mou"].record, reads["mou"].owner_name) == ("Cold store MoU", "ravi@x.gov")  # no name: e-mail
    assert reads["blocker"].record == "Land blocker on Cold store MoU"
    assert reads["organization"].owner == "asha@x.gov"  # the API keeps the e-mail beside the name
