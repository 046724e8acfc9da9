"""Review: a person accepts, edits or rejects each extracted item, or all of a document's at once.

Every review operation is one audit row on the document; the records it creates or merges carry their own.
The document's state follows its items: ``pending`` while any item is, then ``accepted`` when at least one
was accepted, else ``rejected``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.documents import service as documents
from investdesk.documents.accept import Acceptance, accept_items, record_review, refresh_state
from investdesk.documents.items import ITEM_MODELS_ALL, delegate_twins
from investdesk.errors import InvalidTransition, NotFound, ValidationFailed
from investdesk.i18n import _
from investdesk.models import Document, ExtractedItem
from investdesk.models.enums import ItemState
from investdesk.permissions import Actor, Perm, require
from investdesk.resolution.index import Resolver


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
    refresh_state(document, actor)
    record_review(session, actor, document, "reject_all", {"rejected": rejected}, before)
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
    refresh_state(document, actor)
    record_review(session, actor, document, "accept_item", {"item": item.id}, before_state)
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
    refresh_state(document, actor)
    record_review(session, actor, document, "reject_item", {"item": item.id}, before)
    session.flush()
    return item
