from __future__ import annotations

import datetime as dt

from fastapi import APIRouter

from investdesk.engagements import service
from investdesk.engagements.schemas import EngagementCreate, EngagementFilter, EngagementRead, EngagementUpdate
from investdesk.paging import Page
from investdesk.web.deps import ActorDep, PageDep, SessionDep

router = APIRouter(prefix="/engagements", tags=["engagements"])


@router.get("", response_model=Page[EngagementRead])
def list_engagements(session: SessionDep, actor: ActorDep, page: PageDep,
                     q: str | None = None, country: str | None = None, city: str | None = None,
                     sector: str | None = None, organization_id: int | None = None, person_id: int | None = None,
                     mission_id: int | None = None, date_from: dt.date | None = None,
                     date_to: dt.date | None = None) -> Page[EngagementRead]:
    flt = EngagementFilter(q=q, country=country, city=city, sector=sector, organization_id=organization_id,
                           person_id=person_id, mission_id=mission_id, date_from=date_from, date_to=date_to)
    rows, total = service.list_engagements(session, actor=actor, flt=flt, page=page)
    return Page(items=[service.to_read(e) for e in rows], total=total, page=page.page, per_page=page.per_page)


@router.post("", response_model=EngagementRead, status_code=201)
def create_engagement(session: SessionDep, actor: ActorDep, data: EngagementCreate) -> EngagementRead:
    return service.to_read(service.create(session, actor=actor, data=data))


@router.get("/{engagement_id}", response_model=EngagementRead)
def get_engagement(session: SessionDep, actor: ActorDep, engagement_id: int) -> EngagementRead:
    return service.to_read(service.get(session, actor=actor, engagement_id=engagement_id))


@router.patch("/{engagement_id}", response_model=EngagementRead)
def update_engagement(session: SessionDep, actor: ActorDep, engagement_id: int,
                      data: EngagementUpdate) -> EngagementRead:
    return service.to_read(service.update(session, actor=actor, engagement_id=engagement_id, data=data))
