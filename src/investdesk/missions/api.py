from __future__ import annotations

from fastapi import APIRouter

from investdesk.missions import service
from investdesk.missions.schemas import MissionCreate, MissionFilter, MissionRead, MissionUpdate
from investdesk.paging import Page
from investdesk.web.deps import ActorDep, PageDep, SessionDep

router = APIRouter(prefix="/missions", tags=["missions"])


@router.get("", response_model=Page[MissionRead])
def list_missions(session: SessionDep, actor: ActorDep, page: PageDep,
                  q: str | None = None, country: str | None = None) -> Page[MissionRead]:
    rows, total = service.list_missions(session, actor=actor, flt=MissionFilter(q=q, country=country), page=page)
    return Page(items=[service.to_read(m) for m in rows], total=total, page=page.page, per_page=page.per_page)


@router.post("", response_model=MissionRead, status_code=201)
def create_mission(session: SessionDep, actor: ActorDep, data: MissionCreate) -> MissionRead:
    return service.to_read(service.create(session, actor=actor, data=data))


@router.get("/{mission_id}", response_model=MissionRead)
def get_mission(session: SessionDep, actor: ActorDep, mission_id: int) -> MissionRead:
    return service.to_read(service.get(session, actor=actor, mission_id=mission_id))


@router.patch("/{mission_id}", response_model=MissionRead)
def update_mission(session: SessionDep, actor: ActorDep, mission_id: int, data: MissionUpdate) -> MissionRead:
    return service.to_read(service.update(session, actor=actor, mission_id=mission_id, data=data))
