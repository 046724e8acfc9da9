from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from investdesk.audit import service
from investdesk.paging import Page
from investdesk.web.deps import ActorDep, PageDep, SessionDep

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditRead(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    entity_type: str
    entity_id: int | None
    before: dict[str, object] | None
    after: dict[str, object] | None
    summary: str


@router.get("", response_model=Page[AuditRead])
def audit_trail(session: SessionDep, actor: ActorDep, page: PageDep,
                entity_type: str | None = None, entity_id: int | None = None) -> Page[AuditRead]:
    """The append-only trail, newest first, optionally for one record; only the events of records the caller
    may read (users and tokens: administrators). There is no route to change it."""
    rows, total = service.history(session, actor=actor, entity_type=entity_type, entity_id=entity_id,
                                  limit=page.per_page, offset=(page.page - 1) * page.per_page)
    items = [AuditRead(id=r.id, at=r.at.isoformat(), actor=r.actor, action=r.action, entity_type=r.entity_type,
                       entity_id=r.entity_id, before=r.before, after=r.after, summary=r.summary) for r in rows]
    return Page(items=items, total=total, page=page.page, per_page=page.per_page)
