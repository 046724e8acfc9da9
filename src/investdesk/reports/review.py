"""Figures of the monthly reviews: an MoU window's headline and district table, what moved since a date, the
oldest blockers, and the month's movement of the lead pipeline. Grouped queries, scoped like every summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from investdesk.db import utcnow
from investdesk.models import Blocker, Mou, MouStatusChange, Opportunity, OpportunityStageChange, Organization, User
from investdesk.models.enums import OpportunityStage
from investdesk.mous import service as mous
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline import service as pipeline
from investdesk.reports.schemas import (
    DistrictRow,
    LeadRow,
    MouFigures,
    MouWindow,
    OldBlockerRow,
    StageMoveRow,
    StatusChangeRow,
)
from investdesk.reports.service import GROUNDED, within


def _in(stmt: Any, actor: Actor, window: MouWindow | None) -> Any:
    """The query narrowed to the actor's scope and the window."""
    return within(mous.scoped(stmt, actor), window)


def _pending() -> Any:
    return Mou.status.not_in(mous.CLOSED) & (Mou.status_updated_at < mous.pending_cutoff())


def mou_figures(session: Session, *, actor: Actor, window: MouWindow | None = None) -> MouFigures:
    """Signed, grounded and pending MoUs of the window, their value (INR crore) and jobs."""
    require(actor, Perm.read)
    stmt = select(func.count(), func.count().filter(Mou.status.in_(GROUNDED)), func.count().filter(_pending()),
                  func.coalesce(func.sum(Mou.amount_inr_crore), 0), func.coalesce(func.sum(Mou.jobs), 0))
    n, grounded, pending, value, jobs = session.execute(_in(stmt.select_from(Mou), actor, window)).one()
    return MouFigures(signed=n, grounded=grounded, pending=pending, value_inr_crore=float(value), jobs=int(jobs))


def by_district(session: Session, *, actor: Actor, window: MouWindow | None = None) -> list[DistrictRow]:
    """Per district: MoUs signed, grounded, pending, open blockers, value and jobs; most value first."""
    require(actor, Perm.read)
    stmt = (select(Mou.district, func.count(), func.count().filter(Mou.status.in_(GROUNDED)),
                   func.count().filter(_pending()), func.coalesce(func.sum(Mou.amount_inr_crore), 0),
                   func.coalesce(func.sum(Mou.jobs), 0)).group_by(Mou.district))
    blockers = (select(Mou.district, func.count()).select_from(Blocker).join(Mou)
                .where(Blocker.resolved_on.is_(None)).group_by(Mou.district))
    open_by: dict[str | None, int] = dict(session.execute(_in(blockers, actor, window)).all())
    rows = [DistrictRow(district=d or "(no district)", signed=n, grounded=g, pending=p, open_blockers=open_by.get(d, 0),
                        value_inr_crore=float(v), jobs=int(j))
            for d, n, g, p, v, j in session.execute(_in(stmt, actor, window))]
    return sorted(rows, key=lambda r: (-r.value_inr_crore, -r.signed, r.district))


def status_changes(session: Session, *, actor: Actor, since: dt.datetime, window: MouWindow | None = None,
                   limit: int = 200) -> tuple[list[StatusChangeRow], int]:
    """Status changes of the window's MoUs at or after ``since`` (newest first, at most ``limit``), and how many."""
    require(actor, Perm.read)
    where = (MouStatusChange.changed_at >= since, MouStatusChange.from_status.is_not(None))
    base = select(MouStatusChange.id).join(Mou, Mou.id == MouStatusChange.mou_id).where(*where)
    total = session.scalar(select(func.count()).select_from(_in(base, actor, window).subquery())) or 0
    stmt = (select(Mou.id, Mou.title, Mou.district, MouStatusChange.from_status, MouStatusChange.to_status,
                   MouStatusChange.changed_at, MouStatusChange.note).join(Mou, Mou.id == MouStatusChange.mou_id)
            .where(*where).order_by(MouStatusChange.changed_at.desc(), MouStatusChange.id.desc()).limit(limit))
    rows = [StatusChangeRow(mou_id=i, title=t, district=d, from_status=f, to_status=to, changed_at=at, note=note)
            for i, t, d, f, to, at, note in session.execute(_in(stmt, actor, window))]
    return rows, total


def oldest_blockers(session: Session, *, actor: Actor, window: MouWindow | None = None, limit: int = 10,
                    today: dt.date | None = None) -> list[OldBlockerRow]:
    """The open blockers raised longest ago, with their MoU."""
    require(actor, Perm.read)
    day = today or utcnow().date()
    stmt = (select(Blocker.id, Mou.id, Mou.title, Mou.district, Blocker.category, Blocker.department,
                   Blocker.escalation_level, Blocker.raised_on).join(Mou, Mou.id == Blocker.mou_id)
            .where(Blocker.resolved_on.is_(None)).order_by(Blocker.raised_on, Blocker.id).limit(limit))
    return [OldBlockerRow(blocker_id=b, mou_id=m, mou_title=t, district=d, category=c, department=dep,
                          escalation_level=lvl, raised_on=r, age_days=(day - r).days)
            for b, m, t, d, c, dep, lvl, r in session.execute(_in(stmt, actor, window))]


def lead_rows(session: Session, stmt: Any) -> list[LeadRow]:
    owner = aliased(User)
    rows = session.execute(stmt.add_columns(Organization.name, owner.name, owner.email)
                           .outerjoin(Organization, Organization.id == Opportunity.counterpart_id)
                           .outerjoin(owner, owner.id == Opportunity.owner_id))
    return [LeadRow(id=o.id, title=o.title, counterpart=org, stage=o.stage, value_inr_crore=o.amount_inr_crore,
                    country=o.country, owner=name or email, next_action=o.next_action,
                    next_action_due=o.next_action_due) for o, org, name, email in rows]


def largest_open_leads(session: Session, *, actor: Actor, limit: int = 10) -> list[LeadRow]:
    """The open leads of largest value (identified to interested, or on hold)."""
    require(actor, Perm.read)
    stmt = (select(Opportunity).where(Opportunity.stage.in_([*pipeline.OPEN, OpportunityStage.on_hold]),
                                      Opportunity.amount_inr_crore.is_not(None))
            .order_by(Opportunity.amount_inr_crore.desc(), Opportunity.id).limit(limit))
    return lead_rows(session, stmt)


def new_leads(session: Session, *, actor: Actor, start: dt.datetime, end: dt.datetime,
              limit: int = 100) -> tuple[list[LeadRow], int]:
    """Leads recorded in [start, end), largest first (at most ``limit``), and how many."""
    require(actor, Perm.read)
    where = (Opportunity.created_at >= start, Opportunity.created_at < end)
    total = session.scalar(select(func.count()).select_from(Opportunity).where(*where)) or 0
    stmt = (select(Opportunity).where(*where)
            .order_by(Opportunity.amount_inr_crore.desc().nulls_last(), Opportunity.id).limit(limit))
    return lead_rows(session, stmt), total


def stage_moves(session: Session, *, actor: Actor, start: dt.datetime, end: dt.datetime,
                limit: int = 200) -> tuple[list[StageMoveRow], dict[OpportunityStage, int]]:
    """Stage changes of leads already recorded (not their first stage) in [start, end), newest first, and how
    many moved to each stage."""
    require(actor, Perm.read)
    where = (OpportunityStageChange.changed_at >= start, OpportunityStageChange.changed_at < end,
             OpportunityStageChange.from_stage.is_not(None))
    counts = {OpportunityStage(s): n for s, n in session.execute(
        select(OpportunityStageChange.to_stage, func.count()).where(*where).group_by(OpportunityStageChange.to_stage))}
    stmt = (select(OpportunityStageChange, Opportunity.title).join(Opportunity).where(*where)
            .order_by(OpportunityStageChange.changed_at.desc(), OpportunityStageChange.id.desc()).limit(limit))
    rows = [StageMoveRow(opportunity_id=c.opportunity_id, title=title, from_stage=c.from_stage, to_stage=c.to_stage,
                         reason=c.reason, changed_at=c.changed_at) for c, title in session.execute(stmt)]
    return rows, counts
