"""What accepting each pending item will do: create a new record, or merge into one that exists (named, with
the other records it could merge into instead), decided with the same indexes acceptance uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.models import ExtractedItem, Offering, Opportunity, Person, Policy
from investdesk.models.enums import ItemState
from investdesk.resolution.index import Resolver
from investdesk.text import normalize_org, normalize_person

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


def _org_candidates(resolver: Resolver, name: str, skip: int | None) -> list[tuple[int, str]]:
    index = resolver.orgs
    key = normalize_org(name)
    out: dict[int, str] = {}
    if len(key) >= 3 and index.fuzzy_keys:
        for _choice, _score, pos in process.extract(key, index.fuzzy_keys, scorer=fuzz.WRatio, limit=12,
                                                    score_cutoff=75):
            oid = index.fuzzy_ids[pos]
            if oid != skip and oid in index.entries and len(out) < 6:
                out.setdefault(oid, index.entries[oid].name)
    return list(out.items())


def _person_candidates(resolver: Resolver, name: str, skip: int | None) -> list[int]:
    keys = list(resolver.people.by_name)
    out: list[int] = []
    if keys:
        for choice, _score, _pos in process.extract(normalize_person(name), keys, scorer=fuzz.WRatio,
                                                     limit=6, score_cutoff=80):
            out += [pid for pid, _org in resolver.people.by_name[choice] if pid != skip and pid not in out]
    return out[:6]


def plans(session: Session, items: list[ExtractedItem], resolver: Resolver | None = None) -> dict[int, Plan]:
    """A plan per pending item, by item id."""
    resolver = resolver or Resolver.load(session)
    out: dict[int, Plan] = {}
    people_wanted: set[int] = set()
    leads_wanted: set[int] = set()
    for item in items:
        if item.state is not ItemState.pending or item.id is None:
            continue
        p: dict[str, Any] = item.payload
        plan = Plan(RECORD_TYPES[item.field], None)
        if item.field == "organizations":
            plan.target = resolver.orgs.match(p["name"], acronym=p.get("acronym"), country=p.get("country"))
            plan.target_name = resolver.orgs.name_of(plan.target) if plan.target else None
            plan.choices = _org_candidates(resolver, p["name"], plan.target)
        elif item.field in ("people", "delegates"):
            org = resolver.orgs.match(p["organization"]) if p.get("organization") else None
            plan.target = resolver.people.match(p["name"], organization_id=org)
            plan.choices = [(pid, "") for pid in _person_candidates(resolver, p["name"], plan.target)]
            people_wanted |= {pid for pid, _ in plan.choices} | ({plan.target} if plan.target else set())
        elif item.field == "opportunities":
            org = resolver.orgs.match(p["counterpart"]) if p.get("counterpart") else None
            if org is not None:
                plan.target = resolver.leads.get((org, p.get("kind") or "other"))
                plan.choices = [(lead, "") for (o, _k), lead in resolver.leads.items()
                                if o == org and lead != plan.target][:6]
                leads_wanted |= {lead for lead, _ in plan.choices} | ({plan.target} if plan.target else set())
        elif item.field in ("offerings", "policies"):
            known = resolver.offerings if item.field == "offerings" else resolver.policies
            plan.target = known.get(p["name"].strip().lower()[:300])
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
