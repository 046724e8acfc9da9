"""Follow-ups on any record: an owner, a due date, done or not. Nothing commits here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, load_only

from investdesk.audit import service as audit
from investdesk.blockers import service as blockers
from investdesk.db import utcnow
from investdesk.errors import InvalidTransition, NotFound, PermissionDenied
from investdesk.followups.schemas import AgendaItem, FollowUpCreate, FollowUpDone, FollowUpFilter, FollowUpRead
from investdesk.i18n import _
from investdesk.models import (
    Blocker,
    Document,
    Engagement,
    FollowUp,
    Mission,
    Mou,
    Opportunity,
    Organization,
    Person,
    User,
)
from investdesk.models.enums import OpportunityStage, RecordKind
from investdesk.mous import service as mous
from investdesk.paging import PageParams, paginate
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline.service import OPEN
from investdesk.updates import append_note

MODELS: dict[RecordKind, type[Any]] = {
    RecordKind.organization: Organization, RecordKind.person: Person, RecordKind.mission: Mission,
    RecordKind.engagement: Engagement, RecordKind.opportunity: Opportunity, RecordKind.mou: Mou,
    RecordKind.blocker: Blocker, RecordKind.document: Document,
}


# "Due" and "overdue" as the home page, the follow-ups page and the daily digest all count them: overdue is an
# open item whose day has passed; due is one falling in the seven days from today (today included).
DUE_WINDOW_DAYS = 7


def due_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day that count as due (this week, from today)."""
    return today, today + dt.timedelta(days=DUE_WINDOW_DAYS - 1)


def due_state(due: dt.date | None, today: dt.date, *, done: bool = False) -> str | None:
    """``overdue``, ``due`` (within the due window) or None, for a follow-up or a lead's next action."""
    if done or due is None:
        return None
    if due < today:
        return "overdue"
    return "due" if due <= due_window(today)[1] else None


def _check_target(session: Session, actor: Actor, kind: RecordKind, entity_id: int) -> None:
    """The record must exist and be visible to the actor; nodal officers follow up their MoUs only."""
    if kind is RecordKind.mou:
        mous.get(session, actor=actor, mou_id=entity_id)
    elif kind is RecordKind.blocker:
        blockers.get(session, actor=actor, blocker_id=entity_id)
    elif not actor.has(Perm.write_records):
        raise PermissionDenied(_('%(label)s (%(role)s) may add follow-ups on MoUs and blockers only',
                                 label=actor.label, role=actor.role.value))
    elif session.get(MODELS[kind], entity_id) is None:
        raise NotFound(_('entity_id: no %(kind)s with id %(entity_id)s', kind=kind.value,
                         entity_id=entity_id), field="entity_id")


# What a person calls each kind of record: "Tanaka Electric Co. Ltd.", not "Organization 6".
_NAME_COLUMNS: dict[RecordKind, Any] = {
    RecordKind.organization: Organization.name, RecordKind.person: Person.name, RecordKind.mission: Mission.name,
    RecordKind.engagement: Engagement.title, RecordKind.opportunity: Opportunity.title, RecordKind.mou: Mou.title,
    RecordKind.document: func.coalesce(Document.title, Document.filename),
}


def record_name(session: Session, entity_type: str, entity_id: int) -> str | None:
    """The title or name of one record ("Tanaka Electric Co. Ltd."), or None for an unknown kind or id."""
    try:
        kind = RecordKind(entity_type)
    except ValueError:
        return None
    if kind not in _NAME_COLUMNS:
        return None
    return session.scalar(select(_NAME_COLUMNS[kind]).where(MODELS[kind].id == entity_id))


def record_names(session: Session, rows: list[FollowUp]) -> dict[tuple[RecordKind, int], str]:
    """The title or name of each follow-up's record: one query per kind of record present."""
    wanted: dict[RecordKind, set[int]] = {}
    for f in rows:
        wanted.setdefault(RecordKind(f.entity_type), set()).add(f.entity_id)
    out: dict[tuple[RecordKind, int], str] = {}
    for kind, ids in wanted.items():
        model = MODELS[kind]
        if kind is RecordKind.blocker:
            on_mou = select(Blocker.id, Blocker.category, Mou.title).join(Mou, Mou.id == Blocker.mou_id) \
                .where(Blocker.id.in_(ids))
            out.update(((kind, bid), f"{category.value.replace('_', ' ').capitalize()} blocker on {title}")
                       for bid, category, title in session.execute(on_mou))
            continue
        names = select(model.id, _NAME_COLUMNS[kind]).where(model.id.in_(ids))
        out.update(((kind, rid), name) for rid, name in session.execute(names) if name)
    return out


def to_reads(session: Session, rows: list[FollowUp], today: dt.date | None = None) -> list[FollowUpRead]:
    """Rows for display, with the owners' names and the records' titles read in a few queries."""
    day = today or utcnow().date()
    owner_ids = {f.owner_id for f in rows if f.owner_id is not None}
    users = {uid: (email, name) for uid, email, name in session.execute(
        select(User.id, User.email, User.name).where(User.id.in_(owner_ids)))} if owner_ids else {}
    records = record_names(session, rows)
    return [FollowUpRead(id=f.id, entity_type=RecordKind(f.entity_type), entity_id=f.entity_id, title=f.title,
                         record=records.get((RecordKind(f.entity_type), f.entity_id)),
                         owner_id=f.owner_id, owner=users[f.owner_id][0] if f.owner_id in users else None,
                         owner_name=(users[f.owner_id][1] or users[f.owner_id][0]) if f.owner_id in users else None,
                         due_date=f.due_date, done_at=f.done_at,
                         overdue=due_state(f.due_date, day, done=f.done_at is not None) == "overdue",
                         due_state=due_state(f.due_date, day, done=f.done_at is not None), notes=f.notes)
            for f in rows]


def create(session: Session, *, actor: Actor, data: FollowUpCreate) -> FollowUp:
    """Add a follow-up on a record; it belongs to its owner (the creator unless another is named)."""
    require(actor, Perm.write_followups)
    _check_target(session, actor, data.entity_type, data.entity_id)
    owner_id = data.owner_id if data.owner_id is not None else actor.id
    if owner_id is not None:
        owner = session.get(User, owner_id)
        if owner is None or not owner.is_active:
            raise NotFound(_('owner_id: no active user with id %(owner_id)s', owner_id=owner_id), field="owner_id")
    followup = FollowUp(entity_type=data.entity_type.value, entity_id=data.entity_id, title=data.title,
                        owner_id=owner_id, due_date=data.due_date, notes=data.notes)
    session.add(followup)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="follow_up", entity_id=followup.id,
                 after=audit.snapshot(followup), summary=f"follow-up on {data.entity_type.value} "
                                                         f"{data.entity_id}: {data.title}")
    return followup


def get(session: Session, *, actor: Actor, followup_id: int) -> FollowUp:
    require(actor, Perm.read)
    followup = session.get(FollowUp, followup_id)
    if followup is None:
        raise NotFound(_('follow-up %(followup_id)s not found', followup_id=followup_id), field="followup_id")
    if followup.entity_type in (RecordKind.mou, RecordKind.blocker) and actor.is_scoped:
        _check_target(session, actor, RecordKind(followup.entity_type), followup.entity_id)
    return followup


def complete(session: Session, *, actor: Actor, followup_id: int, data: FollowUpDone) -> FollowUp:
    """Mark a follow-up done; its owner or a manager may."""
    require(actor, Perm.write_followups)
    followup = get(session, actor=actor, followup_id=followup_id)
    if followup.owner_id != actor.id and not actor.has(Perm.write_all_opportunities) and actor.id is not None:
        raise PermissionDenied(_('%(label)s may close only their own follow-ups', label=actor.label))
    if followup.done_at is not None:
        raise InvalidTransition(_('follow-up %(followup_id)s was already done on %(d)s', followup_id=followup_id,
                                  d=format(followup.done_at, '%Y-%m-%d')),
                                field="followup_id")
    before = audit.snapshot(followup)
    followup.done_at = utcnow()
    followup.notes = append_note(followup.notes, data.note)
    session.flush()
    audit.record(session, actor=actor, action="done", entity_type="follow_up", entity_id=followup.id,
                 before=before, after=audit.snapshot(followup), summary=f"follow-up done: {followup.title}")
    return followup


def filtered(actor: Actor, flt: FollowUpFilter, today: dt.date | None = None) -> Select[FollowUp]:
    stmt = select(FollowUp)
    if actor.is_scoped:
        # A nodal officer sees the follow-ups they own and those on the MoUs in their scope.
        in_scope = (FollowUp.entity_type == RecordKind.mou.value) & FollowUp.entity_id.in_(
            mous.scoped(select(Mou.id), actor))
        # An actor with no id owns nothing: "owner_id == None" would be IS NULL, every unowned follow-up.
        stmt = stmt.where(in_scope if actor.id is None else (FollowUp.owner_id == actor.id) | in_scope)
    if flt.owner_id is not None:
        stmt = stmt.where(FollowUp.owner_id == flt.owner_id)
    if flt.overdue:
        stmt = stmt.where(FollowUp.done_at.is_(None), FollowUp.due_date < (today or utcnow().date()))
    elif flt.open is True:
        stmt = stmt.where(FollowUp.done_at.is_(None))
    elif flt.open is False:
        stmt = stmt.where(FollowUp.done_at.is_not(None))
    if flt.entity_type is not None:
        stmt = stmt.where(FollowUp.entity_type == flt.entity_type.value)
    if flt.entity_id is not None:
        stmt = stmt.where(FollowUp.entity_id == flt.entity_id)
    return stmt.order_by(FollowUp.due_date.asc().nulls_last(), FollowUp.id)


def list_followups(session: Session, *, actor: Actor, flt: FollowUpFilter | None = None,
                   page: PageParams | None = None) -> tuple[list[FollowUp], int]:
    """A page of follow-ups, soonest due first, and the total."""
    require(actor, Perm.read)
    return paginate(session, filtered(actor, flt or FollowUpFilter()), page or PageParams())


def agenda(session: Session, *, actor: Actor, limit: int = 8) -> list[AgendaItem]:
    """What is the user's to do: their open follow-ups and the next actions of their open leads, soonest first
    (undated last)."""
    require(actor, Perm.read)
    if actor.id is None:
        return []
    today = utcnow().date()
    items = [AgendaItem(title=f.title, due=f.due_date, kind=f.entity_type, record_id=f.entity_id,
                        state=due_state(f.due_date, today))
             for f in session.scalars(select(FollowUp).where(FollowUp.owner_id == actor.id, FollowUp.done_at.is_(None))
                                      .order_by(FollowUp.due_date.asc().nulls_last()).limit(limit))]
    leads = select(Opportunity).options(load_only(Opportunity.id, Opportunity.title, Opportunity.next_action,
                                                  Opportunity.next_action_due))
    for o in session.scalars(leads.where(Opportunity.owner_id == actor.id, Opportunity.next_action_due.is_not(None),
                                         Opportunity.stage.in_([*OPEN, OpportunityStage.mou_signed]))
                             .order_by(Opportunity.next_action_due).limit(limit)):
        items.append(AgendaItem(title=o.next_action or o.title, due=o.next_action_due, kind=RecordKind.opportunity,
                                record_id=o.id, sub=o.title, state=due_state(o.next_action_due, today)))
    items.sort(key=lambda i: (i.due is None, i.due))
    return items[:limit]
