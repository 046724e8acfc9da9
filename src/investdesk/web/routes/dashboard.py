"""The home page's figures: each one grouped query in SQL, whatever the number of records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, load_only, selectinload

from investdesk.models import Document, Engagement, FollowUp, Mou, Opportunity, Sector
from investdesk.models.enums import MouStatus, OpportunityStage, ReviewState
from investdesk.models.pipeline import opportunity_sectors
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouFilter
from investdesk.permissions import Actor
from investdesk.pipeline.service import OPEN
from investdesk.reports.schemas import FunnelRow
from investdesk.web.routes.formatting import country, label, record_url


def funnel_chart(rows: list[FunnelRow]) -> dict[str, Any]:
    """Leads that reached each stage (those now at it or further along the main line)."""
    main = [r for r in rows if r.reached is not None]
    return {"kind": "funnel", "labels": [label(r.stage) for r in main], "values": [r.reached for r in main],
            "now": [r.count for r in main], "links": [f"/opportunities?stage={r.stage.value}" for r in main]}


def sector_chart(session: Session, limit: int = 12) -> dict[str, Any]:
    """Value of open and signed leads by sector (INR crore)."""
    value = func.sum(Opportunity.amount_inr_crore)
    by_sector = session.execute(
        select(opportunity_sectors.c.sector_id, value)
        .join(Opportunity, Opportunity.id == opportunity_sectors.c.opportunity_id)
        .where(Opportunity.stage != OpportunityStage.dropped, Opportunity.amount_inr_crore.is_not(None))
        .group_by(opportunity_sectors.c.sector_id).order_by(value.desc()).limit(limit)).all()
    names = dict(session.execute(select(Sector.id, Sector.name)).all())
    rows = [(sid, names.get(sid, sid), v) for sid, v in by_sector]
    rows = list(reversed(rows))  # largest at the top of a horizontal bar chart
    return {"kind": "hbar", "labels": [name for _, name, _ in rows], "values": [round(v or 0, 1) for _, _, v in rows],
            "links": [f"/opportunities?sector={sid}" for sid, _, _ in rows], "unit": "INR crore"}


def country_chart(session: Session, limit: int = 12) -> dict[str, Any]:
    rows = session.execute(select(Engagement.country, func.count()).where(Engagement.country.is_not(None))
                           .group_by(Engagement.country).order_by(func.count().desc()).limit(limit)).all()
    return {"kind": "bar", "labels": [country(c) for c, _ in rows], "values": [n for _, n in rows],
            "links": [f"/organizations?country={c}" for c, _ in rows], "unit": "engagements"}


def pending_mous(session: Session, actor: Actor, limit: int = 8) -> tuple[list[Mou], int]:
    stmt = mous.filtered(actor, MouFilter(pending=True)).order_by(None)
    total = session.scalar(select(func.count()).select_from(stmt.with_only_columns(Mou.id).subquery())) or 0
    rows = list(session.scalars(stmt.options(selectinload(Mou.parties))
                                .order_by(Mou.status_updated_at.asc(), Mou.id).limit(limit)))
    return rows, total


def mou_totals(session: Session, actor: Actor) -> dict[str, Any]:
    stmt = mous.filtered(actor, MouFilter()).order_by(None).with_only_columns(Mou.id).subquery()
    n, value, grounded = session.execute(
        select(func.count(), func.coalesce(func.sum(Mou.amount_inr_crore), 0),
               func.count().filter(Mou.status == MouStatus.commercial_operation))
        .where(Mou.id.in_(select(stmt.c.id)))).one()
    return {"count": n, "value": float(value or 0), "operating": grounded}


def my_follow_ups(session: Session, actor: Actor, limit: int = 8) -> list[dict[str, Any]]:
    """Open follow-ups the user owns and the next actions of the user's leads, soonest first."""
    if actor.id is None:
        return []
    items: list[dict[str, Any]] = []
    for f in session.scalars(select(FollowUp).where(FollowUp.owner_id == actor.id, FollowUp.done_at.is_(None))
                             .order_by(FollowUp.due_date.asc().nulls_last()).limit(limit)):
        items.append({"title": f.title, "due": f.due_date, "url": record_url(f.entity_type, f.entity_id)})
    for o in session.scalars(select(Opportunity).options(load_only(Opportunity.id, Opportunity.title,
                                                                   Opportunity.next_action,
                                                                   Opportunity.next_action_due))
                             .where(and_(Opportunity.owner_id == actor.id, Opportunity.next_action_due.is_not(None),
                                         Opportunity.stage.in_([*OPEN, OpportunityStage.mou_signed])))
                             .order_by(Opportunity.next_action_due).limit(limit)):
        items.append({"title": o.next_action or o.title, "due": o.next_action_due, "url": f"/opportunities/{o.id}",
                      "sub": o.title})
    items.sort(key=lambda i: (i["due"] is None, i["due"]))
    return items[:limit]


def recent_documents(session: Session, limit: int = 6) -> tuple[list[Document], int]:
    rows = list(session.scalars(select(Document).options(load_only(
        Document.id, Document.filename, Document.title, Document.ingested_at, Document.review_state))
        .order_by(Document.ingested_at.desc(), Document.id.desc()).limit(limit)))
    waiting = session.scalar(select(func.count()).select_from(Document)
                             .where(Document.review_state == ReviewState.pending)) or 0
    return rows, waiting
