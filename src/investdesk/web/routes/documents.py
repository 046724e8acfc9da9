"""Documents: list, upload (several at once, with progress), and the review screen with highlighted evidence."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from investdesk.db import transaction
from investdesk.documents import review
from investdesk.documents import service as documents
from investdesk.documents.api import upload as upload_file
from investdesk.documents.items import ACCEPT_ORDER
from investdesk.documents.items import label as item_label
from investdesk.errors import InvestDeskError
from investdesk.formatting import RECORD_PATHS, record_url
from investdesk.models import Document, ExtractedItem
from investdesk.models.enums import ItemState, ReviewState
from investdesk.permissions import Actor, Perm, require
from investdesk.web.deps import ActorDep, FormDep, SessionDep
from investdesk.web.routes import choices
from investdesk.web.routes.common import (
    PAGE,
    Sort,
    csv_response,
    form_errors,
    htmx_target,
    is_htmx,
    listing,
    page_params,
    query_choice,
    query_text,
    redirect,
    render,
    reraise_unless_form_error,
)

router = APIRouter(prefix="/documents", include_in_schema=False, dependencies=PAGE)

SORTS = {"ingested": Document.ingested_at, "title": Document.title, "filename": Document.filename,
         "state": Document.review_state, "size": Document.size}


@router.get("")
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    state = query_choice(request, "state", [s.value for s in ReviewState])
    q = query_text(request, "q")
    stmt = documents.filtered(state=state, q=q)
    sort = Sort.parse(request.query_params.get("sort"), SORTS, "-ingested")
    if request.query_params.get("format") == "csv":
        return csv_response(request.app.state.engine, sort.apply(stmt, Document.id),
                            ["id", "title", "filename", "media_type", "size", "review_state", "ingested_at",
                             "sha256", "source"],
                            lambda d: [d.id, d.title, d.filename, d.media_type, d.size, d.review_state,
                                       d.ingested_at, d.sha256, d.source], "documents.csv")
    rows, pager = listing(session, stmt, sort, Document.id, page_params(request))
    ctx = {"rows": rows, "pager": pager, "sort": sort, "q": q, "state": state, "section": "documents",
           "states": choices.enum_options(ReviewState),
           "counts": documents.item_counts(session, [d.id for d in rows])}
    template = "documents/_results.html" if htmx_target(request) == "results" else "documents/list.html"
    return render(request, template, ctx)


@router.get("/upload")
def upload_form(request: Request, actor: ActorDep) -> Response:
    require(actor, Perm.write_records)
    return render(request, "documents/upload.html", {"section": "documents", "results": None,
                                                     "max_mb": request.app.state.settings.max_upload_mb})


@router.post("/upload")
def upload(request: Request, actor: ActorDep,
           files: list[UploadFile] = File(default=[])) -> Response:
    """Store and read each file, each in a transaction of its own: one file failing (wrong type, too large, stored
    meanwhile by someone else) neither stops nor undoes the others.

    A plain function, not a coroutine: reading and extraction are CPU work for the thread pool."""
    require(actor, Perm.write_records)
    results: list[dict[str, Any]] = []
    for file in files:
        name = file.filename or "upload"
        try:
            with transaction(request.app.state.engine) as unit:
                stored = upload_file(request, unit, actor, file)
        except InvestDeskError as exc:
            if exc.status_code in (401, 403):
                raise
            results.append({"filename": name, "error": exc.message})
            continue
        doc = stored.document
        results.append({"filename": name, "id": doc.id, "url": f"/documents/{doc.id}", "duplicate": not stored.created,
                        "item_count": stored.items_total, "message": stored.message})
    if not files:
        results.append({"filename": "", "error": "choose at least one file"})
    wants_json = "application/json" in request.headers.get("accept", "")
    failed = all("error" in r for r in results)
    if wants_json:
        return JSONResponse({"results": results}, status_code=422 if failed else 200)
    return render(request, "documents/upload.html", {"section": "documents", "results": results,
                                                     "max_mb": request.app.state.settings.max_upload_mb},
                  status_code=422 if failed else 200)


def highlighted(text: str, items: list[ExtractedItem]) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """The text cut into plain and evidence segments (one mark per distinct span), and each item's span number."""
    spans = sorted({(i.evidence_start, i.evidence_end) for i in items
                    if i.evidence_start is not None and i.evidence_end is not None
                    and 0 <= i.evidence_start < i.evidence_end <= len(text)})
    segments: list[dict[str, Any]] = []
    span_of: dict[tuple[int, int], int] = {}
    pos = 0
    for n, (start, end) in enumerate(spans):
        if end <= pos:  # inside the previous mark: the item points at that one
            span_of[(start, end)] = n - 1 if n else 0
            continue
        start = max(start, pos)
        if start > pos:
            segments.append({"text": text[pos:start]})
        segments.append({"text": text[start:end], "span": n})
        span_of[(start, end)] = n
        pos = end
    if pos < len(text):
        segments.append({"text": text[pos:]})
    item_span: dict[int, int] = {}
    for i in items:
        if i.evidence_start is not None and i.evidence_end is not None and \
                (i.evidence_start, i.evidence_end) in span_of:
            item_span[i.id] = span_of[(i.evidence_start, i.evidence_end)]
    return segments, item_span


def _editable(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Fields of an item a reviewer may correct: text, numbers and lists of text (nested amounts stay as read)."""
    out = []
    for key, value in payload.items():
        if key == "evidence" or isinstance(value, dict):
            continue
        if isinstance(value, list):
            if all(isinstance(v, str) for v in value):
                out.append({"name": key, "value": ", ".join(value), "list": True})
        else:
            out.append({"name": key, "value": "" if value is None else value, "list": False})
    return out


def _review_ctx(session: Session, document: Document, errors: dict[int, dict[str, str]] | None = None
                ) -> dict[str, Any]:
    items = sorted(document.items, key=lambda i: (ACCEPT_ORDER.get(i.field, 99), i.position))
    segments, item_span = highlighted(document.text, items)
    groups: dict[str, list[dict[str, Any]]] = {}
    for i in items:
        groups.setdefault(i.field, []).append({
            "item": i, "label": item_label(i.field, i.payload), "span": item_span.get(i.id),
            "evidence": i.payload.get("evidence"), "fields": _editable(i.payload),
            "record_url": record_url(i.record_type, i.record_id)
            if i.record_type in RECORD_PATHS and i.record_id else None})
    pending = sum(1 for i in items if i.state is ItemState.pending)
    return {"doc": document, "segments": segments, "groups": groups, "pending": pending, "total": len(items),
            "item_errors": errors or {}, "section": "documents"}


@router.get("/{document_id}")
def review_page(request: Request, session: SessionDep, actor: ActorDep, document_id: int) -> Response:
    document = documents.get(session, actor=actor, document_id=document_id)
    return render(request, "documents/review.html", _review_ctx(session, document))


def _after_review(request: Request, session: Session, actor: Actor, document_id: int, message: str,
                  errors: dict[int, dict[str, str]] | None = None, status_code: int = 200) -> Response:
    if is_htmx(request):
        document = documents.get(session, actor=actor, document_id=document_id)
        ctx = _review_ctx(session, document, errors)
        ctx["message"] = message
        return render(request, "documents/_items.html", ctx, status_code=status_code)
    if errors:
        document = documents.get(session, actor=actor, document_id=document_id)
        return render(request, "documents/review.html", _review_ctx(session, document, errors),
                      status_code=status_code)
    return redirect(f"/documents/{document_id}", message)


@router.post("/{document_id}/accept")
def accept_all(request: Request, session: SessionDep, actor: ActorDep, document_id: int) -> Response:
    counts = review.accept_all(session, actor=actor, document_id=document_id)
    left = f"; {counts['left_pending']} left pending" if counts.get("left_pending") else ""
    return _after_review(request, session, actor, document_id, f"{counts['accepted']} items accepted{left}.")


@router.post("/{document_id}/reject")
def reject_all(request: Request, session: SessionDep, actor: ActorDep, document_id: int) -> Response:
    counts = review.reject_all(session, actor=actor, document_id=document_id)
    return _after_review(request, session, actor, document_id, f"{counts['rejected']} items rejected.")


@router.post("/{document_id}/items/{item_id}/accept")
def accept_item(request: Request, session: SessionDep, actor: ActorDep, form: FormDep, document_id: int,
                      item_id: int) -> Response:
    edits: dict[str, Any] = {}
    if form.get("edit") == "1":
        document = documents.get(session, actor=actor, document_id=document_id)
        item = next((i for i in document.items if i.id == item_id), None)
        for f in _editable(item.payload if item else {}):
            raw = form.get(f"f_{f['name']}")
            if not isinstance(raw, str):
                continue
            value: Any = [v.strip() for v in raw.split(",") if v.strip()] if f["list"] else (raw.strip() or None)
            if item is not None and value != item.payload.get(f["name"]):
                edits[f["name"]] = value
    try:
        accepted = review.accept_item(session, actor=actor, document_id=document_id, item_id=item_id,
                                      edits=edits or None)
    except InvestDeskError as exc:
        reraise_unless_form_error(session, exc)
        return _after_review(request, session, actor, document_id, exc.message,
                             errors={item_id: form_errors(exc)}, status_code=422)
    what = "edited and accepted" if edits else "accepted"
    message = f"{item_label(accepted.field, accepted.payload)} {what}."
    return _after_review(request, session, actor, document_id, message)


@router.post("/{document_id}/items/{item_id}/reject")
def reject_item(request: Request, session: SessionDep, actor: ActorDep, document_id: int, item_id: int) -> Response:
    try:
        rejected = review.reject_item(session, actor=actor, document_id=document_id, item_id=item_id)
    except InvestDeskError as exc:
        reraise_unless_form_error(session, exc)
        return _after_review(request, session, actor, document_id, exc.message,
                             errors={item_id: form_errors(exc)}, status_code=422)
    message = f"{item_label(rejected.field, rejected.payload)} rejected."
    return _after_review(request, session, actor, document_id, message)
