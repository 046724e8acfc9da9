"""Organizations: create, read, update, list. Every write is audited; nothing commits here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from investdesk.audit import service as audit
from investdesk.errors import NotFound
from investdesk.extraction.normalize import normalize, normalize_org
from investdesk.i18n import _
from investdesk.models import Organization, OrganizationAlias, Sector
from investdesk.models.organization import organization_sectors
from investdesk.organizations.schemas import (
    OrganizationCreate,
    OrganizationFilter,
    OrganizationRead,
    OrganizationUpdate,
)
from investdesk.paging import PageParams, grouped, paginate, paginate_columns
from investdesk.permissions import Actor, Perm, require
from investdesk.sectors import service as sectors
from investdesk.updates import apply_update, check_version, flush_or_conflict

_LOAD = (selectinload(Organization.aliases), selectinload(Organization.sectors))


def to_read(org: Organization) -> OrganizationRead:
    return _read(org, [s.id for s in org.sectors], [a.alias for a in org.aliases])


def _read(org: Any, sector_ids: list[str], aliases: list[str]) -> OrganizationRead:
    """An organization as the API gives it, from its record or from a row of the same columns."""
    return OrganizationRead(
        id=org.id, name=org.name, acronym=org.acronym, kind=org.kind, country=org.country, city=org.city,
        website=org.website, name_hi=org.name_hi, sectors=sector_ids, aliases=aliases,
        notes=org.notes, version=org.version, created_at=org.created_at, updated_at=org.updated_at)


_READ_COLUMNS = (Organization.id, Organization.name, Organization.acronym, Organization.kind, Organization.country,
                 Organization.city, Organization.website, Organization.name_hi, Organization.notes,
                 Organization.version, Organization.created_at, Organization.updated_at)


def _snapshot(org: Organization) -> dict[str, object]:
    return audit.snapshot(org, extra={"sectors": [s.id for s in org.sectors],
                                      "aliases": [a.alias for a in org.aliases]})


def _set_aliases(org: Organization, aliases: list[str]) -> None:
    wanted = {normalize(a): a for a in aliases if a.strip()}
    org.aliases = [a for a in org.aliases if a.normalized in wanted]
    have = {a.normalized for a in org.aliases}
    for key, alias in wanted.items():
        if key not in have:
            org.aliases.append(OrganizationAlias(alias=alias, normalized=key))


def create(session: Session, *, actor: Actor, data: OrganizationCreate) -> Organization:
    """Create an organization with its sectors and aliases."""
    require(actor, Perm.write_records)
    org = Organization(name=data.name, normalized_name=normalize_org(data.name), acronym=data.acronym,
                       kind=data.kind, country=data.country, city=data.city, website=data.website, name_hi=data.name_hi,
                       notes=data.notes, aliases=[], sectors=sectors.resolve(session, data.sectors))
    _set_aliases(org, data.aliases)
    session.add(org)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="organization", entity_id=org.id,
                 after=_snapshot(org), summary=f"created organization {org.name}")
    return org


def get(session: Session, *, actor: Actor, organization_id: int) -> Organization:
    """One organization by id, with its aliases and sectors."""
    require(actor, Perm.read)
    org = session.scalar(select(Organization).options(*_LOAD).where(Organization.id == organization_id))
    if org is None:
        raise NotFound(_('organization %(organization_id)s not found',
                         organization_id=organization_id), field="organization_id")
    return org


def update(session: Session, *, actor: Actor, organization_id: int, data: OrganizationUpdate) -> Organization:
    """Change the fields given; a stale ``version`` is a conflict."""
    require(actor, Perm.write_records)
    org = get(session, actor=actor, organization_id=organization_id)
    forced = check_version(org, data.version, "organization", force=data.force)
    before = _snapshot(org)
    fields = apply_update(org, data, skip={"sectors", "aliases"})
    if "name" in fields:
        org.normalized_name = normalize_org(org.name)
    if data.sectors is not None:
        org.sectors = sectors.resolve(session, data.sectors)
    if data.aliases is not None:
        _set_aliases(org, data.aliases)
    flush_or_conflict(session, "organization", org.id)
    audit.record(session, actor=actor, action="update", entity_type="organization", entity_id=org.id,
                 before=before, after=_snapshot(org), summary=f"updated organization {org.name}{forced}")
    return org


def find(session: Session, *, actor: Actor, organization_id: int | None) -> Organization | None:
    """The organization a filter names, or None (none named, or a stale link to one that is gone)."""
    require(actor, Perm.read)
    return session.get(Organization, organization_id) if organization_id is not None else None


def options(session: Session, limit: int = 2000) -> list[tuple[int, str]]:
    """(id, name) of organizations for a picker, by name; beyond a few thousand the form takes an id instead."""
    rows = session.execute(select(Organization.id, Organization.name).where(Organization.merged_into_id.is_(None))
                           .order_by(Organization.name).limit(limit))
    return [(oid, name) for oid, name in rows]


def filtered(flt: OrganizationFilter) -> Select[Organization]:
    stmt = select(Organization).options(*_LOAD).where(Organization.merged_into_id.is_(None))
    if flt.country:
        stmt = stmt.where(Organization.country == flt.country.upper())
    if flt.kind:
        stmt = stmt.where(Organization.kind == flt.kind)
    if flt.sector:
        stmt = stmt.where(Organization.sectors.any(Sector.id == flt.sector))
    if flt.q:
        like = f"%{flt.q.strip().lower()}%"
        stmt = stmt.where(or_(Organization.normalized_name.like(f"%{normalize_org(flt.q)}%"),
                              Organization.name.ilike(like), Organization.acronym.ilike(like),
                              Organization.aliases.any(OrganizationAlias.normalized.like(f"%{normalize(flt.q)}%"))))
    return stmt.order_by(Organization.name, Organization.id)


def list_organizations(session: Session, *, actor: Actor, flt: OrganizationFilter | None = None,
                       page: PageParams | None = None) -> tuple[list[Organization], int]:
    """A page of organizations matching the filter, and the total."""
    require(actor, Perm.read)
    return paginate(session, filtered(flt or OrganizationFilter()), page or PageParams())


def list_read(session: Session, *, actor: Actor, flt: OrganizationFilter | None = None,
              page: PageParams | None = None) -> tuple[list[OrganizationRead], int]:
    """``list_organizations`` as the API answers it: the page's columns, then its sectors and aliases in one query
    each (no ORM record per organization)."""
    require(actor, Perm.read)
    rows, total = paginate_columns(session, filtered(flt or OrganizationFilter()), _READ_COLUMNS,
                                   page or PageParams())
    ids = [r.id for r in rows]
    sector_ids = grouped(session, select(organization_sectors.c.organization_id, organization_sectors.c.sector_id)
                         .where(organization_sectors.c.organization_id.in_(ids))
                         .order_by(organization_sectors.c.organization_id, organization_sectors.c.sector_id))
    aliases = grouped(session, select(OrganizationAlias.organization_id, OrganizationAlias.alias)
                      .where(OrganizationAlias.organization_id.in_(ids)).order_by(OrganizationAlias.id))
    return [_read(r, [s.sector_id for s in sector_ids.get(r.id, ())], [a.alias for a in aliases.get(r.id, ())])
            for r in rows], total
