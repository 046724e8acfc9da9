"""MoUs and their implementation: status with dated history, blockers, assignment. Nothing commits here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from investdesk import places
from investdesk.audit import service as audit
from investdesk.blockers.levels import shown_level
from investdesk.config import get_settings
from investdesk.db import utcnow
from investdesk.errors import Conflict, NotFound
from investdesk.i18n import _
from investdesk.models import Blocker, Mou, MouStatusChange, Opportunity, Organization, User
from investdesk.models.enums import MouStatus, Role
from investdesk.models.mou import mou_parties
from investdesk.mous.schemas import MouCreate, MouFilter, MouRead, MouUpdate, StatusUpdate
from investdesk.paging import PageParams, Pager, Sort, first, grouped, lean, listing, paginate, paginate_columns
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import amount_columns, amount_of, update_amount_and_district
from investdesk.sectors import service as sectors
from investdesk.updates import apply_update, check_version, flush_or_conflict, load_all, refuse_nulls

_LOAD = (selectinload(Mou.parties), selectinload(Mou.history), selectinload(Mou.blockers))
CLOSED = (MouStatus.commercial_operation, MouStatus.withdrawn)


def pending_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or utcnow()) - dt.timedelta(days=get_settings().pending_after_days)


def pending_at(status: MouStatus, updated: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Whether an MoU of this status, last updated then, is pending: open and not updated for the period."""
    updated = updated if updated.tzinfo else updated.replace(tzinfo=dt.UTC)  # SQLite gives naive UTC times
    return status not in CLOSED and updated < pending_cutoff(now)


def is_pending(mou: Mou, now: dt.datetime | None = None) -> bool:
    return pending_at(mou.status, mou.status_updated_at, now)


def to_read(m: Mou) -> MouRead:
    return _read(m, [p.name for p in m.parties], m.history, m.blockers)


def _read(m: Any, parties: list[str], history: Sequence[Any], blockers: Sequence[Any]) -> MouRead:
    """An MoU as the API gives it, from its record or from a row of the same columns."""
    return MouRead(
        id=m.id, title=m.title, parties=parties, opportunity_id=m.opportunity_id,
        signed_date=m.signed_date, amount=amount_of(m), amount_inr_crore=m.amount_inr_crore, jobs=m.jobs,
        sector=m.sector_id, district=m.district, department=m.department, nodal_officer_id=m.nodal_officer_id,
        account_manager_id=m.account_manager_id, status=m.status, status_updated_at=m.status_updated_at,
        pending=pending_at(m.status, m.status_updated_at), version=m.version,
        history=[{"from": h.from_status, "to": h.to_status, "note": h.note, "at": h.changed_at.isoformat()}
                 for h in history],
        blockers=[{"id": b.id, "category": b.category, "department": b.department, "raised_on": b.raised_on,
                   "resolved_on": b.resolved_on, "description": b.description,
                   "escalation_level": shown_level(b)} for b in blockers])


_READ_COLUMNS = (Mou.id, Mou.title, Mou.opportunity_id, Mou.signed_date, Mou.amount_value, Mou.amount_currency,
                 Mou.amount_unit, Mou.amount_inr_crore, Mou.jobs, Mou.sector_id, Mou.district, Mou.department,
                 Mou.nodal_officer_id, Mou.account_manager_id, Mou.status, Mou.status_updated_at, Mou.version)


def _snapshot(m: Mou) -> dict[str, object]:
    return audit.snapshot(m, extra={"party_ids": [p.id for p in m.parties]})


def scope_of(actor: Actor) -> ColumnElement[bool] | None:
    """Nodal officers see the MoUs of their districts or departments only."""
    if actor.has(Perm.read_all_mous):
        return None
    return or_(Mou.district.in_(actor.districts or ("",)), Mou.department.in_(actor.departments or ("",)))


def scoped(stmt: Select[Any], actor: Actor) -> Select[Any]:
    """A query over MoUs (or joined to them) narrowed to the actor's scope."""
    scope = scope_of(actor)
    return stmt if scope is None else stmt.where(scope)


def assign(session: Session, mou: Mou) -> None:
    """Large MoUs get an account manager (the manager with the fewest); the rest the district's nodal officer."""
    large = (mou.amount_inr_crore or 0) > get_settings().large_mou_crore
    if large and mou.account_manager_id is None:
        load = select(User.id, func.count(Mou.id).label("n")).outerjoin(
            Mou, Mou.account_manager_id == User.id).where(User.role == Role.manager, User.is_active.is_(True)
                                                          ).group_by(User.id).order_by("n", User.id)
        row = session.execute(load).first()
        mou.account_manager_id = row[0] if row else None
    if not large and mou.nodal_officer_id is None and mou.district:
        mou.nodal_officer_id = nodal_officers(session).get(mou.district)


def nodal_officers(session: Session) -> dict[str, int]:
    """District -> the nodal officer who follows its MoUs up: the first active one (by id) who has it."""
    out: dict[str, int] = {}
    for uid, districts in session.execute(select(User.id, User.districts).where(
            User.role == Role.nodal_officer, User.is_active.is_(True)).order_by(User.id)):
        for district in districts or []:
            out.setdefault(district, uid)
    return out


def create(session: Session, *, actor: Actor, data: MouCreate) -> Mou:
    """Record a signed MoU, normalise its value and assign who follows it up."""
    require(actor, Perm.write_mous)
    if data.opportunity_id is not None:
        load_all(session, Opportunity, [data.opportunity_id], "opportunity_id")
    sector = sectors.resolve(session, [data.sector], field="sector") if data.sector else []
    mou = Mou(title=data.title, opportunity_id=data.opportunity_id, signed_date=data.signed_date, jobs=data.jobs,
              sector_id=sector[0].id if sector else None, district=places.district(data.district),
              department=data.department, nodal_officer_id=data.nodal_officer_id,
              account_manager_id=data.account_manager_id,
              assignment_overridden=data.nodal_officer_id is not None or data.account_manager_id is not None,
              **amount_columns(data.amount), notes=data.notes, history=[],
              parties=load_all(session, Organization, data.party_ids, "party_ids"),
              blockers=[])
    # The first entry is dated on the day of signing, so the history reads in the order things happened.
    signed_at = dt.datetime.combine(data.signed_date, dt.time(), tzinfo=dt.UTC) if data.signed_date else utcnow()
    mou.history.append(MouStatusChange(from_status=None, to_status=MouStatus.signed, note="MoU signed",
                                       changed_at=min(signed_at, utcnow()), changed_by_id=actor.id))
    assign(session, mou)
    session.add(mou)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="mou", entity_id=mou.id, after=_snapshot(mou),
                 summary=f"recorded MoU {mou.title}")
    if mou.opportunity_id is not None:
        pipeline.mou_signed(session, actor=actor, opportunity_id=mou.opportunity_id, mou_title=mou.title)
    return mou


def update(session: Session, *, actor: Actor, mou_id: int, data: MouUpdate) -> Mou:
    """Change the fields given; naming a nodal officer or account manager overrides the assignment by size,
    and a change of value or district re-runs it unless it was overridden. A stale ``version`` is a conflict."""
    require(actor, Perm.write_mous)
    mou = get(session, actor=actor, mou_id=mou_id)
    forced = check_version(mou, data.version, "MoU", force=data.force)
    refuse_nulls(data, ("title", "notes"))
    given = data.model_fields_set
    if data.reference and session.scalar(select(Mou.id).where(Mou.reference == data.reference, Mou.id != mou.id)):
        raise Conflict(_('reference: another MoU already has the reference %(reference)s',
                         reference=repr(data.reference)), field="reference")
    for field in ("nodal_officer_id", "account_manager_id"):
        if field in given and getattr(data, field) is not None:
            load_all(session, User, [getattr(data, field)], field)
    before = _snapshot(mou)
    apply_update(mou, data, skip={"amount", "sector", "district", "party_ids"})
    update_amount_and_district(mou, given, data.amount, data.district)
    if "sector" in given:
        found = sectors.resolve(session, [data.sector], field="sector") if data.sector else []
        mou.sector_id = found[0].id if found else None
    if data.party_ids is not None:
        mou.parties = load_all(session, Organization, data.party_ids, "party_ids")
    if given & {"nodal_officer_id", "account_manager_id"}:
        mou.assignment_overridden = True
    elif given & {"amount", "district"} and not mou.assignment_overridden:
        mou.nodal_officer_id = mou.account_manager_id = None
        assign(session, mou)
    flush_or_conflict(session, "MoU", mou.id)
    audit.record(session, actor=actor, action="update", entity_type="mou", entity_id=mou.id, before=before,
                 after=_snapshot(mou), summary=f"updated MoU {mou.title}{forced}")
    return mou


def get(session: Session, *, actor: Actor, mou_id: int) -> Mou:
    """One MoU (within the actor's scope) with parties, history and blockers."""
    require(actor, Perm.read)
    mou = session.scalar(scoped(select(Mou).options(*_LOAD).where(Mou.id == mou_id), actor))
    if mou is None:
        raise NotFound(_('MoU %(mou_id)s not found', mou_id=mou_id), field="mou_id")
    return mou


def of_opportunity(session: Session, *, actor: Actor, opportunity_id: int) -> list[Mou]:
    """The MoUs that came from a lead, within the actor's scope, oldest first."""
    require(actor, Perm.read)
    stmt = scoped(select(Mou).where(Mou.opportunity_id == opportunity_id).order_by(Mou.id), actor)
    return list(session.scalars(stmt))


def update_status(session: Session, *, actor: Actor, mou_id: int, data: StatusUpdate,
                  at: dt.datetime | None = None) -> Mou:
    """Record the implementation status; the previous one stays in the dated history."""
    require(actor, Perm.update_mou_status)
    mou = get(session, actor=actor, mou_id=mou_id)
    forced = check_version(mou, data.version, "MoU", force=data.force)
    before = _snapshot(mou)
    when = at or utcnow()
    mou.history.append(MouStatusChange(from_status=mou.status, to_status=data.status, note=data.note,
                                       changed_at=when, changed_by_id=actor.id))
    mou.status, mou.status_updated_at = data.status, when
    flush_or_conflict(session, "MoU", mou.id)
    audit.record(session, actor=actor, action="status", entity_type="mou", entity_id=mou.id, before=before,
                 after=_snapshot(mou), summary=f"MoU {mou.title}: {data.status.value}{forced}")
    return mou


def filtered(actor: Actor, flt: MouFilter, *, related: bool = True) -> Select[Mou]:
    """The filter's MoUs within the actor's scope, newest signing first; ``related=False`` loads none of their
    related rows."""
    stmt = scoped(select(Mou).options(*(_LOAD if related else ())), actor)
    if flt.q:
        stmt = stmt.where(Mou.title.ilike(f"%{flt.q.strip()}%"))
    if flt.status:
        stmt = stmt.where(Mou.status == flt.status)
    if flt.district:
        stmt = stmt.where(Mou.district == places.district(flt.district))
    if flt.department:
        stmt = stmt.where(Mou.department == flt.department)
    if flt.sector:
        stmt = stmt.where(Mou.sector_id == flt.sector)
    if flt.pending:
        stmt = stmt.where(and_(Mou.status.not_in(CLOSED), Mou.status_updated_at < pending_cutoff()))
    return stmt.order_by(Mou.signed_date.desc().nulls_last(), Mou.id.desc())


def list_mous(session: Session, *, actor: Actor, flt: MouFilter | None = None,
              page: PageParams | None = None) -> tuple[list[Mou], int]:
    """A page of MoUs within the actor's scope, newest signing first, and the total."""
    require(actor, Perm.read)
    return paginate(session, filtered(actor, flt or MouFilter()), page or PageParams())


def list_read(session: Session, *, actor: Actor, flt: MouFilter | None = None,
              page: PageParams | None = None) -> tuple[list[MouRead], int]:
    """``list_mous`` as the API answers it: the page's columns, then its parties' names, history and blockers in
    one query each (a page of 50 MoUs without 50 ORM records and their loaded relations)."""
    require(actor, Perm.read)
    rows, total = paginate_columns(session, filtered(actor, flt or MouFilter(), related=False), _READ_COLUMNS,
                                   page or PageParams())
    ids = [r.id for r in rows]
    parties = grouped(session, select(mou_parties.c.mou_id, Organization.name)
                      .join(Organization, Organization.id == mou_parties.c.organization_id)
                      .where(mou_parties.c.mou_id.in_(ids)).order_by(mou_parties.c.mou_id, Organization.id))
    history = grouped(session, select(MouStatusChange.mou_id, MouStatusChange.from_status, MouStatusChange.to_status,
                                      MouStatusChange.note, MouStatusChange.changed_at)
                      .where(MouStatusChange.mou_id.in_(ids)).order_by(MouStatusChange.id))
    blockers = grouped(session, select(Blocker.mou_id, Blocker.id, Blocker.category, Blocker.department,
                                       Blocker.raised_on, Blocker.resolved_on, Blocker.description,
                                       Blocker.escalation_level).where(Blocker.mou_id.in_(ids)).order_by(Blocker.id))
    return [_read(r, [p.name for p in parties.get(r.id, ())], history.get(r.id, ()), blockers.get(r.id, ()))
            for r in rows], total


def first_of(session: Session, *, actor: Actor, flt: MouFilter, party_id: int | None = None,
             limit: int = 50, related: bool = True) -> list[Mou]:
    """The filter's first ``limit`` MoUs within the actor's scope (of one party, when given), newest first;
    without parties, history and blockers when ``related`` is false."""
    require(actor, Perm.read)
    stmt = filtered(actor, flt, related=related)
    if party_id is not None:
        stmt = stmt.where(Mou.parties.any(Organization.id == party_id))
    return first(session, stmt, limit)


def page_of(session: Session, selection: Select[Any], sort: Sort, params: PageParams,
            total: int | None = None) -> tuple[list[Mou], Pager]:
    """One sorted page of a ``filtered()`` selection, loading the parties only (what a list shows); ``total`` is
    the selection's count when already known (the sum of its ``pending_groups``). Of the parties only their names
    are read: a list links each by its id and name."""
    shown = lean(selection, Mou, selectinload(Mou.parties).load_only(Organization.name))
    return listing(session, shown, sort, Mou.id, params, total)


def pending_groups(session: Session, selection: Select[Any]) -> list[Any]:
    """The selection's MoUs counted by (district, nodal officer, account manager), largest group first: each row
    holds those three, the count, the value in INR crore and the oldest status update."""
    grouped = selection.order_by(None).with_only_columns(
        Mou.district, Mou.nodal_officer_id, Mou.account_manager_id, func.count(), func.sum(Mou.amount_inr_crore),
        func.min(Mou.status_updated_at)).group_by(Mou.district, Mou.nodal_officer_id, Mou.account_manager_id)
    return list(session.execute(grouped.order_by(func.count().desc(), Mou.district)).all())


EXPORT_HEADER = ["id", "reference", "title", "parties", "signed_date", "amount_value", "amount_currency",
                 "amount_unit", "amount_inr_crore", "jobs", "sector", "district", "department", "nodal_officer_id",
                 "account_manager_id", "status", "status_updated_at", "pending"]
_EXPORT_COLUMNS = (Mou.id, Mou.reference, Mou.title, Mou.signed_date, Mou.amount_value, Mou.amount_currency,
                   Mou.amount_unit, Mou.amount_inr_crore, Mou.jobs, Mou.sector_id, Mou.district, Mou.department,
                   Mou.nodal_officer_id, Mou.account_manager_id, Mou.status, Mou.status_updated_at)


def export_selection(selection: Select[Any], sort: Sort) -> Select[Any]:
    """A ``filtered()`` selection as plain columns in the list's order: a CSV of any size without ORM objects."""
    where = selection.whereclause if selection.whereclause is not None else true()
    return sort.apply(select(*_EXPORT_COLUMNS).where(where), Mou.id)


def party_names(session: Session, rows: Sequence[Any]) -> dict[int, list[str]]:
    """The party names of a batch of MoUs (rows with an ``id``): its links, then the names of those organizations
    (two key lookups; a join lets SQLite walk every organization against the whole batch)."""
    links = session.execute(select(mou_parties.c.mou_id, mou_parties.c.organization_id)
                            .where(mou_parties.c.mou_id.in_([r.id for r in rows]))).all()
    names = dict(session.execute(select(Organization.id, Organization.name)
                                 .where(Organization.id.in_({org for _, org in links}))).all())
    out: dict[int, list[str]] = {}
    for mou_id, org_id in sorted(links):
        out.setdefault(mou_id, []).append(names[org_id])
    return out


def export_row(item: tuple[Any, dict[int, list[str]]]) -> list[Any]:
    """One CSV row (EXPORT_HEADER) of an ``export_selection()`` row and its batch's ``party_names()``."""
    r, parties = item
    return [r.id, r.reference, r.title, "; ".join(parties.get(r.id, [])), r.signed_date, r.amount_value,
            r.amount_currency, r.amount_unit, r.amount_inr_crore, r.jobs, r.sector_id, r.district, r.department,
            r.nodal_officer_id, r.account_manager_id, r.status, r.status_updated_at,
            pending_at(r.status, r.status_updated_at)]
