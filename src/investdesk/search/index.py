"""The search index: one ``search_entries`` row per record and document, rebuilt from the database.

Every flush that adds, changes or deletes a record refreshes that record's entry in the same transaction
(:func:`_after_flush`, registered on every session), and so do the bulk writers that insert without the ORM
(they call :func:`refresh`). An organization's new name also refreshes the entries that show it (its people,
leads, MoUs and meetings). :func:`rebuild` writes the whole index again (``investdesk search rebuild``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, delete, event, func, insert, inspect, select, text
from sqlalchemy.orm import Session, UOWTransaction

from investdesk import formatting
from investdesk.db import among, utcnow
from investdesk.models import (
    Document,
    Engagement,
    Mission,
    Mou,
    Opportunity,
    Organization,
    OrganizationAlias,
    Person,
    SearchEntry,
    Sector,
)
from investdesk.models.engagement import engagement_counterparts
from investdesk.models.mou import mou_parties
from investdesk.models.pipeline import opportunity_sectors
from investdesk.models.search import KINDS
from investdesk.search.query import fold

MODELS: dict[type[Any], str] = {Organization: "organization", Person: "person", Opportunity: "opportunity",
                                Mou: "mou", Mission: "mission", Engagement: "engagement", Document: "document"}
BATCH = 1000
Entry = dict[str, Any]
KIND_SPAN = 2**40


def entry_id(kind: str, record_id: int) -> int:
    """The entry's id: its kind's number times 2**40 plus the record's id, so ids rise with the records'."""
    return (KINDS.index(kind) + 1) * KIND_SPAN + record_id


def _country(code: str | None) -> str:
    return formatting.country(code) if code else ""


def _words(value: Any) -> str:
    return value.replace("_", " ") if isinstance(value, str) else ""


def _join(*parts: Any, sep: str = " ") -> str:
    return sep.join(str(p) for p in parts if p)


def _entry(kind: str, rid: int, title: str, subtitle: str, *body: Any, now: dt.datetime | None = None) -> Entry:
    text = fold("\n".join(str(b) for b in body if b))
    return {"id": entry_id(kind, rid), "kind": kind, "record_id": rid, "title": (title or "—")[:500],
            "subtitle": subtitle[:500],
            "body": text, "updated_at": now or utcnow()}


def _names(conn: Connection, link: Any, key: str, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    rows = conn.execute(select(link.c[key], Organization.name).join(
        Organization, Organization.id == link.c.organization_id).where(link.c[key].in_(ids)).order_by(Organization.id))
    for rid, name in rows:
        out[rid].append(name)
    return out


def _organizations(conn: Connection, ids: list[int]) -> Iterator[Entry]:
    aliases: dict[int, list[str]] = defaultdict(list)
    for oid, alias in conn.execute(select(OrganizationAlias.organization_id, OrganizationAlias.alias)
                                   .where(OrganizationAlias.organization_id.in_(ids))):
        aliases[oid].append(alias)
    for o in conn.execute(select(Organization).where(Organization.id.in_(ids), Organization.merged_into_id.is_(None))):
        yield organization_entry(o.id, name=o.name, acronym=o.acronym, kind=o.kind, country=o.country,
                                 name_hi=o.name_hi, aliases=aliases[o.id], city=o.city, website=o.website,
                                 notes=o.notes)


def organization_entry(oid: int, *, name: str, acronym: str | None, kind: Any, country: str | None,
                       name_hi: str | None, aliases: list[str], city: str | None, website: str | None,
                       notes: str | None, now: dt.datetime | None = None) -> Entry:
    """An organization's entry from its columns (a bulk writer builds it from the row it wrote)."""
    title = name + (f" ({acronym})" if acronym else "")
    return _entry("organization", oid, title, _join(formatting.english_label(kind), _country(country), sep=" · "),
                  name_hi, " ".join(aliases), _words(kind), city, _country(country), website, notes, now=now)


def _people(conn: Connection, ids: list[int]) -> Iterator[Entry]:
    rows = conn.execute(select(Person, Organization.name.label("org")).outerjoin(
        Organization, Organization.id == Person.organization_id).where(Person.id.in_(ids)))
    for p in rows:
        titles = list(p.titles or [])
        yield _entry("person", p.id, p.name, ", ".join([*titles, *([p.org] if p.org else [])]),
                     p.name_hi, p.honorific, " ".join(titles), p.org, p.email, p.notes)


def _opportunities(conn: Connection, ids: list[int]) -> Iterator[Entry]:
    sectors: dict[int, list[str]] = defaultdict(list)
    for oid, name in conn.execute(select(opportunity_sectors.c.opportunity_id, Sector.name).join(
            Sector, Sector.id == opportunity_sectors.c.sector_id).where(opportunity_sectors.c.opportunity_id.in_(ids))):
        sectors[oid].append(name)
    rows = conn.execute(select(Opportunity, Organization.name.label("org")).outerjoin(
        Organization, Organization.id == Opportunity.counterpart_id).where(Opportunity.id.in_(ids)))
    for o in rows:
        yield opportunity_entry(o.id, title=o.title, stage=o.stage, counterpart=o.org, district=o.district,
                                country=o.country, location=o.location, sectors=sectors[o.id], kind=o.kind,
                                next_action=o.next_action, notes=o.notes)


def opportunity_entry(oid: int, *, title: str, stage: Any, counterpart: str | None, district: str | None,
                      country: str | None, location: str | None, sectors: list[str], kind: Any,
                      next_action: str | None, notes: str | None, now: dt.datetime | None = None) -> Entry:
    """A lead's entry from its columns, its counterpart's name and its sectors' names."""
    return _entry("opportunity", oid, title, _join(formatting.english_label(stage), counterpart, district, sep=" · "),
                  counterpart, district, _country(country), location, " ".join(sectors), _words(kind), next_action,
                  notes, now=now)


def _mous(conn: Connection, ids: list[int]) -> Iterator[Entry]:
    parties = _names(conn, mou_parties, "mou_id", ids)
    rows = conn.execute(select(Mou, Sector.name.label("sector")).outerjoin(Sector, Sector.id == Mou.sector_id)
                        .where(Mou.id.in_(ids)))
    for m in rows:
        yield mou_entry(m.id, title=m.title, status=m.status, district=m.district, reference=m.reference,
                        parties=parties[m.id], department=m.department, sector=m.sector, notes=m.notes)


def mou_entry(mid: int, *, title: str, status: Any, district: str | None, reference: str | None, parties: list[str],
              department: str | None, sector: str | None, notes: str | None, now: dt.datetime | None = None) -> Entry:
    """An MoU's entry from its columns, its parties' names (in the order of their ids) and its sector's name."""
    return _entry("mou", mid, title, _join(formatting.english_label(status), district, sep=" · "),
                  reference, " ".join(parties), district, department, sector, notes, now=now)


def _missions(conn: Connection, ids: list[int]) -> Iterator[Entry]:
    for m in conn.execute(select(Mission).where(Mission.id.in_(ids))):
        cities = list(m.cities or [])
        yield _entry("mission", m.id, m.name, " → ".join(cities), m.home_jurisdiction,
                     " ".join(_country(c) for c in m.countries or []), " ".join(cities), m.notes)


def _engagements(conn: Connection, ids: list[int]) -> Iterator[Entry]:
    orgs = _names(conn, engagement_counterparts, "engagement_id", ids)
    for e in conn.execute(select(Engagement).where(Engagement.id.in_(ids))):
        names = ", ".join(orgs[e.id])
        when = f"{e.date.day} {e.date:%b %Y}" if e.date else ""
        yield _entry("engagement", e.id, e.title or "Meeting", _join(when, e.city, names, sep=" · "),
                     names, e.city, _country(e.country), e.venue, " ".join(e.topics or []), e.summary, e.evidence)


def _documents(conn: Connection, ids: list[int]) -> Iterator[Entry]:
    rows = conn.execute(select(Document.id, Document.title, Document.filename, Document.source, Document.text)
                        .where(Document.id.in_(ids)))
    for d in rows:
        yield _entry("document", d.id, d.title or d.filename, d.filename, d.filename, d.source, d.text)


BUILDERS: dict[str, Callable[[Connection, list[int]], Iterator[Entry]]] = {
    "organization": _organizations, "person": _people, "opportunity": _opportunities, "mou": _mous,
    "mission": _missions, "engagement": _engagements, "document": _documents}
TABLES: dict[str, Any] = {kind: model for model, kind in MODELS.items()}


def refresh(conn: Connection | Session, kind: str, ids: Iterable[int]) -> None:
    """Write the entries of these records again from what the database holds now (a record gone: its entry
    goes). Call it after writing records without the ORM; ORM writes are seen on their own."""
    connection = conn.connection() if isinstance(conn, Session) else conn
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), BATCH):
        chunk = wanted[i:i + BATCH]
        connection.execute(delete(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.record_id.in_(chunk)))
        rows = list(BUILDERS[kind](connection, chunk))
        if rows:
            connection.execute(insert(SearchEntry), rows)
    if len(wanted) >= BATCH and connection.dialect.name == "postgresql":
        # A bulk write merges the GIN pending lists now rather than leaving every search to read them.
        for name in (f"ix_search_entries_tsv_{kind}", "ix_search_entries_tsv_title"):
            connection.execute(select(func.gin_clean_pending_list(text(f"'{name}'::regclass"))))


def forget(conn: Connection | Session, kind: str, ids: Iterable[int]) -> None:
    """Delete these records' entries (a bulk writer then inserts the entries it built, in bulk)."""
    connection = conn.connection() if isinstance(conn, Session) else conn
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), BATCH):
        connection.execute(delete(SearchEntry).where(SearchEntry.kind == kind,
                                                     among(connection, SearchEntry.record_id, wanted[i:i + BATCH])))


def rebuild(conn: Connection | Session) -> dict[str, int]:
    """Write the whole index again; returns the entries per kind."""
    connection = conn.connection() if isinstance(conn, Session) else conn
    connection.execute(delete(SearchEntry))
    counts: dict[str, int] = {}
    for kind, model in TABLES.items():
        ids = list(connection.scalars(select(model.id).order_by(model.id)))
        refresh(connection, kind, ids)
        counts[kind] = connection.scalar(select(func.count()).where(SearchEntry.kind == kind)) or 0
    return counts


def fill_if_empty(session: Session) -> None:
    """Index every record when the index is empty but records exist (a database from before the index)."""
    if session.scalar(select(SearchEntry.id).limit(1)) is not None:
        return
    if any(session.scalar(select(model.id).limit(1)) is not None for model in TABLES.values()):
        rebuild(session)


def _dependents(conn: Connection, org_ids: list[int]) -> dict[str, set[int]]:
    """The records whose entries show these organizations' names."""
    return {
        "person": set(conn.scalars(select(Person.id).where(Person.organization_id.in_(org_ids)))),
        "opportunity": set(conn.scalars(select(Opportunity.id).where(Opportunity.counterpart_id.in_(org_ids)))),
        "mou": set(conn.scalars(select(mou_parties.c.mou_id).where(mou_parties.c.organization_id.in_(org_ids)))),
        "engagement": set(conn.scalars(select(engagement_counterparts.c.engagement_id)
                                       .where(engagement_counterparts.c.organization_id.in_(org_ids)))),
    }


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    touched: dict[str, set[int]] = defaultdict(set)
    renamed: list[int] = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        kind = MODELS.get(type(obj))
        if kind is None:
            if isinstance(obj, OrganizationAlias) and obj.organization_id is not None:
                touched["organization"].add(obj.organization_id)
            continue
        rid = getattr(obj, "id", None)
        if rid is None:
            continue
        touched[kind].add(rid)
        if kind == "organization" and obj in session.dirty and inspect(obj).attrs.name.history.has_changes():
            renamed.append(rid)
    if not touched:
        return
    conn = session.connection()
    if renamed:
        for kind, ids in _dependents(conn, renamed).items():
            touched[kind] |= ids
    for kind, ids in touched.items():
        refresh(conn, kind, ids)
