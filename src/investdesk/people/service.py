"""People on either side of a meeting. Every write is audited; nothing commits here."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from investdesk.audit import service as audit
from investdesk.errors import NotFound
from investdesk.extraction.normalize import normalize_person
from investdesk.i18n import _
from investdesk.models import Organization, Person
from investdesk.paging import PageParams, first, paginate
from investdesk.people.schemas import PersonCreate, PersonFilter, PersonRead, PersonUpdate
from investdesk.permissions import Actor, Perm, require
from investdesk.updates import apply_update, check_version, flush_or_conflict


def to_read(person: Person) -> PersonRead:
    return PersonRead(
        id=person.id, name=person.name, honorific=person.honorific, name_hi=person.name_hi,
        titles=list(person.titles or []),
        organization_id=person.organization_id,
        organization=person.organization.name if person.organization else None, side=person.side,
        email=person.email, phone=person.phone, notes=person.notes, version=person.version,
        created_at=person.created_at, updated_at=person.updated_at)


def _check_organization(session: Session, organization_id: int | None) -> None:
    if organization_id is not None and session.get(Organization, organization_id) is None:
        raise NotFound(_('organization_id: organization %(organization_id)s not found',
                         organization_id=organization_id), field="organization_id")


def create(session: Session, *, actor: Actor, data: PersonCreate) -> Person:
    """Create a person."""
    require(actor, Perm.write_records)
    _check_organization(session, data.organization_id)
    person = Person(**data.model_dump(), normalized_name=normalize_person(data.name))
    session.add(person)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="person", entity_id=person.id,
                 after=audit.snapshot(person), summary=f"created person {person.name}")
    return get(session, actor=actor, person_id=person.id)


def get(session: Session, *, actor: Actor, person_id: int) -> Person:
    """One person by id, with the organization."""
    require(actor, Perm.read)
    person = session.scalar(select(Person).options(selectinload(Person.organization)).where(Person.id == person_id))
    if person is None:
        raise NotFound(_('person %(person_id)s not found', person_id=person_id), field="person_id")
    return person


def update(session: Session, *, actor: Actor, person_id: int, data: PersonUpdate) -> Person:
    """Change the fields given; a stale ``version`` is a conflict."""
    require(actor, Perm.write_records)
    person = get(session, actor=actor, person_id=person_id)
    forced = check_version(person, data.version, "person", force=data.force)
    if data.organization_id is not None:
        _check_organization(session, data.organization_id)
    before = audit.snapshot(person)
    fields = apply_update(person, data)
    if "name" in fields:
        person.normalized_name = normalize_person(person.name)
    flush_or_conflict(session, "person", person.id)
    audit.record(session, actor=actor, action="update", entity_type="person", entity_id=person.id,
                 before=before, after=audit.snapshot(person), summary=f"updated person {person.name}{forced}")
    session.refresh(person, ["organization"])
    return person


def filtered(flt: PersonFilter, *, related: bool = True) -> Select[Person]:
    """The people matching the filter, by name; with their organization unless ``related`` is false."""
    stmt = select(Person).options(selectinload(Person.organization)) if related else select(Person)
    if flt.q:
        stmt = stmt.where(Person.normalized_name.like(f"%{normalize_person(flt.q)}%"))
    if flt.organization_id is not None:
        stmt = stmt.where(Person.organization_id == flt.organization_id)
    if flt.side:
        stmt = stmt.where(Person.side == flt.side)
    if flt.country:
        stmt = stmt.where(Person.organization.has(Organization.country == flt.country.upper()))
    return stmt.order_by(Person.name, Person.id)


def list_people(session: Session, *, actor: Actor, flt: PersonFilter | None = None,
                page: PageParams | None = None) -> tuple[list[Person], int]:
    """A page of people matching the filter, and the total."""
    require(actor, Perm.read)
    return paginate(session, filtered(flt or PersonFilter()), page or PageParams())


def first_of(session: Session, *, actor: Actor, flt: PersonFilter, limit: int = 50,
             related: bool = True) -> list[Person]:
    """The filter's first ``limit`` people, by name (an organization's people); without their organization when
    ``related`` is false (the organization's own page knows it)."""
    require(actor, Perm.read)
    return first(session, filtered(flt, related=related), limit)
