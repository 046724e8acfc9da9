"""Rows that name an MoU InvestDesk already holds (the ID column of an export): compared with the record, so a
re-imported export creates nothing again; rows that differ update their MoU through the MoU service
(version-checked when the sheet has a Version column). Rows of an ID that does not exist are new MoUs (an
export imported into another database). Only the columns the sheet has are compared."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from investdesk.exchange.validate import Checked, Plan
from investdesk.models import Mou
from investdesk.models.mou import mou_parties
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouUpdate
from investdesk.permissions import Actor

CHUNK = 500
_LABELS = {"title": "title", "reference": "reference", "party_ids": "parties", "signed_date": "signed date",
           "amount": "amount", "jobs": "jobs", "sector": "sector", "district": "district",
           "department": "department", "notes": "notes", "nodal_officer_id": "nodal officer",
           "account_manager_id": "account manager"}


@dataclass
class Update:
    row: Checked
    record_id: int  # the MoU or lead the row names
    changes: dict[str, Any]  # MouUpdate fields; "party_names" until the organizations exist


def _chunks(values: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(values), CHUNK):
        yield values[i:i + CHUNK]


def _float(v: Any) -> float | None:
    return None if v is None else float(v)


def _differences(plan: Plan, c: Checked, m: Mou) -> dict[str, Any]:
    r, cols, out = c.record, plan.headers.columns, {}
    if "title" in cols and r.title != m.title:
        out["title"] = r.title
    if "reference" in cols and (r.reference or None) != m.reference:
        out["reference"] = r.reference
    if "parties" in cols:
        wanted = [plan.org_ids.get(n.casefold()) for n in r.parties]
        if None in wanted or set(wanted) != {p.id for p in m.parties}:
            out["party_names"] = list(r.parties)
    if "signed_date" in cols and r.signed_date != m.signed_date:
        out["signed_date"] = r.signed_date
    if "amount" in cols and (_float(c.amount.get("amount_value")), c.amount.get("amount_currency"),
                             c.amount.get("amount_unit")) != (_float(m.amount_value), m.amount_currency,
                                                              m.amount_unit):
        out["amount"] = r.amount
    for key in ("jobs", "district", "department"):
        if key in cols and getattr(r, key) != getattr(m, key):
            out[key] = getattr(r, key)
    if "notes" in cols and (r.notes or "") != (m.notes or ""):
        out["notes"] = r.notes
    if "sector" in cols and (plan.sector_ids[r.sector][0] if r.sector else None) != m.sector_id:
        out["sector"] = plan.sector_ids[r.sector][0] if r.sector else None
    for key, attr in (("nodal_officer", "nodal_officer_id"), ("account_manager", "account_manager_id")):
        email = getattr(r, key)
        if key in cols and email and plan.user_ids.get(email) != getattr(m, attr):
            out[attr] = plan.user_ids.get(email)
    return out


def split_rows(session: Session, plan: Plan, model: Any, load: Any,
               differences: Callable[[Plan, Checked, Any], dict[str, Any]],
               moved: tuple[str, str, str]) -> tuple[list[Checked], list[Update], int]:
    """The rows of a sheet with an ID column split into those to create (no such record), the records to update
    and how many rows are unchanged. ``moved`` names the field that moves with its own history (a status, a
    stage), the record's noun and where the field is moved: a sheet that differs there only warns."""
    ids = sorted({c.record.id for c in plan.rows if c.record.id is not None})
    existing: dict[int, Any] = {}
    for batch in _chunks(ids):
        existing.update((r.id, r) for r in session.scalars(
            select(model).options(selectinload(load)).where(model.id.in_(batch))))
    field, noun, where = moved
    new, updates, unchanged = [], [], 0
    for c in plan.rows:
        r = existing.get(c.record.id) if c.record.id is not None else None
        if r is None:
            new.append(c)
            continue
        changes = differences(plan, c, r)
        if field in plan.headers.columns and getattr(c.record, field) != getattr(r, field):
            plan.warnings.append(f"row {c.number}: the {field} of {noun} {r.id} was left as it is "
                                 f"({getattr(r, field).value}); {where}")
        if changes:
            updates.append(Update(c, r.id, changes))
        else:
            unchanged += 1
    return new, updates, unchanged


def split(session: Session, plan: Plan) -> tuple[list[Checked], list[Update], int]:
    """The rows to create, the MoUs to update and how many rows are unchanged. A status that differs is a
    warning: the status moves with its dated history on the MoU's page or API."""
    if plan.entity != "mou" or "id" not in plan.headers.columns:
        return plan.rows, [], 0
    return split_rows(session, plan, Mou, Mou.parties, _differences, ("status", "MoU", "update it on the MoU's page"))


def apply(session: Session, *, actor: Actor, updates: list[Update], org_ids: dict[str, int]) -> None:
    """Update each MoU through the service: its checks, its version, its audit row."""
    for u in updates:
        changes = dict(u.changes)
        if "party_names" in changes:
            changes["party_ids"] = list(dict.fromkeys(org_ids[n.casefold()] for n in changes.pop("party_names")))
        version = u.row.record.version
        mous.update(session, actor=actor, mou_id=u.record_id,
                    data=MouUpdate(**changes, version=version, force=version is None))


def describe(u: Update) -> str:
    fields = ", ".join(_LABELS.get(k, "parties") for k in u.changes)
    return f"row {u.row.number}: MoU {u.record_id} ({fields})"


MAX_DUPLICATE_WARNINGS = 20


def duplicates(session: Session, plan: Plan, new: list[Checked]) -> list[str]:
    """New rows that look like an MoU already recorded, or like another row of the sheet: the same first party,
    signing date and value. A warning, before anything is written: it may be a second MoU of the same day."""
    if plan.entity != "mou":
        return []
    keyed: dict[tuple[Any, ...], int] = {}
    out: list[str] = []
    wanted: dict[tuple[Any, ...], int] = {}
    for c in new:
        r, value = c.record, c.amount.get("amount_inr_crore")
        if not r.parties or r.signed_date is None or value is None:
            continue
        org = plan.org_ids.get(r.parties[0].casefold())
        key = (org if org is not None else r.parties[0].casefold(), r.signed_date, round(float(value), 4))
        if key in keyed:
            out.append(f"row {c.number} looks like row {keyed[key]} (same party, date and value)")
        else:
            keyed[key] = c.number
            if org is not None:
                wanted[key] = c.number
    orgs = sorted({k[0] for k in wanted})
    for batch in _chunks(orgs):
        stmt = (select(Mou.id, mou_parties.c.organization_id, Mou.signed_date, Mou.amount_inr_crore)
                .join(mou_parties, mou_parties.c.mou_id == Mou.id)
                .where(mou_parties.c.organization_id.in_(batch), Mou.signed_date.is_not(None)))
        for mid, org, day, value in session.execute(stmt):
            number = wanted.get((org, day, round(float(value), 4))) if value is not None else None
            if number is not None:
                out.append(f"row {number} looks like MoU {mid}, already recorded (same party, date and value)")
    if len(out) > MAX_DUPLICATE_WARNINGS:
        out[MAX_DUPLICATE_WARNINGS:] = [f"and {len(out) - MAX_DUPLICATE_WARNINGS} more rows that look like others"]
    return out
