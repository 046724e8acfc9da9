"""The ranking query: every signal counted per organization in grouped subqueries, the weighted sum ordered and
cut in SQL, so 20,000 candidates cost one statement (after a count of the candidates, which chooses how the
signals are read) and only the top rows become Python objects; the reasons of the top rows (sectors in common,
last meeting, the person we know) are read for those rows alone.

The signals shown with each match are rebuilt from the same counts and weights (``signals_of``), and the score
shown is their sum; the SQL expression only orders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import SelectBase, Subquery

from investdesk.matchmaking.schemas import SIGNAL_LABELS, Signal
from investdesk.models import Engagement, Evidence, FollowUp, Mou, Opportunity, Organization
from investdesk.models.engagement import engagement_counterparts
from investdesk.models.enums import OpportunityStage
from investdesk.models.mou import mou_parties
from investdesk.models.organization import organization_sectors
from investdesk.mous import service as mous
from investdesk.permissions import Actor

OPEN_STAGES = (OpportunityStage.identified, OpportunityStage.engaged, OpportunityStage.interested)
MAX_COUNTED = {"meeting": 5, "document": 5}
RECENT_DAYS = 365


@dataclass
class Ask:
    """What the candidates are ranked for."""

    sectors: list[str]
    foreign: bool = False  # a policy asking for foreign capital: organizations outside India score
    cities: list[str] = field(default_factory=list)  # a trip's cities
    trip: bool = False  # overdue follow-ups count, open business first


def _capped(col: Any, name: str) -> Any:
    n = func.coalesce(col, 0)
    cap = MAX_COUNTED.get(name)
    return n if cap is None else case((n > cap, cap), else_=n)


FEW_CANDIDATES = 0.25  # candidates at most this share of the organizations: each count reads only theirs


def rank(session: Session, actor: Actor, candidates: ColumnElement[bool], ask: Ask, w: dict[str, float],
         today: dt.date, limit: int) -> tuple[int, list[Any]]:
    """(how many candidates score above zero, the top ``limit`` rows with every count).

    One statement: each signal counted per organization in a grouped subquery read from an index (a signal the
    ask does not use is not counted at all), the weighted sum ordered and cut in SQL. When the candidates are a
    small share of the organizations (an offering's sectors, a trip's country), each count is restricted to them
    and read by index seeks; when they are most of them (a policy open to every foreign organization), a whole
    index is read once, as seeking it 20,000 times costs more.
    """
    ids = select(Organization.id).where(candidates)
    n_all, n_candidates = session.execute(
        select(func.count(), func.coalesce(func.sum(case((candidates, 1), else_=0)), 0))
        .select_from(Organization).where(Organization.merged_into_id.is_(None))).one()
    if not n_candidates:
        return 0, []
    few = n_candidates <= FEW_CANDIDATES * n_all

    def only(col: Any) -> Any:
        return col.in_(ids) if few else true()

    joins: list[tuple[Subquery, ColumnElement[bool]]] = []

    def sub(stmt: SelectBase) -> Subquery:
        q = stmt.subquery()
        joins.append((q, q.c.org == Organization.id))
        return q

    zero = literal(0)
    counts: dict[str, Any] = dict.fromkeys(SIGNAL_LABELS, zero)
    if ask.sectors:
        sec = sub(select(organization_sectors.c.organization_id.label("org"), func.count().label("n"))
                  .where(organization_sectors.c.sector_id.in_(ask.sectors))
                  .group_by(organization_sectors.c.organization_id))
        counts["sector"] = func.coalesce(sec.c.n, 0)
    # Counted from the link table's index alone; the recent meetings through the index on the date, so the
    # meetings' rows are not read to find each organization's last one (read for the top rows only).
    meet = sub(select(engagement_counterparts.c.organization_id.label("org"), func.count().label("n"))
               .where(only(engagement_counterparts.c.organization_id))
               .group_by(engagement_counterparts.c.organization_id))
    counts["meeting"] = _capped(meet.c.n, "meeting")
    recent_q = sub(select(engagement_counterparts.c.organization_id.label("org"))
                   .join(Engagement, Engagement.id == engagement_counterparts.c.engagement_id)
                   .where(Engagement.date >= today - dt.timedelta(days=RECENT_DAYS),
                          only(engagement_counterparts.c.organization_id))
                   .group_by(engagement_counterparts.c.organization_id))
    counts["recent_meeting"] = case((recent_q.c.org.is_not(None), 1), else_=0)
    interested = func.sum(case((Opportunity.stage == OpportunityStage.interested, 1), else_=0))
    lead = sub(select(Opportunity.counterpart_id.label("org"), func.count().label("n"), interested.label("interested"))
               .where(Opportunity.stage.in_(OPEN_STAGES), only(Opportunity.counterpart_id))
               .group_by(Opportunity.counterpart_id))
    counts["open_lead"] = func.coalesce(lead.c.n, 0)
    counts["interest"] = func.coalesce(lead.c.interested, 0)
    mou = sub(mous.scoped(select(mou_parties.c.organization_id.label("org"), func.count().label("n"))
                          .join(Mou, Mou.id == mou_parties.c.mou_id)
                          .where(only(mou_parties.c.organization_id))
                          .group_by(mou_parties.c.organization_id), actor))
    counts["mou"] = func.coalesce(mou.c.n, 0)
    doc = sub(select(Evidence.entity_id.label("org"), func.count(func.distinct(Evidence.document_id)).label("n"))
              .where(Evidence.entity_type == "organization", only(Evidence.entity_id))
              .group_by(Evidence.entity_id))
    counts["document"] = _capped(doc.c.n, "document")
    if ask.foreign:
        counts["foreign"] = case((and_(Organization.country.is_not(None), Organization.country != "IN"), 1), else_=0)
    if ask.cities:
        counts["city"] = case((func.lower(Organization.city).in_([c.lower() for c in ask.cities]), 1), else_=0)
    if ask.trip:
        due = and_(FollowUp.done_at.is_(None), FollowUp.due_date < today)
        on_org = select(FollowUp.entity_id.label("org")).where(due, FollowUp.entity_type == "organization",
                                                               FollowUp.entity_id.in_(ids))
        on_lead = select(Opportunity.counterpart_id.label("org")).select_from(FollowUp).join(
            Opportunity, and_(FollowUp.entity_type == "opportunity", FollowUp.entity_id == Opportunity.id)).where(
            due, Opportunity.counterpart_id.in_(ids))
        both = on_org.union_all(on_lead).subquery()
        over = sub(select(both.c.org, func.count().label("n")).group_by(both.c.org))
        counts["overdue_followup"] = func.coalesce(over.c.n, 0)
    score = sum((expr * w[name] for name, expr in counts.items() if expr is not zero), literal(0.0))
    tier = (case((or_(counts["open_lead"] > 0, counts["overdue_followup"] > 0), 0), else_=1) if ask.trip
            else literal(0))
    score_col, tier_col = score.label("score"), tier.label("tier")
    stmt = (select(Organization.id, Organization.name, Organization.country, Organization.city,
                   score_col, tier_col,
                   func.count().over().label("total"), *[expr.label(f"n_{name}") for name, expr in counts.items()])
            .select_from(Organization))
    for q, on in joins:
        stmt = stmt.outerjoin(q, on)
    stmt = stmt.where(candidates, score > 0)
    if ask.trip and ask.sectors:
        # Met before but in none of the trip's sectors, and nothing open: not for this trip.
        stmt = stmt.where(or_(counts["sector"] > 0, counts["open_lead"] > 0, counts["overdue_followup"] > 0))
    rows = session.execute(stmt.order_by(tier_col, score_col.desc(), Organization.name, Organization.id)
                           .limit(limit)).all()
    return (rows[0].total if rows else 0), list(rows)


def last_meetings(session: Session, org_ids: list[int]) -> dict[int, dt.date | None]:
    """The date of the last meeting with each of these organizations."""
    if not org_ids:
        return {}
    rows = session.execute(select(engagement_counterparts.c.organization_id, func.max(Engagement.date))
                           .join(Engagement, Engagement.id == engagement_counterparts.c.engagement_id)
                           .where(engagement_counterparts.c.organization_id.in_(org_ids))
                           .group_by(engagement_counterparts.c.organization_id))
    return dict(rows.all())


def signals_of(row: Any, w: dict[str, float], sectors: list[str], last: dt.date | None) -> list[Signal]:
    """The signals of one ranked row, each with its count, weight and points."""
    details = {"sector": ", ".join(sectors), "meeting": f"last on {last}" if last else "",
               "recent_meeting": f"on {last}", "interest": "leads at stage interested",
               "foreign": f"based in {row.country}", "city": row.city or ""}
    out = []
    for name in ("sector", "foreign", "city", "meeting", "recent_meeting", "open_lead", "interest", "mou",
                 "document", "overdue_followup"):
        count = getattr(row, f"n_{name}") or 0
        if count:
            detail = details.get(name, "")
            if name in MAX_COUNTED and count >= MAX_COUNTED[name]:
                detail = f"{detail}; at most {MAX_COUNTED[name]} counted" if detail else \
                    f"at most {MAX_COUNTED[name]} counted"
            out.append(Signal(name=name, label=SIGNAL_LABELS[name], count=count, weight=w[name],
                              points=round(count * w[name], 4), detail=detail))
    return out
