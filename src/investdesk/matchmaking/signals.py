"""The facts behind the signals, counted per organization in a few grouped queries (no query per row).

Each function takes a selection of organization ids (a subquery) and returns ``{organization_id: value}``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from investdesk.models import Engagement, Opportunity, Organization, Person
from investdesk.models.engagement import engagement_counterparts, engagement_participants
from investdesk.models.enums import OpportunityStage
from investdesk.models.mou import mou_parties
from investdesk.models.organization import organization_sectors

OPEN_STAGES = (OpportunityStage.identified, OpportunityStage.engaged, OpportunityStage.interested)


def sectors_in_common(session: Session, ids: Select[Any], sectors: list[str]) -> dict[int, list[str]]:
    rows = session.execute(select(organization_sectors.c.organization_id, organization_sectors.c.sector_id)
                           .where(organization_sectors.c.sector_id.in_(sectors),
                                  organization_sectors.c.organization_id.in_(ids)))
    out: dict[int, list[str]] = {}
    for org_id, sector in rows:
        out.setdefault(org_id, []).append(sector)
    return out


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


def active(candidates: ColumnElement[bool]) -> ColumnElement[bool]:
    """The candidates not merged into another organization."""
    return and_(candidates, Organization.merged_into_id.is_(None))


def related_ids() -> Any:
    """Organizations with any relationship: a meeting, a lead or an MoU."""
    return select(engagement_counterparts.c.organization_id).union(
        select(Opportunity.counterpart_id).where(Opportunity.counterpart_id.is_not(None)),
        select(mou_parties.c.organization_id))

