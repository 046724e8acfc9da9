"""The audit trail of one record, for its page: who changed what, when, from what to what, in words.

Ids become names ("Owner: — → Rahul Mishra"), fields their labels, amounts read as written ("USD 50 million"),
dates the desk's way (14 Feb 2025), vocabularies in words ("MoU signed"); an MoU's history shows its blockers
raised, escalated and resolved.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from investdesk import formatting
from investdesk.audit import names as audit_names
from investdesk.audit import service as audit
from investdesk.permissions import Actor

SHOWN = 20
# An amount's change is shown once, in crore (the parts as written change together with it; a row keeps only
# the columns that changed, so a currency left as it was would be missing from "USD 50 -> 60 million").
SKIP = {"version", "normalized_name", "updated_at", "created_at", "id", "amount_value", "amount_usd_million",
        "amount_currency", "amount_unit", "search_text"}
# Fields that hold a user's or an organization's id, with their label.
USERS = {"owner_id": "Owner", "nodal_officer_id": "Nodal officer", "account_manager_id": "Account manager",
         "changed_by_id": "Changed by", "created_by_id": "Created by", "reviewed_by_id": "Reviewed by",
         "assigned_to_id": "Assigned to", "user_id": "User"}
ORGS = {"counterpart_id": "Investor", "organization_id": "Organization", "home_agency_id": "Home agency",
        "investor_id": "Investor", "merged_into_id": "Merged into"}
LABELS = {"amount_inr_crore": "Amount", "next_action_due": "Due", "stage_reason": "Reason for the stage",
          "signed_date": "Signed", "district": "District", "country": "Country", "jobs": "Jobs",
          "mou_id": "MoU", "document_id": "Source document", "opportunity_id": "Lead", "mission_id": "Mission",
          "escalation_level": "Level", "raised_on": "Raised", "resolved_on": "Resolved", "escalated_on": "Escalated",
          "status_changed_on": "Status since", "sectors": "Sectors"}
VOCABULARY = {"stage", "status", "kind", "category", "escalation_level", "side", "role", "review_state", "state",
              "from_stage", "to_stage", "level"}
ACTIONS = {("blocker", "create"): "Blocker raised", ("blocker", "resolve"): "Blocker resolved",
           ("blocker", "escalate"): "Blocker escalated", ("blocker", "update"): "Blocker changed"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _cut(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"


def _value(key: str, value: Any, names: dict[str, dict[object, str]]) -> str:
    if value in (None, "", []):
        return "—"
    if key in USERS:
        return names["user"].get(value, "a former user")
    if key in ORGS:
        return names["organization"].get(value, "an organization since removed")
    if key == "sectors" and isinstance(value, list):
        return _cut(", ".join(names["sector"].get(s, formatting.label(s)) for s in value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return _cut(", ".join(formatting.label(v) if key in VOCABULARY else str(v) for v in value))
    if key == "country" and isinstance(value, str):
        return formatting.country(value)
    if key in VOCABULARY and isinstance(value, str):
        return formatting.label(value)
    if isinstance(value, str) and _ISO_DATE.match(value):
        return formatting.date(dt.date.fromisoformat(value))
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            return formatting.datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
    if isinstance(value, int | float) and not isinstance(value, bool):
        return formatting.indian(value, 0 if float(value).is_integer() else 2)
    return _cut(str(value))


def field_label(key: str) -> str:
    if key in USERS:
        return USERS[key]
    if key in ORGS:
        return ORGS[key]
    if key in LABELS:
        return LABELS[key]
    return formatting.label(key.removesuffix("_id"))


def _fields(before: dict[str, Any], after: dict[str, Any], names: dict[str, dict[object, str]]
            ) -> list[tuple[str, str, str]]:
    out = []
    for key in sorted(set(before) | set(after)):
        if key in SKIP or before.get(key) == after.get(key):
            continue
        if key == "amount_inr_crore":
            old, new = formatting.crore(before.get(key)), formatting.crore(after.get(key))
        else:
            old, new = _value(key, before.get(key), names), _value(key, after.get(key), names)
        if old != new:
            out.append((field_label(key), old, new))
    return out


def _blocker_line(data: dict[str, Any]) -> str:
    """"Land: transfer from the university needs cabinet approval · Revenue"."""
    head = f"{formatting.label(data['category'])}: " if data.get("category") else ""
    tail = f" · {data['department']}" if data.get("department") else ""
    return _cut(f"{head}{data.get('description') or ''}{tail}")


def panel(request: Request, session: Session, entity_type: str, entity_id: int,
          related: dict[str, list[int]] | None = None) -> dict[str, Any]:
    """The newest changes of a record that the signed-in user may read (and of ``related`` records, such as an
    MoU's blockers), each with the fields it changed, in words."""
    api = f"/api/audit?entity_type={entity_type}&entity_id={entity_id}"
    actor: Actor | None = getattr(request.state, "page_actor", None)
    if actor is None:
        return {"events": [], "total": 0, "api": api}
    rows, total = audit.history(session, actor=actor, entity_type=entity_type, entity_id=entity_id, limit=SHOWN,
                                related=related)
    users: set[object] = {e.actor_id for e in rows}
    orgs: set[object] = set()
    sectors: set[object] = set()
    for e in rows:
        for data in (e.before or {}, e.after or {}):
            users |= {data.get(k) for k in USERS}
            orgs |= {data.get(k) for k in ORGS}
            sectors |= set(data.get("sectors") or []) if isinstance(data.get("sectors"), list) else set()
    names = audit_names.lookup(session, users=users, organizations=orgs, sectors=sectors)
    events = []
    for e in rows:
        before, after = e.before or {}, e.after or {}
        own = e.entity_type == entity_type
        events.append({
            "at": e.at, "actor": names["user"].get(e.actor_id, e.actor) if e.actor_id else e.actor,
            "action": ACTIONS.get((e.entity_type, e.action), formatting.label(e.action)),
            "summary": e.summary if own else _blocker_line({**before, **after}),
            "fields": _fields(before, after, names) if e.before else []})
    return {"events": events, "total": total, "api": api}
