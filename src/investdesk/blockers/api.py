from __future__ import annotations

from fastapi import APIRouter, Query

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerFilter, BlockerRead, BlockerResolve
from investdesk.models.enums import BlockerCategory, EscalationLevel
from investdesk.paging import Page
from investdesk.web.deps import ActorDep, PageDep, SessionDep

router = APIRouter(prefix="/blockers", tags=["blockers"])


@router.get("", response_model=Page[BlockerRead])
def list_blockers(session: SessionDep, actor: ActorDep, page: PageDep,
                  open: bool | None = Query(True, description="true: open; false: resolved; omit the value: all."),
                  category: BlockerCategory | None = None, department: str | None = None,
                  level: EscalationLevel | None = None, district: str | None = None,
                  mou_id: int | None = None) -> Page[BlockerRead]:
    flt = BlockerFilter(open=open, category=category, department=department, level=level, district=district,
                        mou_id=mou_id)
    rows, total = blockers.list_blockers(session, actor=actor, flt=flt, page=page)
    return Page(items=[blockers.to_read(b) for b in rows], total=total, page=page.page, per_page=page.per_page)


@router.get("/{blocker_id}", response_model=BlockerRead)
def get_blocker(session: SessionDep, actor: ActorDep, blocker_id: int) -> BlockerRead:
    return blockers.to_read(blockers.get(session, actor=actor, blocker_id=blocker_id))


@router.post("/{blocker_id}/resolve", response_model=BlockerRead)
def resolve_blocker(session: SessionDep, actor: ActorDep, blocker_id: int, data: BlockerResolve) -> BlockerRead:
    return blockers.to_read(blockers.resolve(session, actor=actor, blocker_id=blocker_id, data=data))


@router.post("/escalate", response_model=list[BlockerRead])
def escalate_blockers(session: SessionDep, actor: ActorDep) -> list[BlockerRead]:
    """Raise every open blocker to the level its age has reached; returns those that moved."""
    return [blockers.to_read(b) for b in blockers.escalate(session, actor=actor)]
