"""Documents: list, upload (several at once, with progress), and the review screen with highlighted evidence."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from investdesk.db import transaction
from investdesk.documents import edits, preview, review
from investdesk.documents import service as documents
from investdesk.documents.api import upload as upload_file
from investdesk.documents.items import ACCEPT_ORDER, delegate_twins
from investdesk.documents.items import label as item_label
from investdesk.errors import InvestDeskError, ValidationFailed
from investdesk.formatting import RECORD_PATHS, country_choices, label, record_url
from investdesk.i18n import _
from investdesk.models import Document, ExtractedItem
from investdesk.models.enums import ItemState, ReviewState
from investdesk.permissions import Actor, Perm, require
from investdesk.web.deps import MAX_ID, ActorDep, FormDep, SessionDep
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


def _options(session: Session) -> dict[str, list[tuple[str, str]]]:
    """The choices of the review's edit forms, with their labels (the records' own forms use the same)."""
    out = {key: [(v, label(v)) for v in values] for key, values in edits.CHOICES.items()}
    out["sectors"] = choices.sector_options(session)
    out["district"] = choices.district_options()
    out["country"] = country_choices()
    return out


def _review_ctx(session: Session, document: Document, errors: dict[int, dict[str, str]] | None = None,
                typed: dict[int, dict[str, Any]] | None = None, *, reviewer: bool = True) -> dict[str, Any]:
    items = sorted(document.items, key=lambda i: (ACCEPT_ORDER.get(i.field, 99), i.position))
    segments, item_span = highlighted(document.text, items)
    twins = delegate_twins(items)
    hidden = {d.id for d in twins.values()}
    plans = preview.plans(session, items) if reviewer else {}  # only a reviewer is told what accepting does
    typed = typed or {}
    groups: dict[str, list[dict[str, Any]]] = {}
    for i in items:
        if i.id in hidden:
            continue  # shown with the person it names
        plan = plans.get(i.id)
        groups.setdefault(i.field, []).append({
            "item": i, "label": item_label(i.field, i.payload), "span": item_span.get(i.id),
            "evidence": i.payload.get("evidence"), "fields": edits.shown(i.field, i.payload, typed.get(i.id)),
            "delegate": i.id in twins, "plan": plan, "choosable": i.field in preview.CHOOSABLE,
            "plan_url": record_url(plan.record_type, plan.target) if plan and plan.target else None,
            "record_url": record_url(i.record_type, i.record_id)
            if i.record_type in RECORD_PATHS and i.record_id else None})
    pending = sum(1 for i in items if i.state is ItemState.pending and i.id not in hidden)
    return {"doc": document, "segments": segments, "groups": groups, "pending": pending,
            "total": len(items) - len(hidden), "item_errors": errors or {}, "section": "documents",
            "options": _options(session), "stage_names": dict(edits.STAGES)}


@router.get("/{document_id}")
def review_page(request: Request, session: SessionDep, actor: ActorDep, document_id: int) -> Response:
    document = documents.get(session, actor=actor, document_id=document_id)
    return render(request, "documents/review.html",
                  _review_ctx(session, document, reviewer=actor.has(Perm.review_documents)))


def _after_review(request: Request, session: Session, actor: Actor, document_id: int, message: str,
                  errors: dict[int, dict[str, str]] | None = None, status_code: int = 200,
                  typed: dict[int, dict[str, Any]] | None = None) -> Response:
    if is_htmx(request):
        document = documents.get(session, actor=actor, document_id=document_id)
        ctx = _review_ctx(session, document, errors, typed)
        ctx["message"] = message
        return render(request, "documents/_items.html", ctx, status_code=status_code)
    if errors:
        document = documents.get(session, actor=actor, document_id=document_id)
        ctx = _review_ctx(session, document, errors, typed)
        ctx["message"] = message
        return render(request, "documents/review.html", ctx, status_code=status_code)
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


def _merge_into(raw: Any) -> int | None:
    """The record chosen in the "Accepting will" list: "" as proposed, "new" for a new record, else an id."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    if raw == "new":
        return preview.NEW
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise ValidationFailed(_("merge_into: choose a record from the list"), field="merge_into")
    return int(raw)


@router.post("/{document_id}/items/{item_id}/accept")
def accept_item(request: Request, session: SessionDep, actor: ActorDep, form: FormDep, document_id: int,
                item_id: int) -> Response:
    changes: dict[str, Any] = {}
    typed: dict[str, Any] | None = None
    try:
        merge_into = _merge_into(form.get("merge_into"))
        if form.get("edit") == "1":
            document = documents.get(session, actor=actor, document_id=document_id)
            item = next((i for i in document.items if i.id == item_id), None)
            if item is not None:
                typed = edits.typed_values(item.field, form, form.getlist)
                sectors = {sid for sid, _name in choices.sector_options(session)}
                changes, wrong = edits.parse(item.field, item.payload, typed, sectors)
                if wrong:
                    return _after_review(request, session, actor, document_id,
                                         _("%(item)s: correct the marked fields.",
                                           item=item_label(item.field, item.payload)),
                                         errors={item_id: wrong}, typed={item_id: typed}, status_code=422)
        accepted = review.accept_item(session, actor=actor, document_id=document_id, item_id=item_id,
                                      edits=changes or None, merge_into=merge_into)
    except InvestDeskError as exc:
        reraise_unless_form_error(session, exc)
        return _after_review(request, session, actor, document_id, exc.message,
                             errors={item_id: form_errors(exc)}, status_code=422,
                             typed={item_id: typed} if typed is not None else None)
    what = item_label(accepted.field, accepted.payload)
    message = _("%(item)s edited and accepted.", item=what) if changes else _("%(item)s accepted.", item=what)
    return _after_review(request, session, actor, document_id, message)


@router.get("/{document_id}/items/{item_id}/targets")
def merge_targets(request: Request, session: SessionDep, actor: ActorDep, document_id: int, item_id: int) -> Response:
    """The "Accept as" list of a pending item with the records of its kind found for ``q`` (htmx swaps it in)."""
    document = documents.get(session, actor=actor, document_id=document_id)
    item = next((i for i in document.items if i.id == item_id and i.state is ItemState.pending), None)
    plan = preview.plans(session, [item]).get(item_id) if item is not None else None
    if item is None or plan is None:
        return Response(status_code=404)
    q = query_text(request, "q", max_len=100) or ""
    found = preview.find_targets(session, actor=actor, item=item, q=q)
    return render(request, "documents/_merge_targets.html",
                  {"item": item, "plan": plan, "found": found, "found_q": q if len(q) >= 2 else "",
                   "delegate": item_id in delegate_twins(document.items)})


@router.post("/{document_id}/items/{item_id}/reject")
def reject_item(request: Request, session: SessionDep, actor: ActorDep, document_id: int, item_id: int) -> Response:
    try:
        rejected = review.reject_item(session, actor=actor, document_id=document_id, item_id=item_id)
    except InvestDeskError as exc:
        reraise_unless_form_error(session, exc)
        return _after_review(request, session, actor, document_id, exc.message,
                             errors={item_id: form_errors(exc)}, status_code=422)
    message = _("%(item)s rejected.", item=item_label(rejected.field, rejected.payload))
    return _after_review(request, session, actor, document_id, message)
