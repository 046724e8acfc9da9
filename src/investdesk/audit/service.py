"""The audit trail: one append-only row per change, written in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from investdesk.db import Base
from investdesk.models import AuditEvent
from investdesk.permissions import Actor


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: Base, *, exclude: Sequence[str] = ("created_at", "updated_at", "password_hash"),
             extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The record's column values as JSON-safe data (secrets left out)."""
    mapper = inspect(obj).mapper
    data = {attr.key: _jsonable(getattr(obj, attr.key)) for attr in mapper.column_attrs if attr.key not in exclude}
    if extra:
        data.update({k: _jsonable(v) for k, v in extra.items()})
    return data


def record(session: Session, *, actor: Actor, action: str, entity_type: str, entity_id: int | None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           summary: str = "") -> AuditEvent:
    """Append one audit row; the caller's transaction commits it with the change."""
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed or k == "id"}
        after = {k: v for k, v in after.items() if k in changed or k == "id"}
    event = AuditEvent(actor_id=actor.id, actor=actor.label, action=action, entity_type=entity_type,
                       entity_id=entity_id, before=before, after=after, summary=summary[:500])
    session.add(event)
    return event


def history(session: Session, *, entity_type: str | None = None, entity_id: int | None = None,
            limit: int = 100, offset: int = 0) -> tuple[list[AuditEvent], int]:
    """Audit rows, newest first, optionally for one record."""
    stmt = select(AuditEvent)
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    if entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(limit).offset(offset)).all()
    return list(rows), total
