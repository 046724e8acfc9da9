"""In-memory name indexes of the knowledge base, loaded once and kept current while a batch writes.

A new name is matched to an existing organization by normalized name, alias, acronym and near-identical
spelling (rapidfuzz ratio >= 90), always within the same country or where a country is unknown, before a
new record is created. People match by normalized name within the same organization.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.extraction.normalize import looks_like_acronym, normalize, normalize_org, normalize_person
from investdesk.models import Offering, Opportunity, Organization, OrganizationAlias, Person, Policy, Sector
from investdesk.models.enums import OpportunityStage

FUZZY_CUTOFF = 90.0
@dataclass
class OrgEntry:
    id: int
    name: str
    country: str | None
    acronym: str | None


def compact(name: str) -> str:
    """The normalized name without spaces or hyphens: "Link-J", "Link J" and "LinkJ" meet."""
    return re.sub(r"[\s-]+", "", normalize_org(name))


def _same_words(a: str, b: str) -> bool:
    """Word by word near-identical: a long shared tail ("... Industries Association") must not hide a
    different head ("Osaka" against "Kansai")."""
    wa, wb = a.split(), b.split()
    return len(wa) == len(wb) and all(fuzz.ratio(x, y) >= 75 for x, y in zip(wa, wb, strict=True))


def _compatible(a: str | None, b: str | None) -> bool:
    return not a or not b or a.upper() == b.upper()


@dataclass
class OrgIndex:
    """Organizations by every key a name can be matched on."""

    entries: dict[int, OrgEntry] = field(default_factory=dict)
    by_key: dict[str, list[int]] = field(default_factory=dict)
    by_acronym: dict[str, list[int]] = field(default_factory=dict)
    # Fuzzy candidates: one normalized form per organization name and alias.
    fuzzy_keys: list[str] = field(default_factory=list)
    fuzzy_ids: list[int] = field(default_factory=list)

    @classmethod
    def load(cls, session: Session) -> OrgIndex:
        index = cls()
        rows = session.execute(select(Organization.id, Organization.name, Organization.country, Organization.acronym)
                               .where(Organization.merged_into_id.is_(None)).order_by(Organization.id))
        for oid, name, country, acronym in rows:
            index.add(oid, name, country=country, acronym=acronym)
        aliases = session.execute(
            select(OrganizationAlias.organization_id, OrganizationAlias.alias)
            .join(Organization, Organization.id == OrganizationAlias.organization_id)
            .where(Organization.merged_into_id.is_(None)).order_by(OrganizationAlias.id))
        for oid, alias in aliases:
            index.add_alias(oid, alias)
        return index

    def _key(self, key: str, oid: int, fuzzy: bool = True) -> None:
        if not key:
            return
        ids = self.by_key.setdefault(key, [])
        if oid not in ids:
            ids.append(oid)
            if fuzzy:
                self.fuzzy_keys.append(key)
                self.fuzzy_ids.append(oid)

    def add(self, oid: int, name: str, *, country: str | None = None, acronym: str | None = None) -> None:
        self.entries[oid] = OrgEntry(oid, name, country, acronym)
        self._key(normalize_org(name), oid)
        self._key(normalize(name), oid, fuzzy=False)
        self._key(compact(name), oid, fuzzy=False)
        if acronym:
            ids = self.by_acronym.setdefault(acronym.strip().upper(), [])
            if oid not in ids:
                ids.append(oid)

    def add_alias(self, oid: int, alias: str) -> None:
        if oid not in self.entries:
            return
        if looks_like_acronym(alias.strip()):
            ids = self.by_acronym.setdefault(alias.strip().upper(), [])
            if oid not in ids:
                ids.append(oid)
        self._key(normalize_org(alias), oid)
        self._key(normalize(alias), oid, fuzzy=False)
        self._key(compact(alias), oid, fuzzy=False)

    def _pick(self, ids: list[int], country: str | None) -> int | None:
        fitting = [i for i in ids if i in self.entries and _compatible(self.entries[i].country, country)]
        if not fitting:
            return None
        same = [i for i in fitting if country and self.entries[i].country == country.upper()]
        return (same or fitting)[0]

    def match(self, name: str, *, acronym: str | None = None, country: str | None = None) -> int | None:
        """The id of the organization this name denotes, or None when it is new."""
        for key in (normalize_org(name), normalize(name), compact(name)):
            if key and (found := self._pick(self.by_key.get(key, []), country)) is not None:
                return found
        for short in (acronym, name if looks_like_acronym(name.strip()) else None):
            if short and (found := self._pick(self.by_acronym.get(short.strip().upper(), []), country)) is not None:
                return found
        key = normalize_org(name)
        if len(key) < 4 or not self.fuzzy_keys:
            return None
        for choice, _score, pos in process.extract(key, self.fuzzy_keys, scorer=fuzz.ratio, limit=5,
                                                   score_cutoff=FUZZY_CUTOFF):
            oid = self.fuzzy_ids[pos]
            if oid in self.entries and _compatible(self.entries[oid].country, country) and _same_words(key, choice):
                return oid
        return None

    def name_of(self, oid: int) -> str | None:
        entry = self.entries.get(oid)
        return entry.name if entry else None


@dataclass
class PersonIndex:
    """People by normalized name, with the organization each speaks for."""

    by_name: dict[str, list[tuple[int, int | None]]] = field(default_factory=dict)
    titles: dict[int, list[str]] = field(default_factory=dict)
    organization: dict[int, int | None] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> PersonIndex:
        index = cls()
        for pid, norm, org_id, titles in session.execute(
                select(Person.id, Person.normalized_name, Person.organization_id, Person.titles).order_by(Person.id)):
            index.by_name.setdefault(norm, []).append((pid, org_id))
            index.titles[pid], index.organization[pid] = list(titles or []), org_id
        return index

    def add(self, pid: int, name: str, organization_id: int | None, titles: list[str] | None = None) -> None:
        self.by_name.setdefault(normalize_person(name), []).append((pid, organization_id))
        self.titles[pid], self.organization[pid] = list(titles or []), organization_id

    def set_organization(self, pid: int, organization_id: int | None) -> None:
        self.organization[pid] = organization_id
        for entries in self.by_name.values():
            for i, (p, _org) in enumerate(entries):
                if p == pid:
                    entries[i] = (p, organization_id)

    def match(self, name: str, *, organization_id: int | None = None) -> int | None:
        """Same normalized name and the same organization (or one of the two unknown, when unambiguous)."""
        candidates = self.by_name.get(normalize_person(name), [])
        if not candidates:
            return None
        if organization_id is not None:
            same = [p for p, org in candidates if org == organization_id]
            if same:
                return same[0]
            loose = [p for p, org in candidates if org is None]
            return loose[0] if len(loose) == 1 else None
        return candidates[0][0] if len(candidates) == 1 else None


@dataclass
class Resolver:
    """Both indexes; rebuilt after a rolled-back transaction, since ids it learned may not exist."""

    orgs: OrgIndex
    people: PersonIndex
    sector_ids: set[str] = field(default_factory=set)
    # Live leads by (counterpart, kind), offerings and policies by lower-case name: one lookup each, in memory.
    leads: dict[tuple[int, str], int] = field(default_factory=dict)
    offerings: dict[str, int] = field(default_factory=dict)
    policies: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Resolver:
        leads: dict[tuple[int, str], int] = {}
        for oid, org, kind in session.execute(
                select(Opportunity.id, Opportunity.counterpart_id, Opportunity.kind)
                .where(Opportunity.counterpart_id.is_not(None), Opportunity.stage != OpportunityStage.dropped)
                .order_by(Opportunity.id)):
            if org is not None:
                leads.setdefault((org, kind.value), oid)  # the oldest lead of that kind with that investor
        return cls(OrgIndex.load(session), PersonIndex.load(session), set(session.scalars(select(Sector.id))),
                   leads=leads,
                   offerings={n.strip().lower(): i for i, n in session.execute(select(Offering.id, Offering.name))},
                   policies={n.strip().lower(): i for i, n in session.execute(select(Policy.id, Policy.name))})
