"""Documents: stored once by sha256 with their text, extraction and items; listed and read for review.

Nothing commits here. Storing the original bytes happens before the caller commits and is idempotent
(content-addressed), so a rolled-back or killed transaction leaves at most a file that the next run reuses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, load_only, selectinload

from investdesk.audit import service as audit
from investdesk.documents import storage
from investdesk.documents.accept import accept_items
from investdesk.documents.items import build_items, label
from investdesk.documents.schemas import DocumentDetail, DocumentRead, ItemRead
from investdesk.errors import Conflict, InvestDeskError, NotFound
from investdesk.extraction import DocumentError, DocumentText, Extraction, Source, read_document
from investdesk.extraction.readers import DEFAULT_MAX_BYTES, MAX_TEXT_CHARS
from investdesk.i18n import _
from investdesk.models import Document, Evidence, ExtractedItem
from investdesk.models.enums import ItemState, ReviewState
from investdesk.paging import PageParams, paginate
from investdesk.permissions import Actor, Perm, require
from investdesk.resolution.index import Resolver
from investdesk.resolution.service import known_names


class StoredMeanwhile(Conflict):
    """The same bytes were stored by a concurrent writer between the check and the insert."""


class TooLarge(InvestDeskError):
    status_code = 413
    code = "too_large"


class UnsupportedType(InvestDeskError):
    """Bytes that no reader turns into text (the message names the file)."""

    status_code = 415
    code = "unsupported_type"


@dataclass
class Stored:
    document: Document
    created: bool
    items_pending: int
    items_total: int

    @property
    def counts(self) -> tuple[int, int]:
        return self.items_pending, self.items_total

    @property
    def message(self) -> str:
        if self.created:
            return (f"stored as document {self.document.id} ({self.items_total} items, "
                    + (f"{self.items_pending} to review)" if self.items_pending else "accepted)"))
        return f"already ingested as document {self.document.id}: nothing changed"


def find_by_sha256(session: Session, sha256: str) -> Document | None:
    return session.scalar(select(Document).where(Document.sha256 == sha256))


def known_sha256(session: Session, digests: list[str]) -> dict[str, int]:
    """Which of these digests are stored already, with their document ids (one query)."""
    if not digests:
        return {}
    rows = session.execute(select(Document.sha256, Document.id).where(Document.sha256.in_(digests)))
    return {sha: did for sha, did in rows}


def upload(session: Session, *, actor: Actor, documents_dir: Path, data: bytes, filename: str,
           source: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, auto_accept: bool = False,
           doc: DocumentText | None = None, extraction: Extraction | None = None,
           resolver: Resolver | Callable[[Session], Resolver] | None = None) -> Stored:
    """Read, deduplicate (by sha256), extract and store one document; the same bytes twice change nothing.

    The one way a document comes in: the REST upload, the upload page and ``ingest`` all end here. A caller that
    read or extracted the bytes already (ingest does both in batches, extraction in other processes) passes
    ``doc`` and ``extraction``; otherwise the bytes are read here and, when new, extracted with the default
    extractor and the names the knowledge base knows. With ``auto_accept`` (trusted feeds) every item is
    accepted in the same transaction and inserted once, already in its final state. ``resolver`` is the
    in-memory indexes to resolve names with, or a function of the session that gives them."""
    require(actor, Perm.write_records)
    if auto_accept:
        require(actor, Perm.review_documents)
    if doc is None:
        try:
            doc = read_document(data=data, filename=filename, max_bytes=max_bytes)
        except DocumentError as exc:
            raise UnsupportedType(str(exc), field="file") from None
    existing = find_by_sha256(session, doc.sha256)
    if existing is not None:
        pending, total = item_counts(session, [existing.id]).get(existing.id, (0, 0))
        return Stored(existing, False, pending, total)
    if extraction is None:
        from investdesk.extraction.extractor import Extractor  # loaded on the first upload, not at start-up

        extraction = Extractor.default().extract(doc.text, known=known_names(session))
    # The readers cut their text at MAX_TEXT_CHARS; a caller that built its own DocumentText is held to it too,
    # so no page ever serves a 300 MB text back.
    truncated = doc.truncated or len(doc.text) > MAX_TEXT_CHARS
    text = doc.text[:MAX_TEXT_CHARS]
    rel = storage.store(documents_dir, doc.sha256, doc.media_type, data)
    extraction = extraction.model_copy(update={"source": Source(
        path=source or filename, sha256=doc.sha256, title=doc.title, published=doc.published)})
    document = Document(
        sha256=doc.sha256, filename=Path(filename).name[:300] or "document", source=source,
        media_type=doc.media_type, size=len(data), stored_path=rel, title=(doc.title or None) and doc.title[:500],
        published=(doc.published or None) and str(doc.published)[:40], text=text, ocr=doc.ocr,
        text_truncated=truncated,
        extraction=extraction.to_json_dict(), review_state=ReviewState.pending, ingested_by_id=actor.id, items=[])
    items = build_items(extraction, text, title=doc.title)
    session.add(document)
    try:
        session.flush()
    except IntegrityError:
        # Only the sha256 is unique here: the same bytes were stored by someone else since the check above.
        raise StoredMeanwhile(_('%(filename)s: the same document was stored meanwhile by another upload or ingest; '
                                'nothing changed', filename=document.filename)) from None
    if auto_accept:
        # A callable is asked only now, with the document row written: on SQLite this transaction holds the
        # write lock from here on, so the indexes it returns cannot go stale before the commit.
        current = resolver(session) if callable(resolver) else resolver
        accept_items(session, actor=actor, document=document, items=items, resolver=current)
    else:
        document.items.extend(items)
        session.flush()
    audit.record(session, actor=actor, action="ingest", entity_type="document", entity_id=document.id,
                 after={"sha256": document.sha256, "filename": document.filename, "items": len(items)},
                 summary=f"ingested {document.filename} ({len(items)} items)")
    pending = sum(1 for i in items if i.state is ItemState.pending)
    return Stored(document, True, pending, len(items))


def get(session: Session, *, actor: Actor, document_id: int, with_items: bool = True) -> Document:
    """One document by id, with its items."""
    require(actor, Perm.read)
    stmt = select(Document).where(Document.id == document_id)
    if with_items:
        stmt = stmt.options(selectinload(Document.items))
    document = session.scalar(stmt)
    if document is None:
        raise NotFound(_('document %(document_id)s not found', document_id=document_id), field="document_id")
    return document


def list_documents(session: Session, *, actor: Actor, state: ReviewState | None = None,
                   page: PageParams | None = None) -> tuple[list[Document], int]:
    """A page of documents, newest first (pending ones only when asked), and the total."""
    require(actor, Perm.read)
    stmt = select(Document)
    if state is not None:
        stmt = stmt.where(Document.review_state == state)
    return paginate(session, stmt.order_by(Document.id.desc()), page or PageParams())


# What a list of documents shows of each: not the text, which may run to megabytes.
_LIGHT = load_only(Document.id, Document.filename, Document.title, Document.media_type, Document.size,
                   Document.review_state, Document.ingested_at, Document.source, Document.published,
                   Document.sha256, Document.reviewed_at)


def filtered(*, state: ReviewState | str | None = None, q: str | None = None) -> Select[Document]:
    """Documents in a review state and/or with the text in their title or file name, without their text."""
    stmt = select(Document).options(_LIGHT)
    if state:
        stmt = stmt.where(Document.review_state == state)
    if q:
        stmt = stmt.where(or_(Document.title.ilike(f"%{q}%"), Document.filename.ilike(f"%{q}%")))
    return stmt


def item_counts(session: Session, document_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(pending, total) items per document, in one query."""
    if not document_ids:
        return {}
    pending = func.sum(case((ExtractedItem.state == ItemState.pending, 1), else_=0))
    rows = session.execute(select(ExtractedItem.document_id, func.count(), pending)
                           .where(ExtractedItem.document_id.in_(document_ids)).group_by(ExtractedItem.document_id))
    return {did: (int(p or 0), int(t)) for did, t, p in rows}


def item_read(item: ExtractedItem) -> ItemRead:
    return ItemRead(id=item.id, field=item.field, position=item.position, label=label(item.field, item.payload),
                    payload=item.payload, state=item.state, evidence_start=item.evidence_start,
                    evidence_end=item.evidence_end, record_type=item.record_type, record_id=item.record_id)


def to_read(document: Document, counts: tuple[int, int] | None = None) -> DocumentRead:
    if counts is None:
        items = document.items
        counts = (sum(1 for i in items if i.state is ItemState.pending), len(items))
    return DocumentRead(id=document.id, sha256=document.sha256, filename=document.filename, source=document.source,
                        media_type=document.media_type, size=document.size, title=document.title,
                        published=document.published, review_state=document.review_state, ocr=document.ocr,
                        text_truncated=document.text_truncated,
                        ingested_at=document.ingested_at, reviewed_at=document.reviewed_at,
                        items_pending=counts[0], items_total=counts[1])


def to_detail(document: Document) -> DocumentDetail:
    return DocumentDetail(**to_read(document).model_dump(), text=document.text, extraction=document.extraction,
                          items=[item_read(i) for i in document.items])


def recent(session: Session, *, actor: Actor, limit: int = 6) -> tuple[list[Document], int]:
    """The newest documents (light columns only) and how many wait for review."""
    require(actor, Perm.read)
    rows = list(session.scalars(select(Document).options(load_only(
        Document.id, Document.filename, Document.title, Document.ingested_at, Document.review_state))
        .order_by(Document.ingested_at.desc(), Document.id.desc()).limit(limit)))
    waiting = session.scalar(select(func.count()).select_from(Document)
                             .where(Document.review_state == ReviewState.pending)) or 0
    return rows, waiting


def sources_of(session: Session, *, actor: Actor, entity_type: str, entity_id: int, ids: Iterable[int | None] = (),
               limit: int = 50) -> list[Document]:
    """Documents a record was read from, by evidence rows or by id (light columns: never their text, which can
    be megabytes)."""
    require(actor, Perm.read)
    wanted = {i for i in ids if i is not None}
    via_evidence = select(Evidence.document_id).where(Evidence.entity_type == entity_type,
                                                      Evidence.entity_id == entity_id)
    cond: ColumnElement[bool] = Document.id.in_(via_evidence)
    if wanted:
        cond = or_(cond, Document.id.in_(wanted))
    stmt = (select(Document).options(load_only(Document.id, Document.filename, Document.title, Document.ingested_at,
                                               Document.review_state, Document.published))
            .where(cond).order_by(Document.ingested_at.desc()).limit(limit))
    return list(session.scalars(stmt))


def evidence_of(session: Session, *, actor: Actor, entity_type: str, entity_id: int, document_id: int | None = None,
                limit: int = 10) -> list[dict[str, Any]]:
    """The sentences a record was read from, each with its document (light columns) and the review item that
    holds it (for a link to the sentence in the document); ``document_id``: its source when it has no evidence row."""
    require(actor, Perm.read)
    rows = session.execute(select(Evidence.document_id, Evidence.sentence)
                           .where(Evidence.entity_type == entity_type, Evidence.entity_id == entity_id)
                           .order_by(Evidence.id).limit(limit)).all()
    pairs = [(d, s) for d, s in rows]
    if document_id is not None and document_id not in {d for d, _ in pairs}:
        pairs.append((document_id, ""))
    if not pairs:
        return []
    ids = {d for d, _ in pairs}
    docs = {d.id: d for d in session.scalars(select(Document).options(load_only(
        Document.id, Document.filename, Document.title, Document.ingested_at, Document.published))
        .where(Document.id.in_(ids)))}
    items = dict(session.execute(select(ExtractedItem.document_id, ExtractedItem.id).where(
        ExtractedItem.document_id.in_(ids), ExtractedItem.record_type == entity_type,
        ExtractedItem.record_id == entity_id)).all())
    return [{"document": docs[d], "sentence": s, "item_id": items.get(d)} for d, s in pairs if d in docs]
