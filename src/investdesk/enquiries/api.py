from __future__ import annotations

from fastapi import APIRouter

from investdesk.enquiries import service as enquiries
from investdesk.enquiries.schemas import EnquiryCreate, EnquiryRead, EnquiryResponse
from investdesk.paging import Page
from investdesk.web.deps import ActorDep, PageDep, SessionDep

router = APIRouter(prefix="/enquiries", tags=["enquiries"])


@router.get("", response_model=Page[EnquiryRead])
def list_enquiries(session: SessionDep, actor: ActorDep, page: PageDep,
                   overdue: bool = False, unanswered: bool = False,
                   owner_id: int | None = None) -> Page[EnquiryRead]:
    rows, total = enquiries.list_enquiries(session, actor=actor, overdue=overdue, unanswered=unanswered,
                                           owner_id=owner_id, page=page)
    return Page(items=[enquiries.to_read(o) for o in rows], total=total, page=page.page, per_page=page.per_page)


@router.post("", response_model=EnquiryRead, status_code=201)
def create_enquiry(session: SessionDep, actor: ActorDep, data: EnquiryCreate) -> EnquiryRead:
    return enquiries.to_read(enquiries.create(session, actor=actor, data=data))


@router.post("/{opportunity_id}/respond", response_model=EnquiryRead)
def respond_to_enquiry(session: SessionDep, actor: ActorDep, opportunity_id: int,
                       data: EnquiryResponse) -> EnquiryRead:
    return enquiries.to_read(enquiries.respond(session, actor=actor, opportunity_id=opportunity_id, data=data))
