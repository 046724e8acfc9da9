"""The audit trail of one record, for its page: who changed what, when, from what to what."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.permissions import Actor

SHOWN = 20
SKIP = {"version", "normalized_name", "updated_at", "created_at"}


def _short(value: Any) -> str:
    text = "—" if value in (None, "", []) else ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def panel(request: Request, session: Session, entity_type: str, entity_id: int) -> dict[str, Any]:
    """The newest changes of a record that the signed-in user may read, each with the fields it changed."""
    actor: Actor | None = getattr(request.state, "page_actor", None)
    if actor is None:
        return {"events": [], "total": 0, "api": f"/api/audit?entity_type={entity_type}&entity_id={entity_id}"}
    rows, total = audit.history(session, actor=actor, entity_type=entity_type, entity_id=entity_id, limit=SHOWN)
    events = []
    for e in rows:
        before, after = e.before or {}, e.after or {}
        fields = [(k, _short(before.get(k)), _short(after.get(k))) for k in sorted(set(before) | set(after))
                  if k not in SKIP and before.get(k) != after.get(k)] if e.before else []
        events.append({"at": e.at, "actor": e.actor, "action": e.action, "summary": e.summary, "fields": fields})
    return {"events": events, "total": total, "api": f"/api/audit?entity_type={entity_type}&entity_id={entity_id}"}
