from __future__ import annotations

from fastapi import APIRouter, Query

from investdesk.errors import NotAuthenticated
from investdesk.followups import service
from investdesk.followups.schemas import FollowUpCreate, FollowUpDone, FollowUpFilter, FollowUpRead
from investdesk.i18n import _
from investdesk.models.enums import RecordKind
from investdesk.paging import Page
from investdesk.web.deps import ActorDep, PageDep, SessionDep

router = APIRouter(prefix="/followups", tags=["follow-ups"])


@router.get("", response_model=Page[FollowUpRead])
def list_followups(session: SessionDep, actor: ActorDep, page: PageDep,
                   mine: bool = Query(False, description="Only those the caller owns."),
                   owner_id: int | None = None, overdue: bool = False,
                   open: bool | None = Query(True, description="true: open; false: done; omit the value: all."),
                   entity_type: RecordKind | None = None, entity_id: int | None = None) -> Page[FollowUpRead]:
    if mine:
        if actor.id is None:
            raise NotAuthenticated(_("mine: sign in as a user to list your own follow-ups"), field="mine")
        owner_id = actor.id
    flt = FollowUpFilter(owner_id=owner_id, overdue=overdue, open=open, entity_type=entity_type,
                         entity_id=entity_id)
    rows, total = service.list_followups(session, actor=actor, flt=flt, page=page)
    return Page(items=service.to_reads(session, rows), total=total, page=page.page, per_page=page.per_page)


@router.post("", response_model=FollowUpRead, status_code=201)
def create_followup(session: SessionDep, actor: ActorDep, data: FollowUpCreate) -> FollowUpRead:
    return service.to_reads(session, [service.create(session, actor=actor, data=data)])[0]


@router.post("/{followup_id}/done", response_model=FollowUpRead)
def complete_followup(session: SessionDep, actor: ActorDep, followup_id: int, data: FollowUpDone) -> FollowUpRead:
    return service.to_reads(session, [service.complete(session, actor=actor, followup_id=followup_id, data=data)])[0]
