"""Engagements: meetings and visits with counterparts. Every write is audited; nothing commits here."""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from investdesk.audit import service as audit
from investdesk.engagements.schemas import EngagementCreate, EngagementFilter, EngagementRead, EngagementUpdate
from investdesk.errors import NotFound
from investdesk.extraction.normalize import normalize_org
from investdesk.i18n import _
from investdesk.models import Engagement, Mission, Organization, Person, Sector
from investdesk.paging import PageParams, count, first, paginate
from investdesk.permissions import Actor, Perm, require
from investdesk.sectors import service as sectors
from investdesk.updates import apply_update, check_version, flush_or_conflict, load_all

_LOAD = (selectinload(Engagement.counterparts), selectinload(Engagement.participants),
         selectinload(Engagement.sectors))


def to_read(e: Engagement) -> EngagementRead:
    return EngagementRead(
        id=e.id, title=e.title, mission_id=e.mission_id, date=e.date, city=e.city, country=e.country, venue=e.venue,
        counterparts=[{"id": o.id, "name": o.name} for o in e.counterparts],
        participants=[{"id": p.id, "name": p.name} for p in e.participants],
        sectors=[s.id for s in e.sectors], topics=list(e.topics or []), summary=e.summary,
        document_id=e.document_id, evidence=e.evidence, version=e.version, created_at=e.created_at)


def _snapshot(e: Engagement) -> dict[str, object]:
    return audit.snapshot(e, extra={"counterpart_ids": [o.id for o in e.counterparts],
                                    "participant_ids": [p.id for p in e.participants],
                                    "sectors": [s.id for s in e.sectors]})


def create(session: Session, *, actor: Actor, data: EngagementCreate) -> Engagement:
    """Record a meeting with its counterparts, participants and sectors."""
    require(actor, Perm.write_records)
    if data.mission_id is not None:
        load_all(session, Mission, [data.mission_id], "mission_id")
    engagement = Engagement(
        **data.model_dump(exclude={"counterpart_ids", "participant_ids", "sectors"}),
        counterparts=load_all(session, Organization, data.counterpart_ids, "counterpart_ids"),
        participants=load_all(session, Person, data.participant_ids, "participant_ids"),
        sectors=sectors.resolve(session, data.sectors))
    session.add(engagement)
    session.flush()
    label = ", ".join(o.name for o in engagement.counterparts) or engagement.title
    audit.record(session, actor=actor, action="create", entity_type="engagement", entity_id=engagement.id,
                 after=_snapshot(engagement), summary=f"recorded engagement with {label}")
    return engagement


def get(session: Session, *, actor: Actor, engagement_id: int) -> Engagement:
    """One engagement by id, with counterparts, participants and sectors."""
    require(actor, Perm.read)
    engagement = session.scalar(select(Engagement).options(*_LOAD).where(Engagement.id == engagement_id))
    if engagement is None:
        raise NotFound(_('engagement %(engagement_id)s not found', engagement_id=engagement_id), field="engagement_id")
    return engagement


def update(session: Session, *, actor: Actor, engagement_id: int, data: EngagementUpdate) -> Engagement:
    """Change the fields given; a stale ``version`` is a conflict."""
    require(actor, Perm.write_records)
    engagement = get(session, actor=actor, engagement_id=engagement_id)
    forced = check_version(engagement, data.version, "engagement", force=data.force)
    before = _snapshot(engagement)
    apply_update(engagement, data, skip={"counterpart_ids", "participant_ids", "sectors"})
    if data.counterpart_ids is not None:
        engagement.counterparts = load_all(session, Organization, data.counterpart_ids, "counterpart_ids")
    if data.participant_ids is not None:
        engagement.participants = load_all(session, Person, data.participant_ids, "participant_ids")
    if data.sectors is not None:
        engagement.sectors = sectors.resolve(session, data.sectors)
    flush_or_conflict(session, "engagement", engagement.id)
    audit.record(session, actor=actor, action="update", entity_type="engagement", entity_id=engagement.id,
                 before=before, after=_snapshot(engagement), summary=f"updated engagement {engagement.id}{forced}")
    return engagement


def filtered(flt: EngagementFilter, *, related: bool = True) -> Select[Engagement]:
    """The filter's engagements, newest first; ``related=False`` loads none of their related rows."""
    stmt = select(Engagement).options(*(_LOAD if related else ()))
    if flt.country:
        stmt = stmt.where(Engagement.country == flt.country.upper())
    if flt.city:
        stmt = stmt.where(Engagement.city.ilike(flt.city.strip()))
    if flt.sector:
        stmt = stmt.where(Engagement.sectors.any(Sector.id == flt.sector))
    if flt.organization_id is not None:
        stmt = stmt.where(Engagement.counterparts.any(Organization.id == flt.organization_id))
    if flt.person_id is not None:
        stmt = stmt.where(Engagement.participants.any(Person.id == flt.person_id))
    if flt.mission_id is not None:
        stmt = stmt.where(Engagement.mission_id == flt.mission_id)
    if flt.date_from:
        stmt = stmt.where(Engagement.date >= flt.date_from)
    if flt.date_to:
        stmt = stmt.where(Engagement.date <= flt.date_to)
    if flt.q:
        like = f"%{flt.q.strip()}%"
        stmt = stmt.where(or_(Engagement.title.ilike(like), Engagement.summary.ilike(like),
                              Engagement.venue.ilike(like),
                              Engagement.counterparts.any(Organization.normalized_name.like(
                                  f"%{normalize_org(flt.q)}%"))))
    return stmt.order_by(Engagement.date.desc().nulls_last(), Engagement.id.desc())


def list_engagements(session: Session, *, actor: Actor, flt: EngagementFilter | None = None,
                     page: PageParams | None = None) -> tuple[list[Engagement], int]:
    """A page of engagements, newest first, and the total."""
    require(actor, Perm.read)
    return paginate(session, filtered(flt or EngagementFilter()), page or PageParams())


def first_of(session: Session, *, actor: Actor, flt: EngagementFilter, limit: int = 50,
             related: bool = True) -> list[Engagement]:
    """The filter's first ``limit`` engagements, newest first (a profile's or an itinerary's meetings); without
    their counterparts, participants and sectors when ``related`` is false (a timeline shows none of them)."""
    require(actor, Perm.read)
    return first(session, filtered(flt, related=related), limit)


def count_of(session: Session, *, actor: Actor, flt: EngagementFilter) -> int:
    """How many engagements match the filter."""
    require(actor, Perm.read)
    return count(session, filtered(flt))
