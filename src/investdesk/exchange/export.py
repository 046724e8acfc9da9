"""The filtered lists of MoUs and leads as spreadsheet rows, streamed from the database in batches. The
headers are the importer's own field names, so an export imports again as it is."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from investdesk.exchange.schemas import Entity
from investdesk.models import Mou, Opportunity, Sector, User
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouFilter
from investdesk.paging import count, lean
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityFilter

BATCH = 1000
MOU_COLUMNS = (("ID", 8), ("Reference", 16), ("Title", 40), ("Parties", 36), ("Signed On", 12), ("Amount", 12),
               ("Currency", 9), ("Unit", 9), ("INR crore (normalised)", 14), ("Jobs", 9), ("Sector", 28),
               ("District", 16), ("Department", 24), ("Status", 20), ("Status Updated", 18), ("Nodal Officer", 26),
               ("Account Manager", 26), ("Pending", 9), ("Notes", 40))
OPPORTUNITY_COLUMNS = (("ID", 8), ("Title", 40), ("Counterpart", 32), ("Kind", 18), ("Stage", 14), ("Reason", 24),
                       ("Sectors", 28), ("Amount", 12), ("Currency", 9), ("Unit", 9), ("INR crore (normalised)", 14),
                       ("Jobs", 9), ("Country", 9), ("District", 16), ("Owner", 26), ("Next Action", 32),
                       ("Next Action Due", 14), ("Notes", 40))


@dataclass
class Export:
    entity: Entity
    header: list[str]
    widths: list[int]
    total: int
    rows: Iterator[list[Any]]
    title: str  # the sheet's name

    @property
    def stem(self) -> str:
        return "mous" if self.entity == "mou" else "opportunities"


def _lean(filtered: Select[Any], entity: Any, *options: Any) -> Select[Any]:
    """The service's selection (its filters and scope) loading only what the sheet shows, oldest first."""
    return lean(filtered, entity, *options).order_by(entity.id)


def _amount(value: Any) -> float | None:
    return None if value is None else float(value)


def export_mous(session: Session, *, actor: Actor, flt: MouFilter) -> Export:
    """The MoUs the actor may see that match the filter (a nodal officer's own districts only)."""
    require(actor, Perm.read)
    stmt = _lean(mous.filtered(actor, flt), Mou, selectinload(Mou.parties))
    sectors = dict(session.execute(select(Sector.id, Sector.name)).all())
    emails = dict(session.execute(select(User.id, User.email)).all())

    def rows() -> Iterator[list[Any]]:
        for m in session.scalars(stmt.execution_options(yield_per=BATCH)):
            yield [m.id, m.reference, m.title, "; ".join(p.name for p in m.parties), m.signed_date,
                   _amount(m.amount_value), m.amount_currency, m.amount_unit, m.amount_inr_crore, m.jobs,
                   sectors.get(m.sector_id or ""), m.district, m.department, m.status.value, m.status_updated_at,
                   emails.get(m.nodal_officer_id or 0), emails.get(m.account_manager_id or 0), mous.is_pending(m),
                   m.notes or None]

    return Export("mou", [c for c, _ in MOU_COLUMNS], [w for _, w in MOU_COLUMNS], count(session, stmt), rows(),
                  "MoUs")


def export_opportunities(session: Session, *, actor: Actor, flt: OpportunityFilter) -> Export:
    """The leads that match the filter."""
    require(actor, Perm.read)
    stmt = _lean(pipeline.filtered(flt), Opportunity, selectinload(Opportunity.counterpart),
                 selectinload(Opportunity.sectors))
    emails = dict(session.execute(select(User.id, User.email)).all())

    def rows() -> Iterator[list[Any]]:
        for o in session.scalars(stmt.execution_options(yield_per=BATCH)):
            yield [o.id, o.title, o.counterpart.name if o.counterpart else None, o.kind.value, o.stage.value,
                   o.stage_reason, "; ".join(s.name for s in o.sectors) or None, _amount(o.amount_value),
                   o.amount_currency, o.amount_unit, o.amount_inr_crore, o.jobs, o.country, o.district,
                   emails.get(o.owner_id or 0), o.next_action, o.next_action_due, o.notes or None]

    return Export("opportunity", [c for c, _ in OPPORTUNITY_COLUMNS], [w for _, w in OPPORTUNITY_COLUMNS],
                  count(session, stmt), rows(), "Leads")
