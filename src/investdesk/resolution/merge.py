"""Merging two organization records into one, and undoing it from the audit trail.

The merge moves every link of OTHER to KEEP (engagement counterparts, people, leads, MoU parties,
missions led, aliases, sectors, evidence, reviewed items), keeps OTHER's names as aliases of KEEP, fills
KEEP's empty fields from OTHER and marks OTHER ``merged_into`` KEEP. The audit row's ``after`` lists
exactly what moved, so :func:`undo_merge` can put every link back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, and_, delete, insert, select, update
from sqlalchemy.orm import Session, selectinload

from investdesk.audit import service as audit
from investdesk.errors import InvalidTransition, NotFound
from investdesk.extraction.normalize import normalize
from investdesk.i18n import _
from investdesk.models import (
    AuditEvent,
    Evidence,
    ExtractedItem,
    Mission,
    Opportunity,
    Organization,
    OrganizationAlias,
    Person,
)
from investdesk.models.engagement import engagement_counterparts
from investdesk.models.mou import mou_parties
from investdesk.models.organization import organization_sectors
from investdesk.permissions import Actor, Perm, require

FILLED = ("acronym", "country", "city", "website")
# Link tables keyed (owner, organization_id): moved row by row; a row KEEP already has is dropped.
_LINKS: dict[str, tuple[Table, str]] = {
    "engagement_counterparts": (engagement_counterparts, "engagement_id"),
    "mou_parties": (mou_parties, "mou_id"),
}
# Tables with a plain organization column: moved by id.
_COLUMNS: dict[str, tuple[Any, Any]] = {
    "people": (Person, Person.organization_id),
    "opportunities": (Opportunity, Opportunity.counterpart_id),
    "missions": (Mission, Mission.home_agency_id),
    "merged_organizations": (Organization, Organization.merged_into_id),
}


def _load(session: Session, org_id: int, field: str) -> Organization:
    org = session.scalar(select(Organization).options(selectinload(Organization.aliases),
                                                      selectinload(Organization.sectors))
                         .where(Organization.id == org_id))
    if org is None:
        raise NotFound(_('%(field)s: organization %(org_id)s not found', field=field, org_id=org_id), field=field)
    return org


def _ids(session: Session, stmt: Any) -> list[int]:
    return sorted(session.scalars(stmt))


def merge(session: Session, *, actor: Actor, keep_id: int, other_id: int) -> AuditEvent:
    """Merge organization ``other_id`` into ``keep_id``; returns the audit event that can undo it."""
    require(actor, Perm.write_records)
    if keep_id == other_id:
        raise InvalidTransition(_("an organization cannot be merged into itself"), field="other_id")
    keep = _load(session, keep_id, "keep_id")
    other = _load(session, other_id, "other_id")
    for org, field in ((keep, "keep_id"), (other, "other_id")):
        if org.merged_into_id is not None:
            raise InvalidTransition(_('%(field)s: organization %(id)s was already merged into %(merged_into_id)s',
                                      field=field, id=org.id, merged_into_id=org.merged_into_id),
                                    field=field)
    before = {"keep": audit.snapshot(keep), "other": audit.snapshot(other)}
    moved: dict[str, Any] = {}

    for name, (table, owner) in _LINKS.items():
        owners = _ids(session, select(table.c[owner]).where(table.c.organization_id == other_id))
        have = set(session.scalars(select(table.c[owner]).where(table.c.organization_id == keep_id)))
        dropped = [o for o in owners if o in have]
        moving = [o for o in owners if o not in have]
        if dropped:
            session.execute(delete(table).where(and_(table.c.organization_id == other_id,
                                                     table.c[owner].in_(dropped))))
        if moving:
            session.execute(update(table).where(and_(table.c.organization_id == other_id,
                                                     table.c[owner].in_(moving))).values(organization_id=keep_id))
        moved[name] = {"moved": moving, "dropped": dropped}

    for name, (model, column) in _COLUMNS.items():
        ids = _ids(session, select(model.id).where(column == other_id))
        if ids:
            session.execute(update(model).where(model.id.in_(ids)).values({column.key: keep_id})
                            .execution_options(synchronize_session=False))
        moved[name] = ids
    records: dict[str, tuple[Any, Any, Any]] = {
        "evidence": (Evidence, Evidence.entity_type, Evidence.entity_id),
        "extracted_items": (ExtractedItem, ExtractedItem.record_type, ExtractedItem.record_id)}
    for name, (model, kind_col, id_col) in records.items():
        ids = _ids(session, select(model.id).where(kind_col == "organization", id_col == other_id))
        if ids:
            session.execute(update(model).where(model.id.in_(ids)).values({id_col.key: keep_id}))
        moved[name] = ids

    keep_keys = {a.normalized for a in keep.aliases} | {normalize(keep.name)}
    moved_aliases, dropped_aliases = [], []
    for alias in list(other.aliases):
        if alias.normalized in keep_keys:
            dropped_aliases.append({"alias": alias.alias, "normalized": alias.normalized})
            session.delete(alias)
        else:
            moved_aliases.append(alias.id)
            keep_keys.add(alias.normalized)
    if moved_aliases:
        session.execute(update(OrganizationAlias).where(OrganizationAlias.id.in_(moved_aliases))
                        .values(organization_id=keep_id).execution_options(synchronize_session=False))
    session.flush()
    created_aliases = []
    for alias_name in (other.name, other.acronym):
        if alias_name and normalize(alias_name) not in keep_keys and alias_name != keep.acronym:
            alias = OrganizationAlias(organization_id=keep_id, alias=alias_name, normalized=normalize(alias_name))
            session.add(alias)
            session.flush()
            keep_keys.add(alias.normalized)
            created_aliases.append(alias.id)
    moved["aliases"] = {"moved": moved_aliases, "dropped": dropped_aliases, "created": created_aliases}

    keep_sectors = {s.id for s in keep.sectors}
    added_sectors = [s.id for s in other.sectors if s.id not in keep_sectors]
    if added_sectors:
        session.execute(insert(organization_sectors),
                        [{"organization_id": keep_id, "sector_id": s} for s in added_sectors])
    moved["sectors_added"] = added_sectors

    filled = {}
    for attr in FILLED:
        if getattr(keep, attr) in (None, "") and getattr(other, attr) not in (None, ""):
            filled[attr] = getattr(other, attr)
            setattr(keep, attr, getattr(other, attr))
    moved["filled"] = sorted(filled)
    other.merged_into_id = keep_id
    session.flush()
    session.expire_all()
    after = {"keep": audit.snapshot(_load(session, keep_id, "keep_id")),
             "other": audit.snapshot(_load(session, other_id, "other_id")), "moved": moved}
    event = audit.record(session, actor=actor, action="merge", entity_type="organization", entity_id=keep_id,
                         summary=f"merged organization {other_id} ({other.name}) into {keep_id} ({keep.name})")
    # Kept whole (not reduced to the changed keys): undo needs every list.
    event.before, event.after = before, after
    session.flush()
    return event


def _merge_event(session: Session, audit_event_id: int) -> AuditEvent:
    event = session.get(AuditEvent, audit_event_id)
    if event is None:
        raise NotFound(_('audit event %(audit_event_id)s not found',
                         audit_event_id=audit_event_id), field="audit_event_id")
    if event.action != "merge" or event.entity_type != "organization" or not event.after or not event.before:
        raise InvalidTransition(_('audit event %(audit_event_id)s is not an organization merge',
                                  audit_event_id=audit_event_id), field="audit_event_id")
    return event


def undo_merge(session: Session, *, actor: Actor, audit_event_id: int) -> AuditEvent:
    """Put back every link a merge moved and make the other organization live again."""
    require(actor, Perm.admin)
    event = _merge_event(session, audit_event_id)
    before_merge: dict[str, Any] = event.before or {}
    keep_id, other_id = before_merge["keep"]["id"], before_merge["other"]["id"]
    moved: dict[str, Any] = (event.after or {})["moved"]
    keep = _load(session, keep_id, "keep_id")
    other = _load(session, other_id, "other_id")
    if other.merged_into_id != keep_id:
        raise InvalidTransition(_('organization %(other_id)s is not merged into %(keep_id)s any more (merge '
                                  '%(audit_event_id)s was already undone)', other_id=other_id, keep_id=keep_id,
                                  audit_event_id=audit_event_id), field="audit_event_id")
    before = {"keep": audit.snapshot(keep), "other": audit.snapshot(other)}

    for name, (table, owner) in _LINKS.items():
        entry = moved.get(name) or {}
        if entry.get("moved"):
            session.execute(update(table).where(and_(table.c.organization_id == keep_id,
                                                     table.c[owner].in_(entry["moved"])))
                            .values(organization_id=other_id))
        if entry.get("dropped"):
            session.execute(insert(table), [{owner: o, "organization_id": other_id} for o in entry["dropped"]])
    for name, (model, column) in _COLUMNS.items():
        if moved.get(name):
            session.execute(update(model).where(model.id.in_(moved[name]), column == keep_id)
                            .values({column.key: other_id}).execution_options(synchronize_session=False))
    records: dict[str, tuple[Any, Any]] = {"evidence": (Evidence, Evidence.entity_id),
                                           "extracted_items": (ExtractedItem, ExtractedItem.record_id)}
    for name, (model, id_col) in records.items():
        if moved.get(name):
            session.execute(update(model).where(model.id.in_(moved[name])).values({id_col.key: other_id}))
    aliases = moved.get("aliases") or {}
    if aliases.get("moved"):
        session.execute(update(OrganizationAlias).where(OrganizationAlias.id.in_(aliases["moved"]))
                        .values(organization_id=other_id).execution_options(synchronize_session=False))
    if aliases.get("created"):
        session.execute(delete(OrganizationAlias).where(OrganizationAlias.id.in_(aliases["created"]))
                        .execution_options(synchronize_session=False))
    if aliases.get("dropped"):
        # Core insert: the deleted rows' objects may still sit in the identity map.
        session.execute(insert(OrganizationAlias), [
            {"organization_id": other_id, "alias": g["alias"], "normalized": g["normalized"]}
            for g in aliases["dropped"]])
    if moved.get("sectors_added"):
        session.execute(delete(organization_sectors).where(
            organization_sectors.c.organization_id == keep_id,
            organization_sectors.c.sector_id.in_(moved["sectors_added"])))
    for attr in moved.get("filled") or []:
        setattr(keep, attr, before_merge["keep"].get(attr))
    other.merged_into_id = None
    session.flush()
    session.expire_all()
    after = {"keep": audit.snapshot(_load(session, keep_id, "keep_id")),
             "other": audit.snapshot(_load(session, other_id, "other_id"))}
    undo = audit.record(session, actor=actor, action="unmerge", entity_type="organization", entity_id=keep_id,
                        summary=f"undid merge {audit_event_id}: organization {other_id} ({other.name}) "
                                f"is separate from {keep_id} again")
    undo.before, undo.after = before, {**after, "undoes": audit_event_id}
    session.flush()
    return undo
