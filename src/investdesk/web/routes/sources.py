"""The source documents behind a record: linked by id or by evidence rows; light columns only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, load_only

from investdesk.models import Document, Evidence


def documents_for(session: Session, entity_type: str, entity_id: int, ids: Iterable[int | None] = (),
                  limit: int = 50) -> list[Any]:
    """Documents a record was read from (never their text: that can be megabytes)."""
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
