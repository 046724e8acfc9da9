"""Leads: create, read, list, and move through the stages with dated history. Nothing commits here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, true, union_all
from sqlalchemy.orm import Session, selectinload

from investdesk import places
from investdesk.audit import service as audit
from investdesk.db import utcnow
from investdesk.errors import Conflict, InvalidTransition, NotFound, PermissionDenied
from investdesk.i18n import _
from investdesk.models import Mou, Opportunity, OpportunityStageChange, Organization, Sector, User
from investdesk.models.enums import OpportunityStage
from investdesk.models.pipeline import opportunity_sectors
from investdesk.paging import (
    PageParams,
    Pager,
    Sort,
    count,
    first,
    grouped,
    lean,
    listing,
    paginate,
    paginate_columns,
)
from investdesk.permissions import Actor, Perm, can, require
from investdesk.pipeline.schemas import (
    OpportunityCreate,
    OpportunityFilter,
    OpportunityRead,
    OpportunityUpdate,
    StageMove,
    amount_columns,
    amount_of,
    update_amount_and_district,
)
from investdesk.sectors import service as sectors
from investdesk.updates import apply_update, check_version, flush_or_conflict, load_all, refuse_nulls

_LOAD = (selectinload(Opportunity.counterpart), selectinload(Opportunity.sectors), selectinload(Opportunity.history))
NEEDS_REASON = {OpportunityStage.on_hold, OpportunityStage.dropped}
# The stages a lead goes through in order; on hold and dropped lie off this line.
MAIN_LINE = (OpportunityStage.identified, OpportunityStage.engaged, OpportunityStage.interested,
             OpportunityStage.mou_signed, OpportunityStage.grounded)
OPEN = MAIN_LINE[:3]


def to_read(o: Opportunity) -> OpportunityRead:
    return _read(o, o.counterpart.name if o.counterpart else None, [s.id for s in o.sectors], o.history)


def _read(o: Any, counterpart: str | None, sector_ids: list[str], history: Sequence[Any]) -> OpportunityRead:
    """A lead as the API gives it, from its record or from a row of the same columns."""
    return OpportunityRead(
        id=o.id, title=o.title, counterpart_id=o.counterpart_id, counterpart=counterpart, kind=o.kind,
        stage=o.stage, stage_reason=o.stage_reason, sectors=sector_ids, amount=amount_of(o),
        amount_inr_crore=o.amount_inr_crore, amount_usd_million=o.amount_usd_million, jobs=o.jobs,
        country=o.country, district=o.district, owner_id=o.owner_id, next_action=o.next_action,
        next_action_due=o.next_action_due, version=o.version,
        history=[{"from": h.from_stage, "to": h.to_stage, "reason": h.reason, "at": h.changed_at.isoformat()}
                 for h in history])


_READ_COLUMNS = (Opportunity.id, Opportunity.title, Opportunity.counterpart_id, Opportunity.kind, Opportunity.stage,
                 Opportunity.stage_reason, Opportunity.amount_value, Opportunity.amount_currency,
                 Opportunity.amount_unit, Opportunity.amount_inr_crore, Opportunity.amount_usd_million,
                 Opportunity.jobs, Opportunity.country, Opportunity.district, Opportunity.owner_id,
                 Opportunity.next_action, Opportunity.next_action_due, Opportunity.version,
                 select(Organization.name).where(Organization.id == Opportunity.counterpart_id)
                 .scalar_subquery().label("counterpart"))


def _snapshot(o: Opportunity) -> dict[str, object]:
    return audit.snapshot(o, extra={"sectors": [s.id for s in o.sectors]})


def create(session: Session, *, actor: Actor, data: OpportunityCreate,
           columns: dict[str, Any] | None = None) -> Opportunity:
    """Create a lead; its first stage is recorded in the history. ``columns`` sets fields the form has
    not (an enquiry's clock), so they are in the same insert and audit row."""
    require(actor, Perm.write_opportunities)
    if data.stage in NEEDS_REASON and not data.stage_reason:
        raise InvalidTransition(_('stage_reason: a lead %(stage)s needs a reason',
                                  stage=data.stage.value), field="stage_reason")
    if data.counterpart_id is not None:
        load_all(session, Organization, [data.counterpart_id], "counterpart_id")
    opp = Opportunity(
        **data.model_dump(exclude={"amount", "sectors", "district", "country"}), **amount_columns(data.amount),
        country=data.country.upper() if data.country else None, district=places.district(data.district),
        sectors=sectors.resolve(session, data.sectors), history=[], **(columns or {}))
    opp.history.append(OpportunityStageChange(from_stage=None, to_stage=data.stage, reason=data.stage_reason,
                                              changed_by_id=actor.id))
    session.add(opp)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="opportunity", entity_id=opp.id,
                 after=_snapshot(opp), summary=f"created lead {opp.title}")
    session.refresh(opp, ["counterpart"])
    return opp


def get(session: Session, *, actor: Actor, opportunity_id: int) -> Opportunity:
    """One lead with its counterpart, sectors and stage history."""
    require(actor, Perm.read)
    opp = session.scalar(select(Opportunity).options(*_LOAD).where(Opportunity.id == opportunity_id))
    if opp is None:
        raise NotFound(_('opportunity %(opportunity_id)s not found',
                         opportunity_id=opportunity_id), field="opportunity_id")
    return opp


def may_change(actor: Actor, opp: Opportunity, what: str) -> None:
    decision = can(actor, "move_lead" if what == "move" else "edit_lead", opp)
    if not decision:
        raise PermissionDenied(_('%(label)s may %(what)s only the leads they own (lead %(id)s): %(reason)s',
                                 label=actor.label, what=what, id=opp.id, reason=decision.reason))


def claim(session: Session, *, actor: Actor, opportunity_id: int, version: int | None,
          force: bool = False) -> Opportunity:
    """Take an unowned lead: the actor becomes its owner. A lead someone owns is not taken over here."""
    require(actor, Perm.write_opportunities)
    opp = get(session, actor=actor, opportunity_id=opportunity_id)
    decision = can(actor, "claim_lead", opp)
    if not decision:
        raise Conflict(_('opportunity %(id)s: %(reason)s', id=opp.id,
                         reason=decision.reason)) if opp.owner_id is not None \
            else PermissionDenied(_('%(label)s may not claim lead %(id)s: %(reason)s', label=actor.label, id=opp.id,
                                    reason=decision.reason))
    forced = check_version(opp, version, "opportunity", force=force)
    before = _snapshot(opp)
    opp.owner_id = actor.id
    flush_or_conflict(session, "opportunity", opp.id)
    audit.record(session, actor=actor, action="claim", entity_type="opportunity", entity_id=opp.id,
                 before=before, after=_snapshot(opp), summary=f"claimed lead {opp.title}{forced}")
    return opp


def update(session: Session, *, actor: Actor, opportunity_id: int, data: OpportunityUpdate) -> Opportunity:
    """Change the fields given (next action, owner, amount...); a stale ``version`` is a conflict."""
    require(actor, Perm.write_opportunities)
    opp = get(session, actor=actor, opportunity_id=opportunity_id)
    may_change(actor, opp, "edit")
    forced = check_version(opp, data.version, "opportunity", force=data.force)
    refuse_nulls(data, ("title", "kind", "notes"))
    given = data.model_fields_set
    if "counterpart_id" in given and data.counterpart_id is not None:
        load_all(session, Organization, [data.counterpart_id], "counterpart_id")
    if "owner_id" in given and data.owner_id is not None:
        load_all(session, User, [data.owner_id], "owner_id")
    before = _snapshot(opp)
    apply_update(opp, data, skip={"amount", "sectors", "district", "country"})
    update_amount_and_district(opp, given, data.amount, data.district)
    if "country" in given:
        opp.country = data.country.upper() if data.country else None
    if data.sectors is not None:
        opp.sectors = sectors.resolve(session, data.sectors)
    flush_or_conflict(session, "opportunity", opp.id)
    audit.record(session, actor=actor, action="update", entity_type="opportunity", entity_id=opp.id,
                 before=before, after=_snapshot(opp), summary=f"updated lead {opp.title}{forced}")
    session.refresh(opp, ["counterpart"])
    return opp


def move(session: Session, *, actor: Actor, opportunity_id: int, data: StageMove) -> Opportunity:
    """Move a lead to another stage; the rules of the trade are checked and the change is dated."""
    require(actor, Perm.write_opportunities)
    opp = get(session, actor=actor, opportunity_id=opportunity_id)
    may_change(actor, opp, "move")
    forced = check_version(opp, data.version, "opportunity", force=data.force)
    if data.to_stage == opp.stage:
        raise InvalidTransition(_('to_stage: opportunity %(id)s is already %(stage)s', id=opp.id,
                                  stage=opp.stage.value), field="to_stage")
    if data.to_stage in NEEDS_REASON and not data.reason:
        raise InvalidTransition(_('reason: moving a lead to %(to_stage)s needs a reason',
                                  to_stage=data.to_stage.value), field="reason")
    if data.to_stage is OpportunityStage.grounded and session.scalar(
            select(Mou.id).where(Mou.opportunity_id == opp.id, Mou.signed_date.is_not(None))) is None:
        raise InvalidTransition(_('to_stage: opportunity %(id)s has no signed MoU, so it cannot be grounded',
                                  id=opp.id),
                                field="to_stage")
    before = _snapshot(opp)
    opp.history.append(OpportunityStageChange(from_stage=opp.stage, to_stage=data.to_stage, reason=data.reason,
                                              changed_by_id=actor.id))
    opp.stage, opp.stage_reason, opp.stage_changed_at = data.to_stage, data.reason, utcnow()
    flush_or_conflict(session, "opportunity", opp.id)
    audit.record(session, actor=actor, action="move", entity_type="opportunity", entity_id=opp.id, before=before,
                 after=_snapshot(opp), summary=f"moved lead {opp.title} to {data.to_stage.value}{forced}")
    return opp


def mou_signed(session: Session, *, actor: Actor, opportunity_id: int, mou_title: str) -> None:
    """An MoU registered for a lead moves the lead to ``mou_signed`` (a lead already there or grounded stays).

    Called by the MoU service inside the same transaction; whoever may register an MoU may move the lead."""
    opp = get(session, actor=actor, opportunity_id=opportunity_id)
    if opp.stage in (OpportunityStage.mou_signed, OpportunityStage.grounded):
        return
    before = _snapshot(opp)
    reason = f"MoU registered: {mou_title}"[:2000]
    opp.history.append(OpportunityStageChange(from_stage=opp.stage, to_stage=OpportunityStage.mou_signed,
                                              reason=reason, changed_by_id=actor.id))
    opp.stage, opp.stage_reason, opp.stage_changed_at = OpportunityStage.mou_signed, None, utcnow()
    flush_or_conflict(session, "opportunity", opp.id)
    audit.record(session, actor=actor, action="move", entity_type="opportunity", entity_id=opp.id, before=before,
                 after=_snapshot(opp), summary=f"moved lead {opp.title} to mou_signed ({reason})")


def filtered(flt: OpportunityFilter, *, related: bool = True) -> Select[Opportunity]:
    """The filter's leads, newest first; ``related=False`` loads none of their related rows."""
    stmt = select(Opportunity).options(*(_LOAD if related else ()))
    if flt.q:
        stmt = stmt.where(Opportunity.title.ilike(f"%{flt.q.strip()}%"))
    if flt.stage:
        stmt = stmt.where(Opportunity.stage == flt.stage)
    if flt.sector:
        stmt = stmt.where(Opportunity.sectors.any(Sector.id == flt.sector))
    if flt.district:
        stmt = stmt.where(Opportunity.district == places.district(flt.district))
    if flt.country:
        stmt = stmt.where(Opportunity.country == flt.country.upper())
    if flt.owner_id is not None:
        stmt = stmt.where(Opportunity.owner_id == flt.owner_id)
    if flt.counterpart_id is not None:
        stmt = stmt.where(Opportunity.counterpart_id == flt.counterpart_id)
    return stmt.order_by(Opportunity.id.desc())


def list_opportunities(session: Session, *, actor: Actor, flt: OpportunityFilter | None = None,
                       page: PageParams | None = None) -> tuple[list[Opportunity], int]:
    """A page of leads, newest first, and the total."""
    require(actor, Perm.read)
    return paginate(session, filtered(flt or OpportunityFilter()), page or PageParams())


def list_read(session: Session, *, actor: Actor, flt: OpportunityFilter | None = None,
              page: PageParams | None = None) -> tuple[list[OpportunityRead], int]:
    """``list_opportunities`` as the API answers it: the page's columns, then its sectors and history in one
    query each (a page of 50 leads without 50 ORM records and their loaded relations)."""
    require(actor, Perm.read)
    rows, total = paginate_columns(session, filtered(flt or OpportunityFilter(), related=False), _READ_COLUMNS,
                                   page or PageParams())
    ids = [r.id for r in rows]
    sector_ids = grouped(session, select(opportunity_sectors.c.opportunity_id, opportunity_sectors.c.sector_id)
                         .where(opportunity_sectors.c.opportunity_id.in_(ids))
                         .order_by(opportunity_sectors.c.opportunity_id, opportunity_sectors.c.sector_id))
    history = grouped(session, select(OpportunityStageChange.opportunity_id, OpportunityStageChange.from_stage,
                                      OpportunityStageChange.to_stage, OpportunityStageChange.reason,
                                      OpportunityStageChange.changed_at)
                      .where(OpportunityStageChange.opportunity_id.in_(ids)).order_by(OpportunityStageChange.id))
    return [_read(r, r.counterpart, [s.sector_id for s in sector_ids.get(r.id, ())], history.get(r.id, ()))
            for r in rows], total


def first_of(session: Session, *, actor: Actor, flt: OpportunityFilter, limit: int = 50,
             related: bool = True) -> list[Opportunity]:
    """The filter's first ``limit`` leads, newest first; without counterpart, sectors and history when
    ``related`` is false."""
    require(actor, Perm.read)
    return first(session, filtered(flt, related=related), limit)


def count_of(session: Session, *, actor: Actor, flt: OpportunityFilter) -> int:
    """How many leads match the filter."""
    require(actor, Perm.read)
    return count(session, filtered(flt, related=False))


def find(session: Session, *, actor: Actor, opportunity_id: int | None) -> Opportunity | None:
    """The lead a page links to, or None when there is none (or it is gone)."""
    require(actor, Perm.read)
    return session.get(Opportunity, opportunity_id) if opportunity_id is not None else None


def page_of(session: Session, selection: Select[Any], sort: Sort,
            params: PageParams) -> tuple[list[Opportunity], Pager]:
    """One sorted page of a ``filtered()`` selection, loading the counterpart's name and the sectors (what a list
    shows)."""
    shown = lean(selection, Opportunity, selectinload(Opportunity.counterpart).load_only(Organization.name),
                 selectinload(Opportunity.sectors))
    return listing(session, shown, sort, Opportunity.id, params)


@dataclass
class BoardColumn:
    stage: OpportunityStage
    count: int
    value: Any  # INR crore, None when no lead of the stage has an amount
    cards: list[Opportunity]


def board(session: Session, *, actor: Actor, flt: OpportunityFilter, cards: int = 25) -> list[BoardColumn]:
    """Each stage's count and value (one grouped query) and its most recent cards (one query: each stage's
    newest ``cards`` ids, read from the stage index, in a union); the filter's stage is ignored, since every
    stage is a column."""
    require(actor, Perm.read)
    base = lean(filtered(flt.model_copy(update={"stage": None})), Opportunity)
    # The filter's own WHERE, grouped: with no filter it reads the (stage, amount) index only.
    grouped = base.with_only_columns(Opportunity.stage, func.count(), func.sum(Opportunity.amount_inr_crore)) \
        .group_by(Opportunity.stage)
    totals = {stage: (n, value) for stage, n, value in session.execute(grouped)}
    newest = [select(base.with_only_columns(Opportunity.id).where(Opportunity.stage == stage)
                     .order_by(Opportunity.id.desc()).limit(cards).subquery())
              for stage in OpportunityStage if totals.get(stage, (0, None))[0]]
    shown: dict[OpportunityStage, list[Opportunity]] = {}
    if newest:
        for opp in session.scalars(select(Opportunity).options(selectinload(Opportunity.counterpart))
                                   .where(Opportunity.id.in_(union_all(*newest))).order_by(Opportunity.id.desc())):
            shown.setdefault(opp.stage, []).append(opp)
    columns: list[BoardColumn] = []
    for stage in OpportunityStage:
        n, value = totals.get(stage, (0, None))
        columns.append(BoardColumn(stage=stage, count=n, value=value, cards=shown.get(stage, [])))
    return columns


EXPORT_HEADER = ["id", "title", "counterpart", "kind", "stage", "sectors", "amount_value", "amount_currency",
                 "amount_unit", "amount_inr_crore", "jobs", "country", "district", "owner_id", "next_action",
                 "next_action_due"]
_EXPORT_COLUMNS = (Opportunity.id, Opportunity.title, Organization.name.label("counterpart"), Opportunity.kind,
                   Opportunity.stage, Opportunity.amount_value, Opportunity.amount_currency, Opportunity.amount_unit,
                   Opportunity.amount_inr_crore, Opportunity.jobs, Opportunity.country, Opportunity.district,
                   Opportunity.owner_id, Opportunity.next_action, Opportunity.next_action_due)


def export_selection(selection: Select[Any], sort: Sort) -> Select[Any]:
    """A ``filtered()`` selection as plain columns (the counterpart's name joined) in the list's order."""
    where = selection.whereclause if selection.whereclause is not None else true()
    return sort.apply(select(*_EXPORT_COLUMNS).select_from(Opportunity)
                      .outerjoin(Organization, Organization.id == Opportunity.counterpart_id).where(where),
                      Opportunity.id)


def sector_ids(session: Session, rows: Sequence[Any]) -> dict[int, list[str]]:
    """The sector ids of a batch of leads (rows with an ``id``), in one query."""
    out: dict[int, list[str]] = {}
    link = opportunity_sectors.c
    for opp_id, sector_id in session.execute(select(link.opportunity_id, link.sector_id)
                                             .where(link.opportunity_id.in_([r.id for r in rows]))):
        out.setdefault(opp_id, []).append(sector_id)
    return out


def export_row(item: tuple[Any, dict[int, list[str]]]) -> list[Any]:
    """One CSV row (EXPORT_HEADER) of an ``export_selection()`` row and its batch's ``sector_ids()``."""
    r, sectors_of = item
    return [r.id, r.title, r.counterpart, r.kind, r.stage, "; ".join(sorted(sectors_of.get(r.id, []))),
            r.amount_value, r.amount_currency, r.amount_unit, r.amount_inr_crore, r.jobs, r.country, r.district,
            r.owner_id, r.next_action, r.next_action_due]
