"""Resolution services: the knowledge base's names for the extractor, and lookups by name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.extraction import KnownNames, KnownOrganization, KnownPerson
from investdesk.models import Organization, OrganizationAlias, Person
from investdesk.resolution.index import OrgIndex, PersonIndex


def known_names(session: Session) -> KnownNames:
    """Every live organization (name, acronym, aliases, kind, country) and person (name, organization)."""
    aliases: dict[int, list[str]] = {}
    for oid, alias in session.execute(select(OrganizationAlias.organization_id, OrganizationAlias.alias)
                                      .order_by(OrganizationAlias.id)):
        aliases.setdefault(oid, []).append(alias)
    orgs: list[KnownOrganization] = []
    names: dict[int, str] = {}
    for oid, name, acronym, kind, country in session.execute(
            select(Organization.id, Organization.name, Organization.acronym, Organization.kind, Organization.country)
            .where(Organization.merged_into_id.is_(None)).order_by(Organization.id)):
        names[oid] = name
        orgs.append(KnownOrganization(name=name, acronym=acronym, aliases=aliases.get(oid, []),
                                      kind=kind.value if kind else None, country=country))
    people = [KnownPerson(name=name, organization=names.get(org_id) if org_id else None)
              for name, org_id in session.execute(select(Person.name, Person.organization_id).order_by(Person.id))]
    return KnownNames(organizations=orgs, people=people)


def find_organization(session: Session, name: str, *, acronym: str | None = None,
                      country: str | None = None) -> Organization | None:
    """The organization a name denotes (alias, acronym, spelling, country), or None."""
    oid = OrgIndex.load(session).match(name, acronym=acronym, country=country)
    return session.get(Organization, oid) if oid is not None else None


def find_person(session: Session, name: str, *, organization_id: int | None = None) -> Person | None:
    pid = PersonIndex.load(session).match(name, organization_id=organization_id)
    return session.get(Person, pid) if pid is not None else None
