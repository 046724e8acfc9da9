"""The ranking query: every signal counted per organization in grouped subqueries, the weighted sum ordered and
cut in SQL, so 20,000 candidates cost one statement and only the top rows become Python objects.

The signals shown with each match are rebuilt from the same counts and weights (``signals_of``), and the score
shown is their sum; the SQL expression only orders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

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


def rank(session: Session, actor: Actor, ids: Select[Any], ask: Ask, w: dict[str, float], today: dt.date,
         limit: int) -> tuple[int, list[Any]]:
    """(how many candidates score above zero, the top ``limit`` rows with every count)."""
    sec = (select(organization_sectors.c.organization_id.label("org"), func.count().label("n"))
           .where(organization_sectors.c.sector_id.in_(ask.sectors or [""]))
           .group_by(organization_sectors.c.organization_id).subquery())
    # Counted from the link table's index alone; the recent meetings through the index on the date, so the
    # 60,000 meetings' rows are not read to find each organization's last one (read for the top rows only).
    meet = (select(engagement_counterparts.c.organization_id.label("org"), func.count().label("n"))
            .group_by(engagement_counterparts.c.organization_id).subquery())
    cutoff = today - dt.timedelta(days=RECENT_DAYS)
    recent_q = (select(engagement_counterparts.c.organization_id.label("org"))
                .join(Engagement, Engagement.id == engagement_counterparts.c.engagement_id)
                .where(Engagement.date >= cutoff).group_by(engagement_counterparts.c.organization_id).subquery())
    lead = (select(Opportunity.counterpart_id.label("org"), func.count().label("n"),
                   func.sum(case((Opportunity.stage == OpportunityStage.interested, 1), else_=0)).label("interested"))
            .where(Opportunity.stage.in_(OPEN_STAGES))
            .group_by(Opportunity.counterpart_id).subquery())
    mou = mous.scoped(select(mou_parties.c.organization_id.label("org"), func.count().label("n"))
                      .join(Mou, Mou.id == mou_parties.c.mou_id)
                      .group_by(mou_parties.c.organization_id), actor).subquery()
    doc = (select(Evidence.entity_id.label("org"), func.count(func.distinct(Evidence.document_id)).label("n"))
           .where(Evidence.entity_type == "organization")
           .group_by(Evidence.entity_id).subquery())
    due = and_(FollowUp.done_at.is_(None), FollowUp.due_date < today, literal(ask.trip))
    on_org = select(FollowUp.entity_id.label("org")).where(due, FollowUp.entity_type == "organization",
                                                           FollowUp.entity_id.in_(ids))
    on_lead = select(Opportunity.counterpart_id.label("org")).select_from(FollowUp).join(
        Opportunity, and_(FollowUp.entity_type == "opportunity", FollowUp.entity_id == Opportunity.id)).where(
        due, Opportunity.counterpart_id.in_(ids))
    both = on_org.union_all(on_lead).subquery()
    over = select(both.c.org, func.count().label("n")).group_by(both.c.org).subquery()
    recent = case((recent_q.c.org.is_not(None), 1), else_=0)
    foreign = (case((and_(Organization.country.is_not(None), Organization.country != "IN"), 1), else_=0)
               if ask.foreign else literal(0))
    in_city = (case((func.lower(Organization.city).in_([c.lower() for c in ask.cities]), 1), else_=0)
               if ask.cities else literal(0))
    overdue = func.coalesce(over.c.n, 0) if ask.trip else literal(0)
    counts = {"sector": func.coalesce(sec.c.n, 0), "meeting": _capped(meet.c.n, "meeting"),
              "recent_meeting": recent, "open_lead": func.coalesce(lead.c.n, 0),
              "interest": func.coalesce(lead.c.interested, 0), "mou": func.coalesce(mou.c.n, 0),
              "document": _capped(doc.c.n, "document"), "foreign": foreign, "city": in_city,
              "overdue_followup": overdue}
    score = sum((expr * w[name] for name, expr in counts.items()), literal(0.0))
    tier = case((or_(func.coalesce(lead.c.n, 0) > 0, overdue > 0), 0), else_=1) if ask.trip else literal(0)
    score_col, tier_col = score.label("score"), tier.label("tier")
    stmt = (select(Organization.id, Organization.name, Organization.country, Organization.city,
                   score_col, tier_col,
                   func.count().over().label("total"), *[expr.label(f"n_{name}") for name, expr in counts.items()])
            .select_from(Organization)
            .outerjoin(sec, sec.c.org == Organization.id).outerjoin(meet, meet.c.org == Organization.id)
            .outerjoin(recent_q, recent_q.c.org == Organization.id)
            .outerjoin(lead, lead.c.org == Organization.id).outerjoin(mou, mou.c.org == Organization.id)
            .outerjoin(doc, doc.c.org == Organization.id).outerjoin(over, over.c.org == Organization.id)
            .where(Organization.id.in_(ids), score > 0))
    if ask.trip and ask.sectors:
        # Met before but in none of the trip's sectors, and nothing open: not for this trip.
        stmt = stmt.where(or_(sec.c.n > 0, lead.c.n > 0, overdue > 0))
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
