"""The facts behind the signals, counted per organization in a few grouped queries (no query per row).

Each function takes a selection of organization ids (a subquery) and returns ``{organization_id: value}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from investdesk.models import Engagement, Evidence, FollowUp, Mou, Opportunity, Organization, Person
from investdesk.models.engagement import engagement_counterparts, engagement_participants
from investdesk.models.enums import OpportunityStage
from investdesk.models.mou import mou_parties
from investdesk.models.organization import organization_sectors
from investdesk.mous import service as mous
from investdesk.permissions import Actor

OPEN_STAGES = (OpportunityStage.identified, OpportunityStage.engaged, OpportunityStage.interested)


def sectors_in_common(session: Session, ids: Select[Any], sectors: list[str]) -> dict[int, list[str]]:
    rows = session.execute(select(organization_sectors.c.organization_id, organization_sectors.c.sector_id)
                           .where(organization_sectors.c.sector_id.in_(sectors),
                                  organization_sectors.c.organization_id.in_(ids)))
    out: dict[int, list[str]] = {}
    for org_id, sector in rows:
        out.setdefault(org_id, []).append(sector)
    return out


def meetings(session: Session, ids: Select[Any]) -> dict[int, tuple[int, dt.date | None]]:
    """Meetings held with each organization and the date of the last one."""
    rows = session.execute(
        select(engagement_counterparts.c.organization_id, func.count(), func.max(Engagement.date))
        .join(Engagement, Engagement.id == engagement_counterparts.c.engagement_id)
        .where(engagement_counterparts.c.organization_id.in_(ids))
        .group_by(engagement_counterparts.c.organization_id))
    return {org: (n, last) for org, n, last in rows}


def leads(session: Session, ids: Select[Any]) -> dict[int, tuple[int, int]]:
    """Open leads of each organization, and how many of them are at stage interested."""
    interested = func.sum(case((Opportunity.stage == OpportunityStage.interested, 1), else_=0))
    rows = session.execute(select(Opportunity.counterpart_id, func.count(), interested)
                           .where(Opportunity.counterpart_id.in_(ids), Opportunity.stage.in_(OPEN_STAGES))
                           .group_by(Opportunity.counterpart_id))
    return {org: (n, int(i or 0)) for org, n, i in rows}


def mou_counts(session: Session, ids: Select[Any], actor: Actor) -> dict[int, int]:
    """MoUs each organization is a party to, counted within the reader's scope."""
    stmt = (select(mou_parties.c.organization_id, func.count()).join(Mou, Mou.id == mou_parties.c.mou_id)
            .where(mou_parties.c.organization_id.in_(ids)).group_by(mou_parties.c.organization_id))
    return dict(session.execute(mous.scoped(stmt, actor)).all())


def documents(session: Session, ids: Select[Any]) -> dict[int, int]:
    rows = session.execute(select(Evidence.entity_id, func.count(func.distinct(Evidence.document_id)))
                           .where(Evidence.entity_type == "organization", Evidence.entity_id.in_(ids))
                           .group_by(Evidence.entity_id))
    return dict(rows.all())


def overdue_followups(session: Session, ids: Select[Any], today: dt.date) -> dict[int, int]:
    """Follow-ups past due and not done, on the organization itself or on one of its leads."""
    due = and_(FollowUp.done_at.is_(None), FollowUp.due_date < today)
    on_org = select(FollowUp.entity_id.label("org"), FollowUp.id).where(
        due, FollowUp.entity_type == "organization", FollowUp.entity_id.in_(ids))
    on_lead = select(Opportunity.counterpart_id.label("org"), FollowUp.id).join(
        Opportunity, and_(FollowUp.entity_type == "opportunity", FollowUp.entity_id == Opportunity.id)).where(
        due, Opportunity.counterpart_id.in_(ids))
    both = on_org.union_all(on_lead).subquery()
    return dict(session.execute(select(both.c.org, func.count()).group_by(both.c.org)).all())


def contacts(session: Session, org_ids: list[int]) -> dict[int | None, str]:
    """The person we know at each organization: the one met most recently, else any recorded there."""
    if not org_ids:
        return {}
    met = session.execute(
        select(Person.organization_id, Person.name, func.max(Engagement.date).label("last"))
        .join(engagement_participants, engagement_participants.c.person_id == Person.id)
        .join(Engagement, Engagement.id == engagement_participants.c.engagement_id)
        .where(Person.organization_id.in_(org_ids)).group_by(Person.organization_id, Person.id, Person.name)
        .order_by(func.max(Engagement.date)))
    out = {org: name for org, name, _ in met}
    rest = [o for o in org_ids if o not in out]
    if rest:
        for org, name in session.execute(select(Person.organization_id, Person.name)
                                         .where(Person.organization_id.in_(rest)).order_by(Person.id.desc())):
            out[org] = name
    return out


def organizations(session: Session, ids: Select[Any]) -> dict[int, tuple[str, str | None, str | None]]:
    rows = session.execute(select(Organization.id, Organization.name, Organization.country, Organization.city)
                           .where(Organization.id.in_(ids)))
    return {i: (n, c, city) for i, n, c, city in rows}


def active(stmt: Select[Any]) -> Select[Any]:
    """Organizations not merged into another."""
    return stmt.where(Organization.merged_into_id.is_(None))


def related_ids() -> Any:
    """Organizations with any relationship: a meeting, a lead or an MoU."""
    return select(engagement_counterparts.c.organization_id).union(
        select(Opportunity.counterpart_id).where(Opportunity.counterpart_id.is_not(None)),
        select(mou_parties.c.organization_id))

