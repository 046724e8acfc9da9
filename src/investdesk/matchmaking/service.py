"""Matchmaking: who fits an offering or a policy, what fits an organization, whom to meet on a trip.

Every score is the sum of named signals (count × weight), each returned with the match, so an officer can
see why a name is on the list. Weights come from settings (INVESTDESK_MATCH_WEIGHTS). Reads only.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from investdesk.config import get_settings
from investdesk.errors import NotFound, ValidationFailed
from investdesk.incentives import service as incentives
from investdesk.matchmaking import signals as q
from investdesk.matchmaking.schemas import (
    DEFAULT_WEIGHTS,
    SIGNAL_LABELS,
    Match,
    MatchResult,
    Signal,
    Target,
    TripIn,
)
from investdesk.models import Offering, Opportunity, Organization, Sector
from investdesk.models.organization import organization_sectors
from investdesk.organizations import service as organizations
from investdesk.permissions import Actor, Perm, require
from investdesk.sectors import service as sectors
from investdesk.text import normalize

MAX_COUNTED = {"meeting": 5, "document": 5}
RECENT_DAYS = 365


def weights() -> dict[str, float]:
    """The default weights with the settings' overrides; an unknown signal name is refused."""
    given = get_settings().match_weights
    unknown = sorted(set(given) - set(DEFAULT_WEIGHTS))
    if unknown:
        raise ValidationFailed(f"INVESTDESK_MATCH_WEIGHTS: unknown signal {unknown[0]!r} (known: "
                               f"{', '.join(DEFAULT_WEIGHTS)})", field="match_weights")
    return {**DEFAULT_WEIGHTS, **given}


def signal(name: str, count: float, w: dict[str, float], detail: str = "") -> Signal:
    counted = min(count, MAX_COUNTED.get(name, count))
    if counted < count:
        detail = f"{detail}; {MAX_COUNTED[name]} counted" if detail else f"{MAX_COUNTED[name]} counted"
    return Signal(name=name, label=SIGNAL_LABELS[name], count=counted, weight=w[name],
                  points=round(counted * w[name], 4), detail=detail)


def scored(kind: str, ident: str, name: str, sigs: list[Signal], **extra: Any) -> Match:
    sigs = [s for s in sigs if s.count]
    return Match(kind=kind, id=ident, name=name, score=round(sum(s.points for s in sigs), 4),
                 signals=sigs, **extra)


def sectors_in_text(session: Session, text: str) -> list[str]:
    """Sectors an offering's name and description speak of ("Pharma and Medical Device Park" -> pharmaceuticals,
    medical_devices): a word of the text of five letters or more that begins a word of a sector's name or
    terms, or that such a word begins."""
    words = {w for w in re.findall(r"[a-z]+", normalize(text)) if len(w) >= 5}
    found = []
    for s in session.scalars(select(Sector).order_by(Sector.id)):
        terms = {w for w in re.findall(r"[a-z]+", normalize(f"{s.name} {s.covers}")) if len(w) >= 5}
        if any(t.startswith(w) or w.startswith(t) for w in words for t in terms):
            found.append(s.id)
    return found


def _relations(session: Session, actor: Actor, ids: Select[Any], w: dict[str, float],
               today: dt.date) -> dict[int, list[Signal]]:
    """The relationship signals of every organization in ``ids``: meetings, leads, interest, MoUs, documents."""
    out: dict[int, list[Signal]] = {}
    for org, (n, last) in q.meetings(session, ids).items():
        out.setdefault(org, []).append(signal("meeting", n, w, f"last on {last}" if last else ""))
        if last is not None and (today - last).days <= RECENT_DAYS:
            out[org].append(signal("recent_meeting", 1, w, f"on {last}"))
    for org, (n, interested) in q.leads(session, ids).items():
        out.setdefault(org, []).append(signal("open_lead", n, w))
        if interested:
            out[org].append(signal("interest", interested, w, "leads at stage interested"))
    for org, n in q.mou_counts(session, ids, actor).items():
        out.setdefault(org, []).append(signal("mou", n, w))
    for org, n in q.documents(session, ids).items():
        out.setdefault(org, []).append(signal("document", n, w))
    return out


def _rank(session: Session, actor: Actor, target: Target, ids: Select[Any], *, foreign: bool = False,
          limit: int, extra: dict[int, list[Signal]] | None = None) -> MatchResult:
    w = weights()
    today = dt.date.today()
    common = q.sectors_in_common(session, ids, target.sectors) if target.sectors else {}
    rel = _relations(session, actor, ids, w, today)
    orgs = q.organizations(session, ids)
    matches = []
    for org_id, (name, country, city) in orgs.items():
        sigs = list(rel.get(org_id, [])) + list((extra or {}).get(org_id, []))
        if org_id in common:
            sigs.insert(0, signal("sector", len(common[org_id]), w, ", ".join(sorted(common[org_id]))))
        if foreign and country and country != "IN":
            sigs.append(signal("foreign", 1, w, f"based in {country}"))
        m = scored("organization", str(org_id), name, sigs, country=country, city=city,
                   url=f"/organizations/{org_id}")
        if m.score > 0:
            matches.append(m)
    matches.sort(key=lambda m: (-m.score, m.name))
    return MatchResult(target=target, weights=w, total=len(matches), matches=matches[:limit])


def _sector_ids(sector_list: list[str]) -> Select[Any]:
    return q.active(select(Organization.id).where(Organization.id.in_(
        select(organization_sectors.c.organization_id).where(organization_sectors.c.sector_id.in_(sector_list)))))


def for_offering(session: Session, *, actor: Actor, offering_id: int, limit: int = 50) -> MatchResult:
    """The organizations that fit an offering (a park, a cluster...), ranked, with the reasons."""
    require(actor, Perm.read)
    offering = session.get(Offering, offering_id)
    if offering is None:
        raise NotFound(f"offering {offering_id} not found", field="offering_id")
    found = sectors_in_text(session, f"{offering.name} {offering.description}")
    target = Target(kind="offering", id=str(offering.id), name=offering.name, sectors=found,
                    sectors_note="sectors read from the offering's name and description")
    ids = _sector_ids(found) if found else q.active(select(Organization.id).where(Organization.id.in_(
        q.related_ids())))
    return _rank(session, actor, target, ids, limit=limit)


def for_policy(session: Session, *, actor: Actor, policy_id: str, limit: int = 50) -> MatchResult:
    """The organizations that fit an incentive policy: its sectors, and foreign capital where it asks for it."""
    cur = incentives.get_policy(session, actor=actor, policy_id=policy_id)
    doc = cur.doc
    ids_ = doc.eligibility.sectors.ids
    sector_list = [] if ids_ == "any" else list(ids_)
    target = Target(kind="policy", id=doc.id, name=doc.short_name, sectors=sector_list,
                    sectors_note="every sector" if ids_ == "any" else "the policy's eligible sectors")
    foreign = doc.eligibility.foreign is not None
    if sector_list:
        ids = _sector_ids(sector_list)
    elif foreign:
        ids = q.active(select(Organization.id).where(Organization.country.is_not(None), Organization.country != "IN"))
    else:
        ids = q.active(select(Organization.id).where(Organization.id.in_(q.related_ids())))
    return _rank(session, actor, target, ids, foreign=foreign, limit=limit)


def for_organization(session: Session, *, actor: Actor, organization_id: int) -> MatchResult:
    """The offerings and policies in force that fit an organization, with the reasons."""
    org = organizations.get(session, actor=actor, organization_id=organization_id)
    w = weights()
    mine = {s.id for s in org.sectors}
    open_leads = session.scalar(select(func.count()).select_from(Opportunity).where(
        Opportunity.counterpart_id == org.id, Opportunity.stage.in_(q.OPEN_STAGES))) or 0
    matches = []
    for offering in session.scalars(select(Offering).order_by(Offering.id)):
        common = sorted(mine & set(sectors_in_text(session, f"{offering.name} {offering.description}")))
        sigs = [signal("sector", len(common), w, ", ".join(common))]
        matches.append(scored("offering", str(offering.id), offering.name, sigs, url=f"/match/offering/{offering.id}"))
    foreign = bool(org.country and org.country != "IN")
    for summary in incentives.list_policies(session, actor=actor):
        cur = incentives.get_policy(session, actor=actor, policy_id=summary.id)
        if not incentives.in_force_today(cur):
            continue
        ids_ = cur.doc.eligibility.sectors.ids
        common = sorted(mine) if ids_ == "any" else sorted(mine & set(ids_))
        sigs = [] if ids_ == "any" else [signal("sector", len(common), w, ", ".join(common))]
        if cur.doc.eligibility.foreign is not None and foreign:
            sigs.append(signal("foreign", 1, w, f"based in {org.country}"))
        if any(s.count for s in sigs) and open_leads:
            sigs.append(signal("open_lead", open_leads, w, "a pitch for the open leads"))
        matches.append(scored("policy", summary.id, summary.short_name, sigs, url=f"/match/policy/{summary.id}"))
    matches = sorted([m for m in matches if m.score > 0], key=lambda m: (-m.score, m.name))
    target = Target(kind="organization", id=str(org.id), name=org.name, sectors=sorted(mine))
    return MatchResult(target=target, weights=w, total=len(matches), matches=matches)


def for_trip(session: Session, *, actor: Actor, trip: TripIn, limit: int = 100) -> MatchResult:
    """Whom to meet on a trip: first those with open leads or overdue follow-ups, then new fits."""
    require(actor, Perm.read)
    sector_list = [s.id for s in sectors.resolve(session, trip.sectors, field="sector")]
    country = trip.country.upper()
    ids = q.active(select(Organization.id).where(Organization.country == country))
    target = Target(kind="trip", id=country, name=f"{country}: {', '.join(trip.cities) or 'any city'}",
                    sectors=sector_list)
    w = weights()
    extra = {org: [signal("overdue_followup", n, w)] for org, n in
             q.overdue_followups(session, ids, dt.date.today()).items()}
    cities = {c.strip().lower() for c in trip.cities if c.strip()}
    if cities:
        city_ids = select(Organization.id).where(Organization.id.in_(ids), func.lower(Organization.city).in_(cities))
        for org_id, city in session.execute(select(Organization.id, Organization.city).where(
                Organization.id.in_(city_ids))):
            extra.setdefault(org_id, []).append(signal("city", 1, w, city or ""))
    ranked = _rank(session, actor, target, ids, limit=10**9, extra=extra)
    last = q.meetings(session, ids)
    out = []
    for m in ranked.matches:
        org_id = int(m.id)
        if sector_list and not any(s.name in ("sector", "open_lead", "overdue_followup") for s in m.signals):
            continue  # met before, but in none of the trip's sectors and nothing open
        m.tier = "follow_up" if any(s.name in ("open_lead", "overdue_followup") for s in m.signals) else "new"
        m.last_contact = last.get(org_id, (0, None))[1]
        out.append(m)
    out.sort(key=lambda m: (m.tier != "follow_up", -m.score, m.name))
    out = out[:limit]
    people = q.contacts(session, [int(m.id) for m in out])
    for m in out:
        m.contact_person = people.get(int(m.id))
    return MatchResult(target=target, weights=w, total=len(out), matches=out)
