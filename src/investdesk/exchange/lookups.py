"""The names a file's rows use, looked up for the whole file in a few queries: sectors, users, MoU references
and organizations. Problems go to the plan, by row and column, like any other."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.db import among
from investdesk.errors import InvestDeskError
from investdesk.extraction.normalize import normalize_org
from investdesk.models import Mou, Organization, User
from investdesk.resolution.index import OrgIndex
from investdesk.sectors import service as sector_service

if TYPE_CHECKING:
    from investdesk.exchange.validate import Plan

CHUNK = 500  # values per IN (...) lookup


def message(exc: InvestDeskError, field_name: str) -> str:
    """A domain error's message less its field prefix (the column is named beside it)."""
    return exc.message.removeprefix(f"{field_name}: ")


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    batch: list[str] = []
    for v in values:
        batch.append(v)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _sector_ids(session: Session, name: str, header: str, several: bool) -> list[str]:
    """The sector a name stands for; for a lead, also "Pharma, Medical devices" (commas between names that
    are not one sector's name, as "IT, software and GCCs" is)."""
    try:
        return [sector_service.resolve(session, [name], field=header)[0].id]
    except InvestDeskError as exc:
        unknown = exc
    parts = [p.strip() for p in name.split(",") if p.strip()]
    if several and len(parts) > 1:
        try:
            return [s.id for s in sector_service.resolve(session, parts, field=header)]
        except InvestDeskError:
            pass
    raise unknown


def sectors(session: Session, plan: Plan, key: str) -> None:
    header = plan.headers.header(key)
    errors: dict[str, str] = {}
    for number, values in plan.named:
        value = values.get(key)
        for name in [value] if isinstance(value, str) else value or []:
            if name not in plan.sector_ids and name not in errors:
                try:
                    plan.sector_ids[name] = _sector_ids(session, name, header, several=key == "sectors")
                except InvestDeskError as exc:
                    errors[name] = message(exc, header)
            if name in errors:
                plan.problem(number, key, errors[name])


def users(session: Session, plan: Plan, keys: tuple[str, ...]) -> None:
    wanted = {values[k] for _, values in plan.named for k in keys if values.get(k)}
    found: dict[str, tuple[int, bool]] = {}
    for batch in _chunks(sorted(wanted)):
        for uid, email, is_active in session.execute(select(User.id, func.lower(User.email), User.is_active)
                                                     .where(func.lower(User.email).in_(batch))):
            found[email] = (uid, is_active)
    for number, values in plan.named:
        for k in keys:
            email = values.get(k)
            if not email:
                continue
            if email not in found:
                plan.problem(number, k, f"no user {email}")
            elif not found[email][1]:
                plan.problem(number, k, f"user {email} is disabled")
            else:
                plan.user_ids[email] = found[email][0]


def organizations(session: Session, plan: Plan) -> None:
    """Each name to an organization of exactly that name (any case), else to the one the knowledge base knows
    it by (alias, acronym, near-identical spelling, as ingestion resolves names); the others are to be
    created. Exact candidates come from the normalised-name index, then the exact name is compared here
    (SQLite's lower() knows only ASCII). A merged organization stands for the one it was merged into."""
    names: dict[str, str] = {}
    for c in plan.rows:
        for name in (c.record.parties if plan.entity == "mou" else [c.record.counterpart] if c.record.counterpart
                     else []):
            names.setdefault(name.casefold(), name)
    found: dict[str, tuple[bool, int, int]] = {}  # case-folded name -> (merged, id, id to link)
    for batch in _chunks(sorted({normalize_org(n) for n in names.values()})):
        stmt = select(Organization.id, Organization.name, Organization.merged_into_id).where(
            among(session, Organization.normalized_name, batch))
        for oid, name, merged_into in session.execute(stmt):
            key = name.casefold()
            if key in names:
                candidate = (merged_into is not None, oid, merged_into or oid)
                found[key] = min(found.get(key, candidate), candidate)
    plan.org_ids = {k: v[2] for k, v in found.items()}
    unknown = {k: name for k, name in names.items() if k not in found}
    if unknown and session.scalar(select(Organization.id).limit(1)) is not None:  # else nothing to match
        index = OrgIndex.load(session)
        for key, name in list(unknown.items()):
            match = index.match(name)
            if match is not None:
                plan.org_ids[key] = match
                plan.headers.warnings.append(f"{name!r} was read as the known organization {index.name_of(match)!r}")
                del unknown[key]
    plan.new_orgs = unknown


def references(session: Session, plan: Plan) -> None:
    first: dict[str, int] = {}
    row_id: dict[str, int | None] = {}  # the MoU the row itself names (ID column): its own reference is no clash
    for number, values in plan.named:
        ref = values.get("reference")
        if ref is None:
            continue
        if ref in first:
            plan.problem(number, "reference", f"reference {ref!r} is also on row {first[ref]}")
        else:
            first[ref], row_id[ref] = number, values.get("id")
    taken: set[str] = set()
    for batch in _chunks(sorted(first)):
        taken.update(r for mid, r in session.execute(select(Mou.id, Mou.reference).where(
                         among(session, Mou.reference, batch)))
                     if r and row_id.get(r) != mid)
    for ref in sorted(taken):
        plan.problem(first[ref], "reference", f"an MoU with reference {ref!r} already exists")
