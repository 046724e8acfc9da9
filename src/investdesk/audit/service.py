"""The audit trail: one append-only row per change, written in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Select, and_, inspect, or_, select
from sqlalchemy.orm import Session

from investdesk.db import Base
from investdesk.models import AuditEvent
from investdesk.paging import total_of
from investdesk.permissions import Actor, Perm, require


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


# Who may read the events of a kind of record: the users and their tokens are the administrators' business;
# the events of an MoU, of a blocker on it and of a follow-up follow what the actor may read of those.
ADMIN_ONLY = ("user", "api_token")
MOU_SCOPED = ("mou", "blocker", "follow_up")


def visible(stmt: Select[Any], actor: Actor) -> Select[Any]:
    """A query over audit events narrowed to those whose record the actor may read."""
    if not actor.has(Perm.manage_users):
        stmt = stmt.where(AuditEvent.entity_type.not_in(ADMIN_ONLY))
    if not actor.is_scoped and actor.has(Perm.read_all_mous):
        return stmt
    # Imported here: the MoU and follow-up services write their audit rows through this module.
    from investdesk.models import Blocker, FollowUp, Mou
    from investdesk.mous.service import scoped

    mous = scoped(select(Mou.id), actor)
    blockers = scoped(select(Blocker.id).join(Mou, Blocker.mou_id == Mou.id), actor)
    # A follow-up the actor owns, or one on an MoU or blocker in their scope (as the follow-up list shows).
    on_scope = or_(and_(FollowUp.entity_type == "mou", FollowUp.entity_id.in_(mous)),
                   and_(FollowUp.entity_type == "blocker", FollowUp.entity_id.in_(blockers)))
    followups = select(FollowUp.id).where(or_(on_scope, FollowUp.owner_id == actor.id) if actor.id else on_scope)
    return stmt.where(or_(
        AuditEvent.entity_type.not_in(MOU_SCOPED),
        and_(AuditEvent.entity_type == "mou", AuditEvent.entity_id.in_(mous)),
        and_(AuditEvent.entity_type == "blocker", AuditEvent.entity_id.in_(blockers)),
        and_(AuditEvent.entity_type == "follow_up", AuditEvent.entity_id.in_(followups))))


def history(session: Session, *, actor: Actor, entity_type: str | None = None, entity_id: int | None = None,
            limit: int = 100, offset: int = 0, related: dict[str, list[int]] | None = None
            ) -> tuple[list[AuditEvent], int]:
    """Audit rows the actor may read, newest first, optionally for one record and the records that belong to it
    (``related``: the ids of each kind, such as an MoU's blockers)."""
    require(actor, Perm.read)
    stmt = visible(select(AuditEvent), actor)
    own: list[Any] = []
    if entity_type:
        own.append(AuditEvent.entity_type == entity_type)
    if entity_id is not None:
        own.append(AuditEvent.entity_id == entity_id)
    parts = [and_(*own)] if own else []
    parts += [and_(AuditEvent.entity_type == kind, AuditEvent.entity_id.in_(ids))
              for kind, ids in (related or {}).items() if ids]
    if own:
        stmt = stmt.where(or_(*parts))
    rows = session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(limit).offset(offset)).all()
    return list(rows), total_of(session, stmt, offset=offset, limit=limit, fetched=len(rows))
