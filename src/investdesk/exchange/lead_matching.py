"""Rows that name a lead InvestDesk already holds (the ID column of an export), as :mod:`matching` does for
MoUs: compared with the lead, so a re-imported export creates nothing again; rows that differ update their lead
through the pipeline service (version-checked when the sheet has a Version column, which needs the right to
edit that lead). Rows of an ID that does not exist are new leads. Only the columns the sheet has are compared;
a stage that differs is a warning (a lead moves through its stages with a dated history)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.exchange.matching import MAX_DUPLICATE_WARNINGS, Update, _chunks, _float, split_rows
from investdesk.exchange.validate import Checked, Plan
from investdesk.models import Opportunity
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityUpdate

_LABELS = {"title": "title", "counterpart_names": "counterpart", "kind": "kind", "sectors": "sectors",
           "amount": "amount", "jobs": "jobs", "country": "country", "district": "district", "owner_id": "owner",
           "next_action": "next action", "next_action_due": "due", "notes": "notes"}


def _sector_ids(plan: Plan, names: list[str]) -> set[str]:
    return {sid for s in names for sid in plan.sector_ids.get(s, [])}


def _differences(plan: Plan, c: Checked, o: Opportunity) -> dict[str, Any]:
    r, cols, out = c.record, plan.headers.columns, {}
    if "title" in cols and not plan.headers.derived_title and r.title != o.title:
        out["title"] = r.title
    if "counterpart" in cols:
        wanted = plan.org_ids.get(r.counterpart.casefold()) if r.counterpart else None
        if (r.counterpart and wanted is None) or wanted != o.counterpart_id:
            out["counterpart_names"] = r.counterpart
    if "kind" in cols and r.kind != o.kind:
        out["kind"] = r.kind
    if "sectors" in cols and _sector_ids(plan, r.sectors) != {s.id for s in o.sectors}:
        out["sectors"] = sorted(_sector_ids(plan, r.sectors))
    if "amount" in cols and (_float(c.amount.get("amount_value")), c.amount.get("amount_currency"),
                             c.amount.get("amount_unit")) != (_float(o.amount_value), o.amount_currency,
                                                              o.amount_unit):
        out["amount"] = r.amount
    for key in ("jobs", "country", "district", "next_action", "next_action_due"):
        if key in cols and (getattr(r, key) or None) != (getattr(o, key) or None):
            out[key] = getattr(r, key)
    if "notes" in cols and (r.notes or "") != (o.notes or ""):
        out["notes"] = r.notes
    if "owner" in cols and r.owner and plan.user_ids.get(r.owner) != o.owner_id:
        out["owner_id"] = plan.user_ids.get(r.owner)
    return out


def split(session: Session, plan: Plan) -> tuple[list[Checked], list[Update], int]:
    """The rows to create, the leads to update and how many rows are unchanged."""
    if "id" not in plan.headers.columns:
        return plan.rows, [], 0
    return split_rows(session, plan, Opportunity, Opportunity.sectors, _differences,
                      ("stage", "lead", "move it on the lead's page or the board"))


def apply(session: Session, *, actor: Actor, updates: list[Update], org_ids: dict[str, int]) -> None:
    """Update each lead through the service: its permission (the owner's or a manager's), version, audit row."""
    for u in updates:
        changes = dict(u.changes)
        if "counterpart_names" in changes:
            name = changes.pop("counterpart_names")
            changes["counterpart_id"] = org_ids[name.casefold()] if name else None
        version = u.row.record.version
        pipeline.update(session, actor=actor, opportunity_id=u.record_id,
                        data=OpportunityUpdate(**changes, version=version, force=version is None))


def describe(u: Update) -> str:
    return f"row {u.row.number}: lead {u.record_id} ({', '.join(_LABELS.get(k, k) for k in u.changes)})"


def duplicates(session: Session, plan: Plan, new: list[Checked]) -> list[str]:
    """New rows that look like a lead already recorded, or like another row of the sheet: the same counterpart,
    kind and value. A warning, before anything is written."""
    keyed: dict[tuple[Any, ...], int] = {}
    out: list[str] = []
    wanted: dict[tuple[Any, ...], int] = {}
    for c in new:
        r, value = c.record, c.amount.get("amount_inr_crore")
        if not r.counterpart or value is None:
            continue
        org = plan.org_ids.get(r.counterpart.casefold())
        key = (org if org is not None else r.counterpart.casefold(), r.kind.value, round(float(value), 4))
        if key in keyed:
            out.append(f"row {c.number} looks like row {keyed[key]} (same counterpart, kind and value)")
        else:
            keyed[key] = c.number
            if org is not None:
                wanted[key] = c.number
    for batch in _chunks(sorted({k[0] for k in wanted})):
        stmt = (select(Opportunity.id, Opportunity.counterpart_id, Opportunity.kind, Opportunity.amount_inr_crore)
                .where(Opportunity.counterpart_id.in_(batch), Opportunity.amount_inr_crore.is_not(None)))
        for oid, org, kind, value in session.execute(stmt):
            number = wanted.get((org, kind.value, round(float(value), 4))) if value is not None else None
            if number is not None:
                out.append(f"row {number} looks like lead {oid}, already recorded (same counterpart, kind and value)")
    if len(out) > MAX_DUPLICATE_WARNINGS:
        out[MAX_DUPLICATE_WARNINGS:] = [f"and {len(out) - MAX_DUPLICATE_WARNINGS} more rows that look like others"]
    return out
