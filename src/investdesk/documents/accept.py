"""Accepting extracted items: each becomes a record (created, or merged into the one it resolves to) linked to
its document by an Evidence row (document id, character span, sentence).

Records are written through the areas' services, so they are validated and audited like any other write
(a document's meetings, several at once, are validated with the same schema and written together with the
same audit rows by :mod:`investdesk.documents.bulk`). Names are resolved with the in-memory indexes of
:class:`~investdesk.resolution.index.Resolver`, not one query per name.

What an item refers to is resolved first: an engagement's counterparts are the document's organization
items (accepted on the way when still pending) or organizations already known; its participants are the
people accepted from the same document who speak for a counterpart or appear in the same sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session

from investdesk import money, places
from investdesk.audit import service as audit
from investdesk.db import utcnow
from investdesk.documents.bulk import EngagementBatch, counterpart_country, create_mission
from investdesk.documents.edits import stage_of
from investdesk.documents.items import ACCEPT_ORDER, delegate_twins, words
from investdesk.engagements.schemas import EngagementCreate
from investdesk.errors import ValidationFailed
from investdesk.extraction.normalize import normalize, normalize_org, normalize_person
from investdesk.i18n import _
from investdesk.missions import service as missions
from investdesk.missions.schemas import MissionCreate
from investdesk.models import Document, Engagement, Evidence, ExtractedItem, Opportunity, Organization
from investdesk.models.enums import ItemState, OrgKind, ReviewState
from investdesk.offerings import service as offerings
from investdesk.offerings.schemas import OfferingCreate, PolicyCreate
from investdesk.organizations import service as organizations
from investdesk.organizations.schemas import OrganizationCreate, OrganizationUpdate
from investdesk.people import service as people
from investdesk.people.schemas import PersonCreate, PersonUpdate
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline import owners
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate
from investdesk.resolution.index import Resolver


def _year(name: str) -> int | None:
    digits = [int(w) for w in name.replace("-", " ").split() if w.isdigit() and len(w) == 4]
    return next((y for y in digits if 1900 <= y <= 2200), None)


@dataclass
class Acceptance:
    """The state of one document's review while its items are accepted."""

    session: Session
    actor: Actor
    document: Document
    items: list[ExtractedItem]
    resolver: Resolver
    sector_ids: set[str] = field(default_factory=set)
    # accept_all defers delegates so the mission is created once with all of them.
    defer_delegates: bool = False
    delegate_ids: list[int] = field(default_factory=list)
    # The record a reviewer chose for an item, by item id: an existing record's id, or 0 for a new one.
    targets: dict[int, int] = field(default_factory=dict)
    _target: int | None = None
    _mission: int | None = None
    _mission_done: bool = False

    def __post_init__(self) -> None:
        self.sector_ids = self.resolver.sector_ids
        self.extraction = self.document.extraction or {}
        self.engagements = EngagementBatch(self.session, self.actor)
        self._deferred: list[tuple[ExtractedItem, Engagement]] = []
        self._evidence: list[dict[str, Any]] = []

    # -- what items refer to -------------------------------------------------------------------------------------
    def _items(self, name: str) -> list[ExtractedItem]:
        return [i for i in self.items if i.field == name]

    def org_for_name(self, name: str | None, *, create: bool, country: str | None = None) -> int | None:
        """The organization a name in this document denotes: its own item (accepted now if pending), a known
        organization, or (``create``) a new one."""
        if not name or not name.strip():
            return None
        keys = {normalize_org(name), normalize(name)}
        for item in self._items("organizations"):
            p = item.payload
            if normalize_org(p["name"]) in keys or (p.get("acronym") and normalize(p["acronym"]) in keys):
                if item.state is ItemState.rejected:
                    return None
                if item.state is ItemState.pending:
                    self.accept(item)
                if item.record_id is not None:
                    return item.record_id
        found = self.resolver.orgs.match(name, country=country)
        if found is not None or not create:
            return found
        return self._create_org({"name": name, "country": country})

    def person_for(self, p: dict[str, Any]) -> int:
        """The person a delegate item names: the document's own person item when there is one."""
        if self._target is not None:
            return self.person(p)  # the reviewer chose the record
        key = normalize_person(p["name"])
        for item in self._items("people"):
            if normalize_person(item.payload["name"]) == key and item.state is not ItemState.rejected:
                if item.state is ItemState.pending:
                    self.accept(item)
                if item.record_id is not None:
                    return item.record_id
        return self.person(p)

    def mission_id(self) -> int | None:
        if not self._mission_done:
            self._mission_done = True
            for item in self._items("mission"):
                if item.state is ItemState.pending:
                    self.accept(item)
                if item.state is not ItemState.rejected:
                    self._mission = item.record_id
        return self._mission

    def _country_of_city(self, city: str | None) -> str | None:
        dests = self.extraction.get("destinations") or []
        for d in dests:
            if city and normalize(city) in {normalize(c) for c in d.get("cities") or []}:
                return str(d["country"])
        return str(dests[0]["country"]) if len(dests) == 1 else None

    def _take_target(self) -> int | None:
        """The record chosen for the item being accepted (taken once: items it cascades to have their own)."""
        target, self._target = self._target, None
        return target

    # -- records ----------------------------------------------------------------------------------------------------
    def _create_org(self, p: dict[str, Any]) -> int:
        data = OrganizationCreate(name=p["name"][:300], acronym=(p.get("acronym") or None),
                                  kind=OrgKind(p.get("kind") or "other"), country=p.get("country"))
        org = organizations.create(self.session, actor=self.actor, data=data)
        self.resolver.orgs.add(org.id, org.name, country=org.country, acronym=org.acronym)
        return org.id

    def organization(self, p: dict[str, Any]) -> int:
        index = self.resolver.orgs
        target = self._take_target()
        if target and target not in index.entries:
            raise ValidationFailed(_("merge_into: the organization chosen to merge into no longer exists"),
                                   field="merge_into")
        oid = target or (None if target == 0 else
                         index.match(p["name"], acronym=p.get("acronym"), country=p.get("country")))
        if oid is None:
            return self._create_org(p)
        # Decided from the index alone; the record is loaded only when something is added to it.
        entry = index.entries[oid]
        new_name = oid not in index.by_key.get(normalize_org(p["name"]), []) and p["name"] != entry.acronym
        fill = {a: p[a] for a in ("acronym", "country") if p.get(a) and not getattr(entry, a)}
        if fill.get("acronym") and oid in index.by_acronym.get(fill["acronym"].upper(), []):
            del fill["acronym"]  # known already as an alias
        if not new_name and not fill:
            return oid
        org = organizations.get(self.session, actor=self.actor, organization_id=oid)
        change: dict[str, Any] = dict(fill)
        if new_name:
            change["aliases"] = [a.alias for a in org.aliases] + [p["name"][:300]]
        organizations.update(self.session, actor=self.actor, organization_id=oid,
                             data=OrganizationUpdate(**change, version=org.version))
        if new_name:
            index.add_alias(oid, p["name"])
        entry.acronym, entry.country = org.acronym, org.country
        if org.acronym:
            index.by_acronym.setdefault(org.acronym.upper(), []).append(oid)
        return oid

    def person(self, p: dict[str, Any]) -> int:
        target = self._take_target()
        org_id = self.org_for_name(p.get("organization"), create=False)
        index = self.resolver.people
        if target and target not in index.titles:
            raise ValidationFailed(_("merge_into: the person chosen to merge into no longer exists"),
                                   field="merge_into")
        pid = target or (None if target == 0 else index.match(p["name"], organization_id=org_id))
        if pid is None:
            person = people.create(self.session, actor=self.actor, data=PersonCreate(
                name=p["name"][:200], honorific=p.get("honorific"), titles=p.get("titles") or [],
                organization_id=org_id, side=p.get("side") or "mentioned"))
            index.add(person.id, person.name, person.organization_id, person.titles)
            return person.id
        # Decided from the index; the record is written only when it gains an organization or a title.
        change: dict[str, Any] = {}
        if index.organization.get(pid) is None and org_id is not None:
            change["organization_id"] = org_id
        known_titles = index.titles.get(pid, [])
        new_titles = [t for t in p.get("titles") or [] if t not in known_titles]
        if new_titles:
            change["titles"] = known_titles + new_titles
        if change:
            version = people.get(self.session, actor=self.actor, person_id=pid).version
            updated = people.update(self.session, actor=self.actor, person_id=pid,
                                    data=PersonUpdate(**change, version=version))
            index.titles[pid] = list(updated.titles or [])
            if "organization_id" in change:
                index.set_organization(pid, org_id)
        return pid

    def mission(self, p: dict[str, Any]) -> int:
        home = next((i for i in self._items("organizations") if i.payload.get("role") == "home"
                     and i.payload.get("kind") == "investment_promotion_agency" and i.state is not ItemState.rejected),
                    None)
        agency = self.org_for_name(home.payload["name"], create=False) if home else None
        delegates, self.delegate_ids = list(dict.fromkeys(self.delegate_ids)), []
        mission = create_mission(self.session, actor=self.actor, data=MissionCreate(
            name=p["name"], home_jurisdiction=p.get("home_jurisdiction"), home_agency_id=agency,
            countries=p.get("countries") or [], cities=p.get("cities") or [], start_date=p.get("start_date"),
            end_date=p.get("end_date"), delegate_ids=delegates, document_id=self.document.id))
        return mission.id

    def delegate(self, p: dict[str, Any]) -> int:
        pid = self.person_for({**p, "side": "home"})
        self.delegate_ids.append(pid)
        if not self.defer_delegates:
            self.flush_delegates()
        return pid

    def flush_delegates(self) -> None:
        """Add the delegates accepted so far to the document's mission (created with them when still pending)."""
        mission_id = self.mission_id()
        if mission_id is not None and self.delegate_ids:
            missions.add_delegates(self.session, actor=self.actor, mission_id=mission_id,
                                   person_ids=list(dict.fromkeys(self.delegate_ids)))
        self.delegate_ids = []

    def engagement(self, p: dict[str, Any]) -> Engagement:
        country = self._country_of_city(p.get("city"))
        org_ids = [o for o in (self.org_for_name(n, create=True, country=country) for n in p.get("counterparts") or [])
                   if o is not None]
        if country is None:
            country = counterpart_country(self.session, org_ids)
        counterpart_names = {normalize_org(n) for n in p.get("counterparts") or []}
        participants = []
        for item in self._items("people") + self._items("delegates"):
            if item.record_id is None or item.state not in (ItemState.accepted, ItemState.edited):
                continue
            q = item.payload
            if (q.get("evidence") and q.get("evidence") == p.get("evidence")) or \
                    (q.get("organization") and normalize_org(q["organization"]) in counterpart_names):
                participants.append(item.record_id)
        names = ", ".join(p.get("counterparts") or []) or "counterparts not named"
        data = EngagementCreate(
            title=f"Meeting with {names}"[:300], mission_id=self.mission_id(), date=p.get("date") or None,
            city=p.get("city"), country=country, venue=p.get("venue"), counterpart_ids=list(dict.fromkeys(org_ids)),
            participant_ids=list(dict.fromkeys(participants)),
            sectors=[s for s in p.get("sectors") or [] if s in self.sector_ids], topics=p.get("topics") or [],
            document_id=self.document.id, evidence=p.get("evidence"))
        return self.engagements.add(data, [self.resolver.orgs.name_of(o) or "" for o in data.counterpart_ids])

    def opportunity(self, p: dict[str, Any]) -> int | None:
        target = self._take_target()
        if target:
            if self.session.get(Opportunity, target) is None:
                raise ValidationFailed(_("merge_into: the lead chosen to merge into no longer exists"),
                                       field="merge_into")
            return target
        org_id = self.org_for_name(p.get("counterpart"), create=True)
        kind = p.get("kind") or "other"
        if target is None and org_id is not None and (org_id, kind) in self.resolver.leads:
            return self.resolver.leads[(org_id, kind)]  # the same lead, seen again
        notes, district = [], None
        if p.get("location"):
            try:
                district = places.district(p["location"])
            except ValidationFailed:
                notes.append(f"Location: {p['location']}")
        amount = None
        if p.get("amount"):
            a = p["amount"]
            try:
                money.normalise_amount(a["value"], a["currency"], a.get("unit"))
                amount = AmountIn(value=a["value"], currency=a["currency"], unit=a.get("unit"))
            except (ValidationFailed, ValidationError):
                notes.append(f"Amount as written: {a.get('value')} {a.get('currency')} {a.get('unit') or ''}".strip())
        org = self.session.get(Organization, org_id) if org_id is not None else None
        title = f"{org.name if org else p.get('counterpart') or 'Lead'}: {words(kind)}"
        lead_sectors = [s for s in p.get("sectors") or [] if s in self.sector_ids]
        opp = pipeline.create(self.session, actor=self.actor, data=OpportunityCreate(
            title=title[:300], counterpart_id=org_id, kind=kind,
            stage=stage_of(p),
            sectors=lead_sectors, amount=amount, jobs=p.get("jobs"),
            country=org.country if org else None, district=district, notes="\n".join(notes),
            # The default owner a manager named for the sector or country, else whoever accepts it.
            owner_id=owners.default_owner(self.session, sector_ids=lead_sectors,
                                          country=org.country if org else None) or self.actor.id))
        opp.document_id = self.document.id
        if org_id is not None:
            self.resolver.leads[(org_id, kind)] = opp.id
        return int(opp.id)

    def offering(self, p: dict[str, Any]) -> int:
        key = p["name"].strip().lower()[:300]
        if key not in self.resolver.offerings:
            data = OfferingCreate(name=p["name"][:300], kind=p.get("kind") or "other", document_id=self.document.id)
            self.resolver.offerings[key] = offerings.create_offering(self.session, actor=self.actor, data=data).id
        return self.resolver.offerings[key]

    def policy(self, p: dict[str, Any]) -> int:
        key = p["name"].strip().lower()[:300]
        if key not in self.resolver.policies:
            self.resolver.policies[key] = offerings.create_policy(self.session, actor=self.actor, data=PolicyCreate(
                name=p["name"][:300], year=_year(p["name"]), document_id=self.document.id)).id
        return self.resolver.policies[key]

    # -- one item -----------------------------------------------------------------------------------------------
    def accept(self, item: ExtractedItem, *, edited: bool = False) -> bool:
        """Create or merge the item's record and link the evidence; False when it must stay pending."""
        handler, record_type = _HANDLERS[item.field]
        item.state = ItemState.edited if edited else ItemState.accepted  # set first: a cascade must not loop
        outer, self._target = self._target, self.targets.pop(item.id, None) if item.id is not None else None
        try:
            record_id = handler(self, item.payload)
        except ValidationError as exc:
            item.state = ItemState.pending
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first.get("loc", ()))
            raise ValidationFailed(_('%(where)s: %(msg)s', where=where, msg=first.get('msg')),
                                   field=where or item.field) from None
        except BaseException:
            item.state = ItemState.pending
            raise
        finally:
            self._target = outer
        if record_id is None:
            item.state = ItemState.pending
            return False
        item.record_type = record_type
        if isinstance(record_id, Engagement):
            self._deferred.append((item, record_id))  # written with the document's other meetings in finish()
        else:
            self._link(item, record_id)
        return True

    def _link(self, item: ExtractedItem, record_id: int) -> None:
        item.record_id = record_id
        self._evidence.append({"entity_type": item.record_type or "", "entity_id": record_id,
                               "document_id": self.document.id, "start": item.evidence_start,
                               "end": item.evidence_end, "sentence": str(item.payload.get("evidence") or "")})

    def finish(self) -> None:
        """Write what was queued (the engagements, then every evidence row in one INSERT) and link the items."""
        self.engagements.flush()
        for item, record in self._deferred:
            self._link(item, record.id)
        self._deferred = []
        if self._evidence:
            self.session.execute(insert(Evidence), self._evidence)
            self._evidence = []


_HANDLERS: dict[str, tuple[Any, str]] = {
    "organizations": (Acceptance.organization, "organization"),
    "people": (Acceptance.person, "person"),
    "delegates": (Acceptance.delegate, "person"),
    "mission": (Acceptance.mission, "mission"),
    "engagements": (Acceptance.engagement, "engagement"),
    "opportunities": (Acceptance.opportunity, "opportunity"),
    "offerings": (Acceptance.offering, "offering"),
    "policies": (Acceptance.policy, "policy"),
}


def refresh_state(document: Document, actor: Actor, items: list[ExtractedItem] | None = None) -> None:
    states = {i.state for i in (document.items if items is None else items)}
    if ItemState.pending in states:
        state = ReviewState.pending
    elif states & {ItemState.accepted, ItemState.edited} or not states:
        state = ReviewState.accepted
    else:
        state = ReviewState.rejected
    if state is not document.review_state:
        document.review_state = state
        if state is not ReviewState.pending:
            document.reviewed_at, document.reviewed_by_id = utcnow(), actor.id


def record_review(session: Session, actor: Actor, document: Document, action: str, counts: dict[str, int],
            before: ReviewState) -> None:
    audit.record(session, actor=actor, action=action, entity_type="document", entity_id=document.id,
                 before={"review_state": before.value}, after={"review_state": document.review_state.value, **counts},
                 summary=f"{action} on document {document.id}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


def accept_items(session: Session, *, actor: Actor, document: Document, items: list[ExtractedItem],
                 resolver: Resolver | None = None) -> dict[str, int]:
    """Accept every pending item of ``items``; items not yet attached to the document (a fresh ingest) are
    attached after, in their final state."""
    require(actor, Perm.review_documents)
    before = document.review_state
    # What the page counted: the pending items it shows (a delegate who is also one of the people is shown once).
    hidden = {id(d) for d in delegate_twins(items).values()}
    counted = [i for i in items if i.state is ItemState.pending and id(i) not in hidden]
    ctx = Acceptance(session, actor, document, items, resolver or Resolver.load(session), defer_delegates=True)
    left = 0
    # Services flush what they write; no need to flush item states before every lookup.
    with session.no_autoflush:
        for item in sorted(items, key=lambda i: (ACCEPT_ORDER[i.field], i.position)):
            if item.state is ItemState.pending and not ctx.accept(item):  # else accepted on the way
                left += 1
        ctx.flush_delegates()
        ctx.finish()
    if items and inspect(items[0]).transient:
        # A fresh ingest: the items go in once, in their final state, in one INSERT without RETURNING.
        session.execute(insert(ExtractedItem), [
            {"document_id": document.id, "field": i.field, "position": i.position, "payload": i.payload,
             "state": i.state, "evidence_start": i.evidence_start, "evidence_end": i.evidence_end,
             "record_type": i.record_type, "record_id": i.record_id} for i in items])
        session.expire(document, ["items"])
    accepted = sum(1 for i in counted if i.state in (ItemState.accepted, ItemState.edited))
    refresh_state(document, actor, items)
    counts = {"accepted": accepted, "left_pending": left}
    record_review(session, actor, document, "accept_all", counts, before)
    session.flush()
    return counts
