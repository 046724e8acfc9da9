"""Summaries the agency is judged on: each one grouped query in SQL, whatever the number of records.

Every summary respects the reader's scope: a nodal officer's figures count the MoUs (and their blockers)
of their districts and departments only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, literal_column, select
from sqlalchemy.orm import Session, aliased, selectinload

from investdesk.db import utcnow
from investdesk.i18n import N_
from investdesk.models import Blocker, Engagement, Mou, Opportunity, Sector, User
from investdesk.models.enums import EscalationLevel, MouStatus, OpportunityStage
from investdesk.models.pipeline import opportunity_sectors
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouFilter
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline import service as pipeline
from investdesk.reports.schemas import (
    BlockerDimension,
    ConversionDimension,
    ConversionRow,
    FunnelRow,
    GroupTotal,
    MouHeadline,
    MouWindow,
    PendingDimension,
    PipelineDimension,
    PipelineGroup,
)

GROUNDED = (MouStatus.construction, MouStatus.commercial_operation)
# Age bands of open blockers, in days, as monthly reviews read them.
# Keys of the age groups, in English (the pages show them translated).
AGE_BANDS = ((30, N_("0-30 days")), (90, N_("31-90 days")), (180, N_("91-180 days")), (None, N_("over 180 days")))


def _value(column: Any) -> Any:
    return func.coalesce(func.sum(column), 0)


def within(stmt: Any, window: MouWindow | None) -> Any:
    """A query over MoUs (or joined to them) narrowed to the MoUs of a review window."""
    if window is None:
        return stmt
    if window.signed_from is not None:
        stmt = stmt.where(Mou.signed_date >= window.signed_from)
    if window.signed_to is not None:
        stmt = stmt.where(Mou.signed_date <= window.signed_to)
    if window.district:
        stmt = stmt.where(Mou.district == window.district)
    if window.department:
        stmt = stmt.where(Mou.department == window.department)
    return stmt


def created_within(stmt: Any, created_from: dt.date | None, created_to: dt.date | None) -> Any:
    """A query over leads narrowed to those created between two days (inclusive, UTC)."""
    if created_from is not None:
        stmt = stmt.where(Opportunity.created_at >= dt.datetime.combine(created_from, dt.time(), dt.UTC))
    if created_to is not None:
        stmt = stmt.where(Opportunity.created_at < dt.datetime.combine(created_to + dt.timedelta(days=1), dt.time(),
                                                                       dt.UTC))
    return stmt


def _by_sector(*columns: Any) -> Select[Any]:
    """The leads' columns per link row of leads and sectors. Joined on ``opportunity_id + 0``, which no index
    of the link table serves: SQLite then reads the link table in its order and finds each lead by its id,
    instead of probing the link table's key once per lead (twice the time at 100,000 leads); PostgreSQL hashes
    the join either way."""
    return select(*columns).select_from(opportunity_sectors).join(
        Opportunity, Opportunity.id == opportunity_sectors.c.opportunity_id + literal_column("0"))


def _sector_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Sector.id, Sector.name)).all())


def funnel(session: Session, *, actor: Actor, created_from: dt.date | None = None,
           created_to: dt.date | None = None) -> list[FunnelRow]:
    """Leads by stage: how many are at each stage now, how many reached it, and their value; optionally only
    the leads created between two days."""
    require(actor, Perm.read)
    stmt = select(Opportunity.stage, func.count(), _value(Opportunity.amount_inr_crore)).group_by(Opportunity.stage)
    rows = session.execute(created_within(stmt, created_from, created_to))
    return _funnel_rows({OpportunityStage(stage): (n, float(v)) for stage, n, v in rows})


def _funnel_rows(totals: dict[OpportunityStage, tuple[int, float]]) -> list[FunnelRow]:
    now = [totals.get(s, (0, 0.0))[0] for s in pipeline.MAIN_LINE]
    out = [FunnelRow(stage=s, count=now[i], reached=sum(now[i:]), value_inr_crore=totals.get(s, (0, 0.0))[1])
           for i, s in enumerate(pipeline.MAIN_LINE)]
    out += [FunnelRow(stage=s, count=totals.get(s, (0, 0.0))[0], reached=None,
                      value_inr_crore=totals.get(s, (0, 0.0))[1])
            for s in (OpportunityStage.on_hold, OpportunityStage.dropped)]
    return out


def pipeline_by(session: Session, *, actor: Actor, by: PipelineDimension, stage: OpportunityStage | None = None,
                created_from: dt.date | None = None, created_to: dt.date | None = None) -> list[PipelineGroup]:
    """The funnel by sector, investor country or district: per group, leads by stage and their value,
    largest value first. Dropped leads are left out unless asked for by ``stage``; ``created_from`` and
    ``created_to`` keep the leads created between two days."""
    require(actor, Perm.read)
    where: ColumnElement[bool] = (Opportunity.stage == stage if stage is not None
                                  else Opportunity.stage != OpportunityStage.dropped)
    key, stmt = _by_stage(by)
    names = _sector_names(session) if by is PipelineDimension.sector else {}
    stmt = created_within(stmt.where(where), created_from, created_to)
    return _groups(session.execute(stmt.group_by(key, Opportunity.stage)), names)


def _by_stage(by: PipelineDimension) -> tuple[Any, Select[Any]]:
    """The group's key and the leads' count and value per group and stage, before any filter."""
    value = _value(Opportunity.amount_inr_crore)
    if by is PipelineDimension.sector:
        key: Any = opportunity_sectors.c.sector_id
        return key, _by_sector(key, Opportunity.stage, func.count(), value)
    key = Opportunity.country if by is PipelineDimension.country else Opportunity.district
    return key, select(key, Opportunity.stage, func.count(), value)


def _groups(rows: Iterable[Any], names: dict[str, str]) -> list[PipelineGroup]:
    groups: dict[str | None, PipelineGroup] = {}
    for k, stage_of, n, v in rows:
        group = groups.setdefault(k, PipelineGroup(key=k, label=names.get(k, k) if k else "(not given)", count=0))
        group.count += n
        group.value_inr_crore += float(v)
        group.stages[OpportunityStage(stage_of)] = n
    return sorted(groups.values(), key=lambda g: (-g.value_inr_crore, -g.count, g.label))


def funnel_and_pipeline(session: Session, *, actor: Actor, by: PipelineDimension,
                        created_from: dt.date | None = None,
                        created_to: dt.date | None = None) -> tuple[list[FunnelRow], list[PipelineGroup]]:
    """``funnel()`` and ``pipeline_by(by=by)`` together. By investor country or district each lead is in one
    group, so both come from one reading of the leads by group and stage (dropped ones counted in the funnel
    only); by sector a lead may have several sectors or none, and the funnel is read on its own."""
    if by is PipelineDimension.sector:
        return (funnel(session, actor=actor, created_from=created_from, created_to=created_to),
                pipeline_by(session, actor=actor, by=by, created_from=created_from, created_to=created_to))
    require(actor, Perm.read)
    key, stmt = _by_stage(by)
    rows = session.execute(created_within(stmt, created_from, created_to).group_by(key, Opportunity.stage)).all()
    totals: dict[OpportunityStage, tuple[int, float]] = {}
    for _k, stage_of, n, v in rows:
        stage = OpportunityStage(stage_of)
        count, value = totals.get(stage, (0, 0.0))
        totals[stage] = (count + n, value + float(v))
    kept = [r for r in rows if OpportunityStage(r[1]) is not OpportunityStage.dropped]
    return _funnel_rows(totals), _groups(kept, {})


def pending_mous_by(session: Session, *, actor: Actor, by: PendingDimension,
                    now: dt.datetime | None = None, window: MouWindow | None = None) -> list[GroupTotal]:
    """MoUs with no status update for the pending period, by district or by nodal officer."""
    require(actor, Perm.read)
    pending = (Mou.status.not_in(mous.CLOSED), Mou.status_updated_at < mous.pending_cutoff(now))
    value = _value(Mou.amount_inr_crore)
    if by is PendingDimension.district:
        stmt = select(Mou.district, func.count(), value).where(*pending).group_by(Mou.district)
        rows = session.execute(within(mous.scoped(stmt, actor), window).order_by(func.count().desc(), value.desc()))
        return [GroupTotal(key=k, label=k or "(no district)", count=n, value_inr_crore=float(v)) for k, n, v in rows]
    # Who follows the MoU up: its nodal officer, else (a large MoU) its account manager; by name, e-mail if none.
    nodal, manager = aliased(User), aliased(User)
    keys = (nodal.email, nodal.name, manager.email, manager.name)
    stmt = (select(*keys, func.count(), value).select_from(Mou)
            .outerjoin(nodal, nodal.id == Mou.nodal_officer_id)
            .outerjoin(manager, and_(Mou.nodal_officer_id.is_(None), manager.id == Mou.account_manager_id))
            .where(*pending).group_by(*keys))
    out = []
    for n_email, n_name, m_email, m_name, n, v in session.execute(
            within(mous.scoped(stmt, actor), window).order_by(func.count().desc(), value.desc())):
        if n_email:
            key, label = n_email, n_name or n_email
        elif m_email:
            key, label = m_email, f"{m_name or m_email} (account manager)"
        else:
            key, label = None, "Unassigned"
        out.append(GroupTotal(key=key, label=label, count=n, value_inr_crore=float(v)))
    return out


def open_blockers_by(session: Session, *, actor: Actor, by: BlockerDimension,
                     today: dt.date | None = None, window: MouWindow | None = None) -> list[GroupTotal]:
    """Open blockers by category, department that must act, escalation level, or age band."""
    require(actor, Perm.read)
    day = today or utcnow().date()
    if by is BlockerDimension.age:
        whens = [(Blocker.raised_on >= day - dt.timedelta(days=limit), literal(label))
                 for limit, label in AGE_BANDS if limit is not None]
        key: Any = case(*whens, else_=literal(AGE_BANDS[-1][1]))
    else:
        key = {BlockerDimension.category: Blocker.category, BlockerDimension.department: Blocker.department,
               BlockerDimension.level: Blocker.escalation_level}[by]
    stmt = (select(key, func.count(), _value(Mou.amount_inr_crore)).select_from(Blocker).join(Mou)
            .where(Blocker.resolved_on.is_(None)).group_by(key))
    counts = {k: (n, float(v)) for k, n, v in session.execute(within(mous.scoped(stmt, actor), window))}
    if by is BlockerDimension.age:
        order: list[Any] = [label for _, label in AGE_BANDS]
    elif by is BlockerDimension.level:
        order = list(EscalationLevel)
    else:
        order = sorted(counts, key=lambda k: (-counts[k][0], str(k)))
    return [GroupTotal(key=str(k) if k is not None else None, label=str(k) if k is not None else "(not given)",
                       count=counts.get(k, (0, 0.0))[0], value_inr_crore=counts.get(k, (0, 0.0))[1])
            for k in order if k in counts or by in (BlockerDimension.age, BlockerDimension.level)]


def conversion(session: Session, *, actor: Actor, by: ConversionDimension,
               window: MouWindow | None = None) -> list[ConversionRow]:
    """MoUs signed and grounded (under construction or operating), by signing year or sector."""
    require(actor, Perm.read)
    key: Any = func.extract("year", Mou.signed_date) if by is ConversionDimension.year else Mou.sector_id
    grounded = Mou.status.in_(GROUNDED)
    stmt = select(key, func.count(), func.count().filter(grounded), _value(Mou.amount_inr_crore),
                  func.coalesce(func.sum(Mou.amount_inr_crore).filter(grounded), 0)).group_by(key)
    rows = list(session.execute(within(mous.scoped(stmt, actor), window).order_by(key)).all())
    names = _sector_names(session) if by is ConversionDimension.sector else {}
    out = []
    for k, signed, done, value, value_done in rows:
        key_text = None if k is None else (str(int(k)) if by is ConversionDimension.year else str(k))
        label = names.get(key_text or "", key_text) if key_text else "(not given)"
        out.append(ConversionRow(key=key_text, label=label or "(not given)", signed=signed, grounded=done,
                                 rate=round(done / signed, 4) if signed else 0.0,
                                 value_signed_inr_crore=float(value), value_grounded_inr_crore=float(value_done)))
    return out


def value_by_sector(session: Session, *, actor: Actor, limit: int = 12) -> list[GroupTotal]:
    """Value of the leads not dropped, by sector (INR crore), largest first."""
    require(actor, Perm.read)
    value = func.sum(Opportunity.amount_inr_crore)
    rows = session.execute(
        _by_sector(opportunity_sectors.c.sector_id, func.count(), value)
        .where(Opportunity.stage != OpportunityStage.dropped, Opportunity.amount_inr_crore.is_not(None))
        .group_by(opportunity_sectors.c.sector_id).order_by(value.desc()).limit(limit)).all()
    names = _sector_names(session)
    return [GroupTotal(key=sid, label=names.get(sid, sid), count=n, value_inr_crore=round(float(v or 0), 1))
            for sid, n, v in rows]


def engagements_by_country(session: Session, *, actor: Actor, limit: int = 12) -> list[GroupTotal]:
    """Meetings by the counterpart's country, most first."""
    require(actor, Perm.read)
    rows = session.execute(select(Engagement.country, func.count()).where(Engagement.country.is_not(None))
                           .group_by(Engagement.country).order_by(func.count().desc()).limit(limit)).all()
    return [GroupTotal(key=c, label=c, count=n) for c, n in rows]


def mou_headline(session: Session, *, actor: Actor) -> MouHeadline:
    """How many MoUs the reader may see, their value and how many are in commercial operation."""
    require(actor, Perm.read)
    ids = mous.filtered(actor, MouFilter()).order_by(None).with_only_columns(Mou.id).subquery()
    n, value, operating = session.execute(
        select(func.count(), _value(Mou.amount_inr_crore),
               func.count().filter(Mou.status == MouStatus.commercial_operation))
        .where(Mou.id.in_(select(ids.c.id)))).one()
    return MouHeadline(count=n, value_inr_crore=float(value or 0), operating=operating)


def oldest_pending_mous(session: Session, *, actor: Actor, limit: int = 8) -> tuple[list[Mou], int]:
    """The pending MoUs the reader may see, longest without an update first, and how many there are."""
    require(actor, Perm.read)
    # The MoU service's selection, without the related rows it loads for a full record (history, blockers).
    pending = mous.filtered(actor, MouFilter(pending=True)).whereclause
    assert pending is not None  # "pending" is a condition
    total = session.scalar(select(func.count(Mou.id)).where(pending)) or 0
    rows = list(session.scalars(select(Mou).options(selectinload(Mou.parties)).where(pending)
                                .order_by(Mou.status_updated_at.asc(), Mou.id).limit(limit)))
    return rows, total
