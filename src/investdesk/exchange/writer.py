"""A checked plan written in bulk: one INSERT (on PostgreSQL one COPY, on a thread of its own) per 2,000 records,
their history and link rows, and one audit row for the import (plus, for each organization it creates, the row
``organizations.service.create`` writes). Nothing is flushed per row and nothing commits here: the caller's
transaction holds it all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.config import get_settings
from investdesk.db import among, utcnow
from investdesk.exchange.bulk_copy import Copier, draw_ids, sqlite_rows
from investdesk.exchange.tables import Progress
from investdesk.exchange.validate import Plan
from investdesk.extraction.normalize import normalize_org
from investdesk.models import (
    AuditEvent,
    Mou,
    MouStatusChange,
    Opportunity,
    OpportunityStageChange,
    Organization,
    SearchEntry,
    Sector,
    User,
)
from investdesk.models.enums import MouStatus, OrgKind, Role
from investdesk.models.mou import mou_parties
from investdesk.models.pipeline import opportunity_sectors
from investdesk.mous import service as mous
from investdesk.permissions import Actor, Perm, require
from investdesk.search import index as search_index

BATCH = 2000


def _batches(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for i in range(0, len(rows), BATCH):
        yield rows[i:i + BATCH]


def _insert_returning_ids(session: Session, model: Any, rows: Sequence[dict[str, Any]],
                          progress: Progress | None = None, step: str = "write") -> list[int]:
    """Insert the rows on SQLite (every row with the same keys, so a batch is one statement) and return their ids
    in the order of the rows. (PostgreSQL's go through :class:`_Bulk`.)"""
    table = model.__table__
    ids: list[int] = []
    for batch in _batches(rows):
        # SQLite promises no order for RETURNING, so SQLAlchemy would insert row by row to keep it. But the first
        # INSERT takes SQLite's one write lock until commit, and each new row gets the highest id yet plus one:
        # the rows just inserted hold the highest ids, in their order.
        sqlite_rows(session, table, batch)
        last = session.scalar(select(func.max(table.c.id))) or 0
        first = last - len(batch) + 1
        if session.scalar(select(func.count()).where(table.c.id.between(first, last))) != len(batch):
            raise RuntimeError(f"{table.name}: ids of the rows just inserted are not {first}..{last}")
        ids += range(first, last + 1)
        if progress:
            progress(step, len(ids), len(rows))
    return ids


def _insert(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    table = getattr(table, "__table__", table)
    if session.get_bind().dialect.name == "sqlite":
        sqlite_rows(session, table, rows)
    else:
        for batch in _batches(rows):
            session.execute(insert(table), batch)


def _index(session: Session, kind: str, ids: list[int], entries: list[dict[str, Any]]) -> None:
    """The search entries of the records just written, built from their rows (not read back) and inserted in
    bulk, as ``search.index.refresh`` would write them."""
    search_index.forget(session, kind, ids)
    _insert(session, SearchEntry, entries)


class _Bulk:
    """Where a writer's rows go. On PostgreSQL to a :class:`Copier`: the ids are drawn at once and the rows are
    COPYed on a thread of their own, so the server writes one table (indexes, foreign-key checks, the search
    trigger) while this thread makes the next one's rows; nothing may use the session between :meth:`wait`s
    (the ``with`` block waits at its end). Elsewhere each call writes at once, as the functions above do."""

    def __init__(self, session: Session, progress: Progress | None = None) -> None:
        self.session, self.progress = session, progress
        self.copier = Copier(session) if session.get_bind().dialect.name == "postgresql" else None

    def insert_returning_ids(self, model: Any, rows: Sequence[dict[str, Any]], step: str = "write") -> list[int]:
        if self.copier is None:
            return _insert_returning_ids(self.session, model, rows, self.progress, step)
        self.copier.wait()  # the ids are drawn on the connection
        table = model.__table__
        ids = draw_ids(self.session, table, len(rows))
        for i in range(0, len(rows), BATCH):
            self.copier.copy(table, rows[i:i + BATCH], ids[i:i + BATCH])
            if self.progress:
                self.progress(step, min(i + BATCH, len(rows)), len(rows))
        return ids

    def insert(self, table: Any, rows: Sequence[dict[str, Any]]) -> None:
        if self.copier is None:
            _insert(self.session, table, rows)
        else:
            self.copier.copy(table.__table__ if hasattr(table, "__table__") else table, rows)

    def index(self, kind: str, ids: list[int], entries: list[dict[str, Any]]) -> None:
        if self.copier is None:
            _index(self.session, kind, ids, entries)
        else:
            self.copier.run(lambda conn: search_index.forget(conn, kind, ids))
            self.insert(SearchEntry, entries)

    def wait(self) -> None:
        if self.copier is not None:
            self.copier.wait()

    def __enter__(self) -> _Bulk:
        if self.copier is not None:
            self.copier.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.copier is not None:
            self.copier.__exit__(*exc)


def _names(session: Session, model: Any, ids: set[Any]) -> dict[Any, str]:
    """id -> name of these organizations or sectors, as the database holds them."""
    wanted, out = sorted(ids), dict[Any, str]()
    for i in range(0, len(wanted), 500):
        out.update((key, name) for key, name in session.execute(
            select(model.id, model.name).where(among(session, model.id, wanted[i:i + 500]))))
    return out


def create_organizations(session: Session, *, actor: Actor, plan: Plan, file: str) -> dict[str, int]:
    """The organizations the file names and the database lacks, as companies, each with the audit row the
    organizations service writes. Returns case-folded name -> id for every name of the file."""
    ids = dict(plan.org_ids)
    names = [(key, name) for key, name in plan.new_orgs.items() if key not in ids]
    if not names:
        return ids
    require(actor, Perm.write_records)
    rows = [{"name": name, "normalized_name": normalize_org(name), "kind": OrgKind.company, "notes": ""}
            for _, name in names]
    with _Bulk(session) as bulk:
        _write_organizations(bulk, actor=actor, names=names, rows=rows, ids=ids, file=file)
    plan.org_ids = dict(ids)  # created once: asked again (for the sheet's updates), nothing is new
    return ids


def _write_organizations(bulk: _Bulk, *, actor: Actor, names: list[tuple[str, str]], rows: list[dict[str, Any]],
                         ids: dict[str, int], file: str) -> None:
    new_ids = bulk.insert_returning_ids(Organization, rows)
    now = utcnow()
    events, entries = [], []
    for (key, name), oid, row in zip(names, new_ids, rows, strict=True):
        ids[key] = oid
        after = {"id": oid, "name": name, "normalized_name": row["normalized_name"], "acronym": None,
                 "kind": OrgKind.company.value, "country": None, "city": None, "website": None, "notes": "",
                 "merged_into_id": None, "version": 1, "sectors": [], "aliases": []}
        events.append({"actor_id": actor.id, "actor": actor.label, "action": "create", "entity_type": "organization",
                       "entity_id": oid, "before": None, "after": after,
                       "summary": f"created organization {name} (import of {file})"[:500]})
        entries.append(search_index.organization_entry(
            oid, name=name, acronym=None, kind=OrgKind.company, country=None, name_hi=None, aliases=[], city=None,
            website=None, notes="", now=now))
    bulk.insert(AuditEvent, events)
    bulk.index("organization", new_ids, entries)


class Assigner:
    """Who follows each imported MoU up, by the rule of ``mous.service.assign``: above the large-MoU value an
    account manager (the active manager with the fewest MoUs, counting the ones assigned in this import, as
    one ``create`` after another would), else the district's nodal officer. The district's officer is asked
    of ``assign`` itself, once per district; the managers' load is counted once and kept up here, because
    ``assign`` counts flushed rows and this import flushes none. The districts' officers are read once
    (``mous.service.nodal_officers``, which ``assign`` asks too)."""

    def __init__(self, session: Session) -> None:
        self.large = get_settings().large_mou_crore
        load = select(User.id, func.count(Mou.id)).outerjoin(Mou, Mou.account_manager_id == User.id).where(
            User.role == Role.manager, User.is_active.is_(True)).group_by(User.id)
        self.loads: dict[int, int] = {uid: n for uid, n in session.execute(load)}
        self.officers = mous.nodal_officers(session)

    def apply(self, row: dict[str, Any]) -> None:
        large = (row["amount_inr_crore"] or 0) > self.large
        if large and row["account_manager_id"] is None and self.loads:
            manager = min(self.loads, key=lambda uid: (self.loads[uid], uid))
            self.loads[manager] += 1
            row["account_manager_id"] = manager
        if not large and row["nodal_officer_id"] is None and row["district"]:
            row["nodal_officer_id"] = self.officers.get(row["district"])


def _import_audit(session: Session, *, actor: Actor, entity: str, noun: str, file: str, ids: list[int],
                  new_orgs: int) -> None:
    summary = f"imported {len(ids)} {noun} from {file}"
    if new_orgs:
        summary += f" ({new_orgs} new organizations)"
    audit.record(session, actor=actor, action="import", entity_type=entity, entity_id=None,
                 after={"file": file, "rows": len(ids), "ids": [ids[0], ids[-1]], "new_organizations": new_orgs},
                 summary=summary)


def _history(ids: list[int], rows: list[dict[str, Any]], *, actor: Actor, file: str,
             now: dt.datetime) -> list[dict[str, Any]]:
    """As ``mous.service.create`` writes it, the first entry is the signing, dated on the day of signing; an MoU
    further along gets a second entry, to the status of the file, dated when that status was recorded (the
    Status Updated column) or now."""
    out = []
    signing, moved = f"MoU signed; imported from {file}", f"imported from {file}"
    midnight: dict[dt.date, dt.datetime] = {}  # a register's rows share a few hundred signing days
    for mid, row in zip(ids, rows, strict=True):
        signed = row["signed_date"]
        if signed is not None and signed not in midnight:
            midnight[signed] = dt.datetime.combine(signed, dt.time(), tzinfo=dt.UTC)
        signed_at = midnight[signed] if signed is not None else now
        status_at = row["status_updated_at"]
        out.append({"mou_id": mid, "from_status": None, "to_status": MouStatus.signed, "note": signing,
                    "changed_at": min(signed_at, now, status_at), "changed_by_id": actor.id})
        if row["status"] is not MouStatus.signed:
            out.append({"mou_id": mid, "from_status": MouStatus.signed, "to_status": row["status"], "note": moved,
                        "changed_at": status_at, "changed_by_id": actor.id})
    return out


def write_mous(session: Session, *, actor: Actor, plan: Plan, file: str, progress: Progress | None = None) -> list[int]:
    """Insert the plan's MoUs with their parties and status history."""
    org_ids = create_organizations(session, actor=actor, plan=plan, file=file)
    assigner = Assigner(session)
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for c in plan.rows:
        r = c.record
        nodal = plan.user_ids.get(r.nodal_officer) if r.nodal_officer else None
        manager = plan.user_ids.get(r.account_manager) if r.account_manager else None
        row = {"title": r.title, "reference": r.reference, "signed_date": r.signed_date, "jobs": r.jobs,
               "sector_id": plan.sector_ids[r.sector][0] if r.sector else None, "district": r.district,
               "department": r.department, "nodal_officer_id": nodal, "account_manager_id": manager,
               "assignment_overridden": nodal is not None or manager is not None, "status": r.status,
               "status_updated_at": r.status_updated or now, "notes": r.notes, "opportunity_id": None, **c.amount}
        assigner.apply(row)
        rows.append(row)
    parties = [list(dict.fromkeys(org_ids[name.casefold()] for name in c.record.parties)) for c in plan.rows]
    # Asked before writing: on PostgreSQL nothing else may use the connection while the rows are copied.
    org_names = _names(session, Organization, {oid for oids in parties for oid in oids})
    sector_names = _names(session, Sector, {row["sector_id"] for row in rows if row["sector_id"]})
    with _Bulk(session, progress) as bulk:
        ids = bulk.insert_returning_ids(Mou, rows)
        bulk.insert(MouStatusChange, _history(ids, rows, actor=actor, file=file, now=now))
        bulk.insert(mou_parties, [{"mou_id": mid, "organization_id": oid}
                                  for mid, oids in zip(ids, parties, strict=True) for oid in oids])
        bulk.index("mou", ids, [
            search_index.mou_entry(mid, title=row["title"], status=row["status"], district=row["district"],
                                   reference=row["reference"], parties=[org_names[oid] for oid in sorted(oids)],
                                   department=row["department"], sector=sector_names.get(row["sector_id"]),
                                   notes=row["notes"], now=now)
            for mid, row, oids in zip(ids, rows, parties, strict=True)])
    _import_audit(session, actor=actor, entity="mou", noun="MoUs", file=file, ids=ids, new_orgs=len(plan.new_orgs))
    return ids


def write_opportunities(session: Session, *, actor: Actor, plan: Plan, file: str,
                        progress: Progress | None = None) -> list[int]:
    """Insert the plan's leads with their sectors and a first stage history row each."""
    org_ids = create_organizations(session, actor=actor, plan=plan, file=file)
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for c in plan.rows:
        r = c.record
        rows.append({
            "title": r.title, "counterpart_id": org_ids[r.counterpart.casefold()] if r.counterpart else None,
            "kind": r.kind, "stage": r.stage, "stage_reason": r.stage_reason, "stage_changed_at": now,
            "jobs": r.jobs, "country": r.country, "district": r.district,
            "owner_id": plan.user_ids.get(r.owner) if r.owner else None, "next_action": r.next_action,
            "next_action_due": r.next_action_due, "notes": r.notes, **c.amount})
    sectors = [sorted({sid for s in c.record.sectors for sid in plan.sector_ids[s]}) for c in plan.rows]
    # Asked before writing: on PostgreSQL nothing else may use the connection while the rows are copied.
    org_names = _names(session, Organization, {row["counterpart_id"] for row in rows if row["counterpart_id"]})
    sector_names = _names(session, Sector, {sid for sids in sectors for sid in sids})
    with _Bulk(session, progress) as bulk:
        ids = bulk.insert_returning_ids(Opportunity, rows)
        bulk.insert(OpportunityStageChange, [
            {"opportunity_id": oid, "from_stage": None, "to_stage": row["stage"], "reason": row["stage_reason"],
             "changed_at": now, "changed_by_id": actor.id} for oid, row in zip(ids, rows, strict=True)])
        bulk.insert(opportunity_sectors, [{"opportunity_id": oid, "sector_id": sid}
                                          for oid, sids in zip(ids, sectors, strict=True) for sid in sids])
        bulk.index("opportunity", ids, [
            search_index.opportunity_entry(
                oid, title=row["title"], stage=row["stage"], counterpart=org_names.get(row["counterpart_id"]),
                district=row["district"], country=row["country"], location=None,
                sectors=[sector_names[sid] for sid in sids], kind=row["kind"], next_action=row["next_action"],
                notes=row["notes"], now=now)
            for oid, row, sids in zip(ids, rows, sectors, strict=True)])
    _import_audit(session, actor=actor, entity="opportunity", noun="leads", file=file, ids=ids,
                  new_orgs=len(plan.new_orgs))
    return ids
