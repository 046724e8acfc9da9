"""Default owners of new leads by sector or country, set by a manager. Nothing commits here.

A lead accepted from a document goes to the default of its sector and country, else of its sector, else of its
country; with no default it goes to the person who accepted it (see ``documents.accept``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.audit import service as audit
from investdesk.errors import ValidationFailed
from investdesk.i18n import _
from investdesk.models import LeadOwnerDefault, User
from investdesk.permissions import Actor, Perm, require
from investdesk.sectors import service as sectors
from investdesk.updates import load_all


def _key(session: Session, sector: str | None, country: str | None) -> tuple[str | None, str | None]:
    if not sector and not country:
        raise ValidationFailed(_("sector: give a sector, a country or both"), field="sector")
    sector_id = sectors.resolve(session, [sector], field="sector")[0].id if sector else None
    return sector_id, country.strip().upper() if country else None


def _find(session: Session, sector_id: str | None, country: str | None) -> LeadOwnerDefault | None:
    # Compared with IS for NULL: a unique constraint does not stop two rows that both have a NULL.
    col = LeadOwnerDefault
    same_sector = col.sector_id.is_(None) if sector_id is None else col.sector_id == sector_id
    same_country = col.country.is_(None) if country is None else col.country == country
    return session.scalar(select(col).where(same_sector, same_country))


def set_default(session: Session, *, actor: Actor, sector: str | None, country: str | None,
                owner_id: int | None) -> LeadOwnerDefault | None:
    """Name (or, with ``owner_id`` None, remove) the default owner of new leads of a sector and/or country."""
    require(actor, Perm.write_all_opportunities)
    sector_id, code = _key(session, sector, country)
    row = _find(session, sector_id, code)
    before = audit.snapshot(row) if row else None
    if owner_id is None:
        if row is not None:
            session.delete(row)
            session.flush()
            audit.record(session, actor=actor, action="delete", entity_type="lead_owner_default", entity_id=row.id,
                         before=before, summary=f"no default lead owner for {sector_id or ''} {code or ''}".strip())
        return None
    load_all(session, User, [owner_id], "owner_id")
    if row is None:
        row = LeadOwnerDefault(sector_id=sector_id, country=code, owner_id=owner_id)
        session.add(row)
    row.owner_id = owner_id
    session.flush()
    audit.record(session, actor=actor, action="update" if before else "create", entity_type="lead_owner_default",
                 entity_id=row.id, before=before, after=audit.snapshot(row),
                 summary=f"default lead owner for {sector_id or ''} {code or ''}".strip())
    return row


def list_defaults(session: Session, *, actor: Actor) -> list[LeadOwnerDefault]:
    require(actor, Perm.read)
    return list(session.scalars(select(LeadOwnerDefault).order_by(LeadOwnerDefault.id)))


def default_owner(session: Session, *, sector_ids: list[str], country: str | None) -> int | None:
    """The owner a manager named for these sectors and this country: sector and country, then sector, then
    country; None when there is no such default."""
    code = country.upper() if country else None
    rows = session.scalars(select(LeadOwnerDefault).order_by(LeadOwnerDefault.id)).all() if sector_ids or code else []
    for wanted in ((True, True), (True, False), (False, True)):
        for row in rows:
            sector_ok = row.sector_id in sector_ids if wanted[0] else row.sector_id is None
            country_ok = (code is not None and row.country == code) if wanted[1] else row.country is None
            if sector_ok and country_ok:
                return row.owner_id
    return None
