"""Blockers on MoUs: levels by age, escalation, resolution, and the nodal officer's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate, BlockerFilter, BlockerResolve
from investdesk.errors import InvalidTransition, NotFound, PermissionDenied
from investdesk.models import AuditEvent
from investdesk.models.enums import EscalationLevel, Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.permissions import Actor
from tests.factories import SYSTEM

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
