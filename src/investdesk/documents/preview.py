"""What accepting each pending item will do: create a new record, or merge into one that exists (named, with
the other records it could merge into instead), decided with the same name indexes acceptance uses. Leads,
offerings and policies are looked up for this document's names only: a page never loads every lead."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.extraction.normalize import normalize_org, normalize_person
from investdesk.models import ExtractedItem, Offering, Opportunity, Person, Policy
from investdesk.models.enums import ItemState, OpportunityStage
from investdesk.permissions import Actor, Perm, require
from investdesk.resolution.index import OrgIndex, PersonIndex
from investdesk.search import service as search_service

# Item field -> the kind of record it becomes.
RECORD_TYPES = {"organizations": "organization", "people": "person", "delegates": "person", "mission": "mission",
                "engagements": "engagement", "opportunities": "opportunity", "offerings": "offering",
                "policies": "policy"}
# Items whose record the reviewer may choose (another existing record, or a new one).
CHOOSABLE = {"organizations", "people", "delegates", "opportunities"}
NEW = 0  # the choice "create a new record" (record ids start at 1)


@dataclass
class Plan:
    record_type: str
    target: int | None  # the record it merges into; None: a new one
    target_name: str | None = None
    choices: list[tuple[int, str]] = field(default_factory=list)  # other records it may merge into


def _org_candidates(index: OrgIndex, name: str, skip: int | None) -> list[tuple[int, str]]:
    key = normalize_org(name)
    out: dict[int, str] = {}
    if len(key) >= 3 and index.fuzzy_keys:
        for _choice, _score, pos in process.extract(key, index.fuzzy_keys, scorer=fuzz.WRatio, limit=12,
                                                    score_cutoff=75):
            oid = index.fuzzy_ids[pos]
            if oid != skip and oid in index.entries and len(out) < 6:
                out.setdefault(oid, index.entries[oid].name)
    return list(out.items())


def _person_candidates(index: PersonIndex, keys: list[str], name: str, skip: int | None) -> list[int]:
    out: list[int] = []
    if keys:
        for choice, _score, _pos in process.extract(normalize_person(name), keys, scorer=fuzz.WRatio,
                                                     limit=6, score_cutoff=80):
            out += [pid for pid, _org in index.by_name[choice] if pid != skip and pid not in out]
    return out[:6]


def _leads(session: Session, org_ids: set[int]) -> dict[tuple[int, str], list[int]]:
    """Live leads of these investors by (investor, kind), oldest first (the one acceptance merges into)."""
    out: dict[tuple[int, str], list[int]] = {}
    if org_ids:
        for oid, org, kind in session.execute(
                select(Opportunity.id, Opportunity.counterpart_id, Opportunity.kind)
                .where(Opportunity.counterpart_id.in_(org_ids), Opportunity.stage != OpportunityStage.dropped)
                .order_by(Opportunity.id)):
            if org is not None:
                out.setdefault((org, kind.value), []).append(oid)
    return out


def _by_name(session: Session, model: type[Offering] | type[Policy], names: set[str]) -> dict[str, int]:
    if not names:
        return {}
    rows = session.execute(select(model.id, model.name).where(func.lower(model.name).in_(names)))
    return {n.strip().lower(): i for i, n in rows}


def plans(session: Session, items: list[ExtractedItem]) -> dict[int, Plan]:
    """A plan per pending item, by item id."""
    pending = [i for i in items if i.state is ItemState.pending and i.id is not None]
    fields = {i.field for i in pending}
    orgs = OrgIndex.load(session) if fields & {"organizations", "people", "delegates", "opportunities"} else None
    people = PersonIndex.load(session) if fields & {"people", "delegates"} else None
    person_keys = list(people.by_name) if people else []
    counterparts = {i.id: orgs.match(i.payload["counterpart"]) for i in pending
                    if orgs and i.field == "opportunities" and i.payload.get("counterpart")}
    leads = _leads(session, {o for o in counterparts.values() if o is not None})
    known = {f: _by_name(session, model, {str(i.payload.get("name") or "").strip().lower()[:300]
                                          for i in pending if i.field == f})
             for f, model in (("offerings", Offering), ("policies", Policy))}
    out: dict[int, Plan] = {}
    people_wanted: set[int] = set()
    leads_wanted: set[int] = set()
    for item in pending:
        p: dict[str, Any] = item.payload
        plan = Plan(RECORD_TYPES[item.field], None)
        if item.field == "organizations" and orgs:
            plan.target = orgs.match(p["name"], acronym=p.get("acronym"), country=p.get("country"))
            plan.target_name = orgs.name_of(plan.target) if plan.target else None
            plan.choices = _org_candidates(orgs, p["name"], plan.target)
        elif item.field in ("people", "delegates") and people and orgs:
            org = orgs.match(p["organization"]) if p.get("organization") else None
            plan.target = people.match(p["name"], organization_id=org)
            plan.choices = [(pid, "") for pid in _person_candidates(people, person_keys, p["name"], plan.target)]
            people_wanted |= {pid for pid, _ in plan.choices} | ({plan.target} if plan.target else set())
        elif item.field == "opportunities":
            org = counterparts.get(item.id)
            if org is not None:
                same = leads.get((org, p.get("kind") or "other"), [])
                plan.target = same[0] if same else None
                plan.choices = [(lead, "") for (o, _k), ids in leads.items() if o == org for lead in ids
                                if lead != plan.target][:6]
                leads_wanted |= {lead for lead, _ in plan.choices} | ({plan.target} if plan.target else set())
        elif item.field in ("offerings", "policies"):
            plan.target = known[item.field].get(p["name"].strip().lower()[:300])
        out[item.id] = plan
    names: dict[tuple[str, int], str] = {}
    if people_wanted:
        names |= {("person", i): n for i, n in session.execute(
            select(Person.id, Person.name).where(Person.id.in_(people_wanted)))}
    if leads_wanted:
        names |= {("opportunity", i): n for i, n in session.execute(
            select(Opportunity.id, Opportunity.title).where(Opportunity.id.in_(leads_wanted)))}
    targets = {(pl.record_type, pl.target) for pl in out.values() if pl.target}
    for model, kind in ((Offering, "offering"), (Policy, "policy")):
        ids = {t for k, t in targets if k == kind}
        if ids:
            names |= {(kind, i): n for i, n in session.execute(select(model.id, model.name).where(model.id.in_(ids)))}
    for pl in out.values():
        if pl.target and pl.target_name is None:
            pl.target_name = names.get((pl.record_type, pl.target))
        pl.choices = [(i, n or names.get((pl.record_type, i), "")) for i, n in pl.choices]
        pl.choices = [(i, n) for i, n in pl.choices if n]
    return out


def find_targets(session: Session, *, actor: Actor, item: ExtractedItem, q: str,
                 limit: int = 8) -> list[tuple[int, str]]:
    """Existing records of the item's kind matching ``q`` (the search index, so any record, not only the names
    close to the extracted one): what the reviewer may merge the item into, as (id, name · line under it)."""
    require(actor, Perm.review_documents)
    if item.field not in CHOOSABLE or len(q.strip()) < 2:
        return []
    groups = search_service.search(session, actor=actor, q=q, limit=limit, kinds=[RECORD_TYPES[item.field]])
    return [(h.id, h.title + (f" · {h.subtitle}" if h.subtitle else "")) for g in groups for h in g.hits]
