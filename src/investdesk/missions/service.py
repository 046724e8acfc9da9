"""Missions: delegations and roadshows. Every write is audited; nothing commits here."""

from __future__ import annotations

from sqlalchemy import Select, String, cast, func, select
from sqlalchemy.orm import Session, selectinload

from investdesk.audit import service as audit
from investdesk.errors import NotFound, ValidationFailed
from investdesk.i18n import _
from investdesk.missions.schemas import MissionCreate, MissionFilter, MissionRead, MissionUpdate
from investdesk.models import Mission, Organization, Person
from investdesk.models.mission import mission_delegates
from investdesk.paging import PageParams, Pager, Sort, lean, listing, paginate
from investdesk.permissions import Actor, Perm, require
from investdesk.updates import apply_update, check_version, flush_or_conflict, load_all

_LOAD = (selectinload(Mission.delegates), selectinload(Mission.home_agency))


def to_read(m: Mission) -> MissionRead:
    return MissionRead(
        id=m.id, name=m.name, home_jurisdiction=m.home_jurisdiction, home_agency_id=m.home_agency_id,
        countries=list(m.countries or []), cities=list(m.cities or []), start_date=m.start_date, end_date=m.end_date,
        delegates=[{"id": p.id, "name": p.name, "titles": list(p.titles or [])} for p in m.delegates],
        document_id=m.document_id, notes=m.notes, version=m.version, created_at=m.created_at)


def _snapshot(m: Mission) -> dict[str, object]:
    return audit.snapshot(m, extra={"delegate_ids": [p.id for p in m.delegates]})


def create(session: Session, *, actor: Actor, data: MissionCreate) -> Mission:
    """Create a mission with its delegates."""
    require(actor, Perm.write_records)
    if data.home_agency_id is not None:
        load_all(session, Organization, [data.home_agency_id], "home_agency_id")
    mission = Mission(**data.model_dump(exclude={"delegate_ids"}),
                      delegates=load_all(session, Person, data.delegate_ids, "delegate_ids"))
    session.add(mission)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="mission", entity_id=mission.id,
                 after=_snapshot(mission), summary=f"created mission {mission.name}")
    return mission


def get(session: Session, *, actor: Actor, mission_id: int) -> Mission:
    """One mission by id, with delegates and home agency."""
    require(actor, Perm.read)
    mission = session.scalar(select(Mission).options(*_LOAD).where(Mission.id == mission_id))
    if mission is None:
        raise NotFound(_('mission %(mission_id)s not found', mission_id=mission_id), field="mission_id")
    return mission


def update(session: Session, *, actor: Actor, mission_id: int, data: MissionUpdate) -> Mission:
    """Change the fields given; a stale ``version`` is a conflict."""
    require(actor, Perm.write_records)
    mission = get(session, actor=actor, mission_id=mission_id)
    forced = check_version(mission, data.version, "mission", force=data.force)
    before = _snapshot(mission)
    apply_update(mission, data, skip={"delegate_ids"})
    if mission.start_date and mission.end_date and mission.end_date < mission.start_date:
        raise ValidationFailed(_("end_date: %(end)s is before start_date %(start)s", end=mission.end_date,
                                 start=mission.start_date), field="end_date")
    if data.delegate_ids is not None:
        mission.delegates = load_all(session, Person, data.delegate_ids, "delegate_ids")
    flush_or_conflict(session, "mission", mission.id)
    audit.record(session, actor=actor, action="update", entity_type="mission", entity_id=mission.id,
                 before=before, after=_snapshot(mission), summary=f"updated mission {mission.name}{forced}")
    return mission


def add_delegates(session: Session, *, actor: Actor, mission_id: int, person_ids: list[int]) -> Mission:
    """Add people to a mission's delegation (those already in it are left as they are)."""
    mission = get(session, actor=actor, mission_id=mission_id)
    have = {p.id for p in mission.delegates}
    new_ids = [pid for pid in person_ids if pid not in have]
    if new_ids:
        update(session, actor=actor, mission_id=mission_id,
               data=MissionUpdate(delegate_ids=sorted(have | set(new_ids)), version=mission.version))
    return mission


def filtered(flt: MissionFilter) -> Select[Mission]:
    stmt = select(Mission).options(*_LOAD)
    if flt.q:
        stmt = stmt.where(Mission.name.ilike(f"%{flt.q.strip()}%"))
    if flt.country:
        # Countries are a short JSON list; a LIKE on its text form works on SQLite and PostgreSQL alike.
        stmt = stmt.where(cast(Mission.countries, String).like(f'%"{flt.country.upper()}"%'))
    return stmt.order_by(Mission.start_date.desc().nulls_last(), Mission.id.desc())


def page_of(session: Session, selection: Select[Mission], sort: Sort,
            params: PageParams) -> tuple[list[Mission], Pager, dict[int, int]]:
    """One sorted page of a ``filtered()`` selection as the list shows it: each mission with its home agency, and
    the number of its delegates by mission (counted in SQL, not loaded)."""
    rows, pager = listing(session, lean(selection, Mission, selectinload(Mission.home_agency)), sort, Mission.id,
                          params)
    counts: dict[int, int] = {}
    if rows:
        counted = session.execute(select(mission_delegates.c.mission_id, func.count())
                                  .where(mission_delegates.c.mission_id.in_([m.id for m in rows]))
                                  .group_by(mission_delegates.c.mission_id))
        counts = {mission_id: n for mission_id, n in counted}
    return rows, pager, counts


def list_missions(session: Session, *, actor: Actor, flt: MissionFilter | None = None,
                  page: PageParams | None = None) -> tuple[list[Mission], int]:
    """A page of missions, newest first."""
    require(actor, Perm.read)
    return paginate(session, filtered(flt or MissionFilter()), page or PageParams())


def of_delegate(session: Session, *, actor: Actor, person_id: int) -> list[Mission]:
    """The missions a person travelled with, latest first."""
    require(actor, Perm.read)
    delegations = select(mission_delegates.c.mission_id).where(mission_delegates.c.person_id == person_id)
    return list(session.scalars(select(Mission).options(selectinload(Mission.home_agency))
                                .where(Mission.id.in_(delegations)).order_by(Mission.start_date.desc().nulls_last())))
