"""Blockers on MoUs: raise, resolve, list, and escalate the ones left open too long. Nothing commits here.

Project-monitoring reviews work by level: an officer chases a blocker first; one open longer than the
escalation period (setting ``blocker_escalation_days``) goes to the head of the department that must act,
and one open twice as long to the chief secretary's review. ``escalate`` applies that rule to every open
blocker (run it daily from the CLI or a scheduler); listing shows each blocker's age and current level.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from investdesk import places
from investdesk.audit import service as audit
from investdesk.blockers.levels import LEVELS, level_due, shown_level
from investdesk.blockers.schemas import BlockerCreate, BlockerFilter, BlockerRead, BlockerResolve
from investdesk.config import get_settings
from investdesk.db import utcnow
from investdesk.errors import InvalidTransition, NotFound
from investdesk.i18n import _
from investdesk.models import Blocker, Mou
from investdesk.models.enums import EscalationLevel
from investdesk.mous import service as mous
from investdesk.paging import PageParams, paginate
from investdesk.permissions import Actor, Perm, require
from investdesk.updates import append_note


def to_read(b: Blocker, today: dt.date | None = None) -> BlockerRead:
    end = b.resolved_on or today or utcnow().date()
    return BlockerRead(id=b.id, mou_id=b.mou_id, mou_title=b.mou.title, district=b.mou.district, category=b.category,
                       department=b.department, description=b.description, raised_on=b.raised_on,
                       resolved_on=b.resolved_on, age_days=max(0, (end - b.raised_on).days),
                       escalation_level=shown_level(b, today), escalated_on=b.escalated_on, notes=b.notes)


def add(session: Session, *, actor: Actor, mou_id: int, data: BlockerCreate) -> Blocker:
    """Note what holds the project back and which department must act."""
    require(actor, Perm.update_mou_status)
    mou = mous.get(session, actor=actor, mou_id=mou_id)
    today = utcnow().date()
    raised = data.raised_on or today
    if raised > today:
        raise InvalidTransition(_("raised_on: a blocker cannot be raised in the future"), field="raised_on")
    blocker = Blocker(category=data.category, department=data.department, description=data.description,
                      raised_on=raised, escalation_level=EscalationLevel.officer)
    mou.blockers.append(blocker)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="blocker", entity_id=blocker.id,
                 after=audit.snapshot(blocker), summary=f"blocker on MoU {mou.title}: {data.category.value}")
    return blocker


def get(session: Session, *, actor: Actor, blocker_id: int) -> Blocker:
    """One blocker, if the actor may see its MoU."""
    require(actor, Perm.read)
    blocker = session.scalar(mous.scoped(
        select(Blocker).join(Mou).options(joinedload(Blocker.mou)).where(Blocker.id == blocker_id), actor))
    if blocker is None:
        raise NotFound(_('blocker %(blocker_id)s not found', blocker_id=blocker_id), field="blocker_id")
    return blocker


def resolve(session: Session, *, actor: Actor, blocker_id: int, data: BlockerResolve) -> Blocker:
    """Close a blocker on the day it was cleared."""
    require(actor, Perm.update_mou_status)
    blocker = get(session, actor=actor, blocker_id=blocker_id)
    if blocker.resolved_on is not None:
        raise InvalidTransition(_('blocker %(blocker_id)s was already resolved on %(resolved_on)s',
                                  blocker_id=blocker_id, resolved_on=blocker.resolved_on.isoformat()),
                                field="blocker_id")
    on = data.resolved_on or utcnow().date()
    if on < blocker.raised_on:
        raise InvalidTransition(_('resolved_on: %(on)s is before the blocker was raised (%(raised_on)s)',
                                  on=on.isoformat(), raised_on=blocker.raised_on.isoformat()), field="resolved_on")
    before = audit.snapshot(blocker)
    blocker.resolved_on = on
    blocker.notes = append_note(blocker.notes, data.note)
    session.flush()
    audit.record(session, actor=actor, action="resolve", entity_type="blocker", entity_id=blocker.id, before=before,
                 after=audit.snapshot(blocker), summary=f"blocker {blocker.id} on MoU {blocker.mou.title} resolved")
    return blocker


def escalate(session: Session, *, actor: Actor, today: dt.date | None = None) -> list[Blocker]:
    """Raise every open blocker to the level its age has reached; returns those that moved.

    Levels only go up: a blocker escalated by hand stays where it is."""
    require(actor, Perm.update_mou_status)
    day = today or utcnow().date()
    period = get_settings().blocker_escalation_days
    earliest_due = day - dt.timedelta(days=period)
    stmt = (select(Blocker).join(Mou).options(joinedload(Blocker.mou))
            .where(Blocker.resolved_on.is_(None), Blocker.raised_on <= earliest_due,
                   Blocker.escalation_level != EscalationLevel.chief_secretary).order_by(Blocker.id))
    stmt = mous.scoped(stmt, actor)
    moved = []
    for blocker in session.scalars(stmt):
        due = level_due(blocker.raised_on, day, period)
        if LEVELS.index(due) <= LEVELS.index(blocker.escalation_level):
            continue
        before = audit.snapshot(blocker)
        blocker.escalation_level, blocker.escalated_on = due, day
        audit.record(session, actor=actor, action="escalate", entity_type="blocker", entity_id=blocker.id,
                     before=before, after=audit.snapshot(blocker),
                     summary=f"blocker {blocker.id} on MoU {blocker.mou.title} escalated to {due.value}")
        moved.append(blocker)
    session.flush()
    return moved


def filtered(actor: Actor, flt: BlockerFilter) -> Select[Blocker]:
    stmt = mous.scoped(select(Blocker).join(Mou).options(joinedload(Blocker.mou)), actor)
    if flt.open is True:
        stmt = stmt.where(Blocker.resolved_on.is_(None))
    elif flt.open is False:
        stmt = stmt.where(Blocker.resolved_on.is_not(None))
    if flt.category:
        stmt = stmt.where(Blocker.category == flt.category)
    if flt.department:
        stmt = stmt.where(Blocker.department == flt.department)
    if flt.level:
        stmt = stmt.where(Blocker.escalation_level == flt.level)
    if flt.district:
        stmt = stmt.where(Mou.district == places.district(flt.district))
    if flt.mou_id is not None:
        stmt = stmt.where(Blocker.mou_id == flt.mou_id)
    return stmt.order_by(Blocker.raised_on, Blocker.id)


def list_blockers(session: Session, *, actor: Actor, flt: BlockerFilter | None = None,
                  page: PageParams | None = None) -> tuple[list[Blocker], int]:
    """A page of blockers within the actor's scope, oldest first, and the total."""
    require(actor, Perm.read)
    return paginate(session, filtered(actor, flt or BlockerFilter()), page or PageParams())
