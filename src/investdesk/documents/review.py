"""Review: a person accepts, edits or rejects each extracted item, or all of a document's at once.

Every review operation is one audit row on the document; the records it creates or merges carry their own.
The document's state follows its items: ``pending`` while any item is, then ``accepted`` when at least one
was accepted, else ``rejected``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.db import utcnow
from investdesk.documents import service as documents
from investdesk.documents.accept import Acceptance
from investdesk.documents.items import ACCEPT_ORDER, ITEM_MODELS_ALL, delegate_twins
from investdesk.errors import InvalidTransition, NotFound, ValidationFailed
from investdesk.i18n import _
from investdesk.models import Document, ExtractedItem
from investdesk.models.enums import ItemState, ReviewState
from investdesk.permissions import Actor, Perm, require
from investdesk.resolution.index import Resolver


def _refresh_state(document: Document, actor: Actor, items: list[ExtractedItem] | None = None) -> None:
    states = {i.state for i in (document.items if items is None else items)}
    if ItemState.pending in states:
        state = ReviewState.pending
    elif states & {ItemState.accepted, ItemState.edited} or not states:
        state = ReviewState.accepted
    else:
        state = ReviewState.rejected
    if state is not document.review_state:
        document.review_state = state
        if state is not ReviewState.pending:
            document.reviewed_at, document.reviewed_by_id = utcnow(), actor.id


def _item(document: Document, item_id: int) -> ExtractedItem:
    for item in document.items:
        if item.id == item_id:
            return item
    raise NotFound(_('item %(item_id)s is not an item of document %(id)s', item_id=item_id,
                     id=document.id), field="item_id")


def _pending(item: ExtractedItem) -> None:
    if item.state is not ItemState.pending:
        raise InvalidTransition(_('item %(id)s was already %(state)s', id=item.id,
                                  state=item.state.value), field="item_id")


def _record(session: Session, actor: Actor, document: Document, action: str, counts: dict[str, int],
            before: ReviewState) -> None:
    audit.record(session, actor=actor, action=action, entity_type="document", entity_id=document.id,
                 before={"review_state": before.value}, after={"review_state": document.review_state.value, **counts},
                 summary=f"{action} on document {document.id}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


def accept_items(session: Session, *, actor: Actor, document: Document, items: list[ExtractedItem],
                 resolver: Resolver | None = None) -> dict[str, int]:
    """Accept every pending item of ``items`` (leads stay pending when the pipeline area is absent); items
    not yet attached to the document (a fresh ingest) are attached after, in their final state."""
    require(actor, Perm.review_documents)
    before = document.review_state
    # What the page counted: the pending items it shows (a delegate who is also one of the people is shown once).
    hidden = {id(d) for d in delegate_twins(items).values()}
    counted = [i for i in items if i.state is ItemState.pending and id(i) not in hidden]
    ctx = Acceptance(session, actor, document, items, resolver or Resolver.load(session), defer_delegates=True)
    left = 0
    # Services flush what they write; no need to flush item states before every lookup.
    with session.no_autoflush:
        for item in sorted(items, key=lambda i: (ACCEPT_ORDER[i.field], i.position)):
            if item.state is ItemState.pending and not ctx.accept(item):  # else accepted on the way
                left += 1
        ctx.flush_delegates()
        ctx.finish()
    if items and inspect(items[0]).transient:
        # A fresh ingest: the items go in once, in their final state, in one INSERT without RETURNING.
        session.execute(insert(ExtractedItem), [
            {"document_id": document.id, "field": i.field, "position": i.position, "payload": i.payload,
             "state": i.state, "evidence_start": i.evidence_start, "evidence_end": i.evidence_end,
             "record_type": i.record_type, "record_id": i.record_id} for i in items])
        session.expire(document, ["items"])
    accepted = sum(1 for i in counted if i.state in (ItemState.accepted, ItemState.edited))
    _refresh_state(document, actor, items)
    counts = {"accepted": accepted, "left_pending": left}
    _record(session, actor, document, "accept_all", counts, before)
    session.flush()
    return counts


def accept_all(session: Session, *, actor: Actor, document_id: int, resolver: Resolver | None = None) -> dict[str, int]:
    """Accept every pending item of a stored document."""
    require(actor, Perm.review_documents)
    document = documents.get(session, actor=actor, document_id=document_id)
    return accept_items(session, actor=actor, document=document, items=list(document.items), resolver=resolver)


def reject_all(session: Session, *, actor: Actor, document_id: int) -> dict[str, int]:
    """Reject every item still pending; nothing is created from them."""
    require(actor, Perm.review_documents)
    document = documents.get(session, actor=actor, document_id=document_id)
    before = document.review_state
    rejected = 0
    for item in document.items:
        if item.state is ItemState.pending:
            item.state = ItemState.rejected
            rejected += 1
    _refresh_state(document, actor)
    _record(session, actor, document, "reject_all", {"rejected": rejected}, before)
    session.flush()
    return {"rejected": rejected}


def accept_item(session: Session, *, actor: Actor, document_id: int, item_id: int,
                edits: dict[str, Any] | None = None, merge_into: int | None = None) -> ExtractedItem:
    """Accept one item, after applying the reviewer's edits to it when given; ``merge_into`` is the existing
    record the reviewer chose for it (0: a new record), else the one it resolves to."""
    require(actor, Perm.review_documents)
    document = documents.get(session, actor=actor, document_id=document_id)
    item = _item(document, item_id)
    _pending(item)
    before_state = document.review_state
    if edits:
        model = ITEM_MODELS_ALL[item.field]
        try:
            edited = model.model_validate({**item.payload, **edits})
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first.get("loc", ())) or item.field
            raise ValidationFailed(_('%(where)s: %(msg)s', where=where, msg=first.get('msg')), field=where) from None
        old = dict(item.payload)
        item.payload = edited.model_dump(mode="json")
        audit.record(session, actor=actor, action="edit", entity_type="extracted_item", entity_id=item.id,
                     before=old, after=item.payload, summary=f"edited item {item.id} of document {document.id}")
    ctx = Acceptance(session, actor, document, list(document.items), Resolver.load(session),
                     targets={item.id: merge_into} if merge_into is not None else {})
    if not ctx.accept(item, edited=bool(edits)):
        raise InvalidTransition(_('item %(id)s (%(field)s) cannot be accepted yet: the leads area is not installed',
                                  id=item.id, field=item.field), field="item_id")
    twin = delegate_twins(list(document.items)).get(item.id)
    if twin is not None and twin.state is ItemState.pending:
        ctx.accept(twin)  # the same person, on the mission too
    ctx.finish()
    _refresh_state(document, actor)
    _record(session, actor, document, "accept_item", {"item": item.id}, before_state)
    session.flush()
    return item


def reject_item(session: Session, *, actor: Actor, document_id: int, item_id: int) -> ExtractedItem:
    require(actor, Perm.review_documents)
    document = documents.get(session, actor=actor, document_id=document_id)
    item = _item(document, item_id)
    _pending(item)
    before = document.review_state
    item.state = ItemState.rejected
    twin = delegate_twins(list(document.items)).get(item.id)
    if twin is not None and twin.state is ItemState.pending:
        twin.state = ItemState.rejected
    _refresh_state(document, actor)
    _record(session, actor, document, "reject_item", {"item": item.id}, before)
    session.flush()
    return item
