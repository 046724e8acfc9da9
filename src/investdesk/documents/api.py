"""REST API of documents: upload, list, read, and review each extracted item."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, UploadFile
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from investdesk.documents import review, storage
from investdesk.documents import service as documents
from investdesk.documents.schemas import DocumentDetail, DocumentRead, ItemEdit, ItemRead, ReviewResult, UploadResult
from investdesk.documents.service import TooLarge
from investdesk.i18n import _
from investdesk.models.enums import ReviewState
from investdesk.paging import Page
from investdesk.permissions import Actor, Perm, require
from investdesk.web.deps import ActorDep, PageDep, SessionDep

router = APIRouter(prefix="/documents", tags=["documents"])
CHUNK = 1 << 20


def read_upload(request: Request, file: UploadFile) -> bytes:
    """The upload's bytes, refused as soon as they pass the limit (never all read into memory first), or at once
    when the request says it is larger."""
    settings = request.app.state.settings
    limit = settings.max_upload_mb * 2**20
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 65536:
        raise TooLarge(_('the upload is larger than the %(max_upload_mb)s MB limit (INVESTDESK_MAX_UPLOAD_MB)',
                         max_upload_mb=settings.max_upload_mb),
                       field="file")
    parts, size = [], 0
    while chunk := file.file.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge(_('%(upload)s: larger than the %(limit)s MB upload limit (INVESTDESK_MAX_UPLOAD_MB)',
                             upload=file.filename or 'upload', limit=limit // 2**20), field="file")
        parts.append(chunk)
    return b"".join(parts)


def upload(request: Request, session: Session, actor: Actor, file: UploadFile,
           auto_accept: bool = False) -> documents.Stored:
    """One uploaded file read, deduplicated, extracted and stored (the REST route and the upload page). A user
    who may not upload is refused before the bytes are read."""
    require(actor, Perm.write_records)
    settings = request.app.state.settings
    name = file.filename or "upload"
    return documents.upload(session, actor=actor, documents_dir=settings.documents_dir,
                            data=read_upload(request, file), filename=name, source=f"upload:{name}",
                            max_bytes=settings.max_upload_mb * 2**20, auto_accept=auto_accept)


def _result(session: Any, actor: Actor, document_id: int, counts: dict[str, int]) -> ReviewResult:
    doc = documents.get(session, actor=actor, document_id=document_id)
    return ReviewResult(document=documents.to_read(doc), **counts)


@router.post("", response_model=UploadResult, status_code=201)
def upload_document(request: Request, response: Response, session: SessionDep, actor: ActorDep,
                          file: UploadFile, auto_accept: bool = False) -> UploadResult:
    """Upload a document (text, HTML, PDF, Word or a scanned image, told apart by content); its items await review.

    A plain function, not a coroutine: extraction is CPU work and runs in the server's thread pool."""
    stored = upload(request, session, actor, file, auto_accept)
    if not stored.created:
        response.status_code = 200
    return UploadResult(created=stored.created, message=stored.message,
                        document=documents.to_read(stored.document, stored.counts))


@router.get("", response_model=Page[DocumentRead])
def list_documents(session: SessionDep, actor: ActorDep, page: PageDep,
                   state: ReviewState | None = None) -> Page[DocumentRead]:
    rows, total = documents.list_documents(session, actor=actor, state=state, page=page)
    counts = documents.item_counts(session, [d.id for d in rows])
    return Page(items=[documents.to_read(d, counts.get(d.id, (0, 0))) for d in rows], total=total, page=page.page,
                per_page=page.per_page)


@router.get("/{document_id}", response_model=DocumentDetail)
def get_document(session: SessionDep, actor: ActorDep, document_id: int) -> DocumentDetail:
    return documents.to_detail(documents.get(session, actor=actor, document_id=document_id))


@router.get("/{document_id}/original", response_class=FileResponse)
def get_original(request: Request, session: SessionDep, actor: ActorDep, document_id: int) -> FileResponse:
    """The document's original bytes as uploaded or ingested."""
    doc = documents.get(session, actor=actor, document_id=document_id, with_items=False)
    path = storage.open_path(request.app.state.settings.documents_dir, doc.stored_path or "")
    return FileResponse(path, media_type=doc.media_type, filename=doc.filename)


@router.post("/{document_id}/accept", response_model=ReviewResult)
def accept_document(session: SessionDep, actor: ActorDep, document_id: int) -> ReviewResult:
    """Accept every pending item of the document."""
    counts = review.accept_all(session, actor=actor, document_id=document_id)
    return _result(session, actor, document_id, counts)


@router.post("/{document_id}/reject", response_model=ReviewResult)
def reject_document(session: SessionDep, actor: ActorDep, document_id: int) -> ReviewResult:
    """Reject every pending item of the document."""
    counts = review.reject_all(session, actor=actor, document_id=document_id)
    return _result(session, actor, document_id, counts)


@router.post("/{document_id}/items/{item_id}/accept", response_model=ItemRead)
def accept_item(session: SessionDep, actor: ActorDep, document_id: int, item_id: int,
                edit: ItemEdit | None = None) -> ItemRead:
    """Accept one item, with the reviewer's corrections when a payload is sent."""
    item = review.accept_item(session, actor=actor, document_id=document_id, item_id=item_id,
                              edits=(edit.payload or None) if edit else None,
                              merge_into=edit.merge_into if edit else None)
    return documents.item_read(item)


@router.post("/{document_id}/items/{item_id}/reject", response_model=ItemRead)
def reject_item(session: SessionDep, actor: ActorDep, document_id: int, item_id: int) -> ItemRead:
    return documents.item_read(review.reject_item(session, actor=actor, document_id=document_id, item_id=item_id))
