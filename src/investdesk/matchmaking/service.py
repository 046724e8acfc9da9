"""Matchmaking: who fits an offering or a policy, what fits an organization, whom to meet on a trip.

Every score is the sum of named signals (count × weight), each returned with the match, so an officer can
see why a name is on the list. Weights come from settings (INVESTDESK_MATCH_WEIGHTS). Reads only.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from investdesk.config import get_settings
from investdesk.errors import NotFound, ValidationFailed
from investdesk.extraction.normalize import normalize
from investdesk.i18n import _
from investdesk.incentives import service as incentives
from investdesk.matchmaking import ranking
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

MAX_WEIGHT = 1000.0  # a signal's weight: a reason to meet counts from nothing to this much


def weights() -> dict[str, float]:
    """The default weights with the settings' overrides; an unknown signal name, or a weight below zero, above
    MAX_WEIGHT or not a number, is refused."""
    given = get_settings().match_weights
    unknown = sorted(set(given) - set(DEFAULT_WEIGHTS))
    if unknown:
        raise ValidationFailed(_('INVESTDESK_MATCH_WEIGHTS: unknown signal %(unknown)s (known: %(value)s)',
                                 unknown=repr(unknown[0]), value=', '.join(DEFAULT_WEIGHTS)), field="match_weights")
    for name, value in given.items():
        if not (math.isfinite(value) and 0 <= value <= MAX_WEIGHT):
            raise ValidationFailed(_('INVESTDESK_MATCH_WEIGHTS: %(name)s is %(value)s; a weight is a number from 0 to '
                                     '%(most)s', name=name, value=value, most=MAX_WEIGHT), field="match_weights")
    return {**DEFAULT_WEIGHTS, **given}


def signal(name: str, count: float, w: dict[str, float], detail: str = "") -> Signal:
    return Signal(name=name, label=SIGNAL_LABELS[name], count=count, weight=w[name],
                  points=round(count * w[name], 4), detail=detail)


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


def _rank(session: Session, actor: Actor, target: Target, candidates: ColumnElement[bool], ask: ranking.Ask, *,
          limit: int) -> MatchResult:
    """The candidates ranked in SQL; the top ones with their signals, last contact and (on a trip) person."""
    w = weights()
    total, rows = ranking.rank(session, actor, q.active(candidates), ask, w, dt.date.today(), limit)
    top = [r.id for r in rows]
    top_ids = select(Organization.id).where(Organization.id.in_(top))
    common = q.sectors_in_common(session, top_ids, ask.sectors) if ask.sectors and top else {}
    people = q.contacts(session, top) if ask.trip else {}
    last = ranking.last_meetings(session, top)
    matches = []
    for r in rows:
        sigs = ranking.signals_of(r, w, sorted(common.get(r.id, [])), last.get(r.id))
        matches.append(scored("organization", str(r.id), r.name, sigs, country=r.country, city=r.city,
                              url=f"/organizations/{r.id}", last_contact=last.get(r.id),
                              tier=("follow_up" if r.tier == 0 else "new") if ask.trip else None,
                              contact_person=people.get(r.id)))
    return MatchResult(target=target, weights=w, total=total, matches=matches)


def _in_sectors(sector_list: list[str]) -> ColumnElement[bool]:
    return Organization.id.in_(
        select(organization_sectors.c.organization_id).where(organization_sectors.c.sector_id.in_(sector_list)))


def for_offering(session: Session, *, actor: Actor, offering_id: int, limit: int = 50) -> MatchResult:
    """The organizations that fit an offering (a park, a cluster...), ranked, with the reasons."""
    require(actor, Perm.read)
    offering = session.get(Offering, offering_id)
    if offering is None:
        raise NotFound(_('offering %(offering_id)s not found', offering_id=offering_id), field="offering_id")
    found = sectors_in_text(session, f"{offering.name} {offering.description}")
    target = Target(kind="offering", id=str(offering.id), name=offering.name, sectors=found,
                    sectors_note="sectors read from the offering's name and description")
    candidates = _in_sectors(found) if found else Organization.id.in_(q.related_ids())
    return _rank(session, actor, target, candidates, ranking.Ask(sectors=found), limit=limit)


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
        candidates = _in_sectors(sector_list)
    elif foreign:
        candidates = and_(Organization.country.is_not(None), Organization.country != "IN")
    else:
        candidates = Organization.id.in_(q.related_ids())
    return _rank(session, actor, target, candidates, ranking.Ask(sectors=sector_list, foreign=foreign), limit=limit)


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
    candidates = Organization.country == country
    target = Target(kind="trip", id=country, name=f"{country}: {', '.join(trip.cities) or 'any city'}",
                    sectors=sector_list)
    ask = ranking.Ask(sectors=sector_list, cities=[c.strip() for c in trip.cities if c.strip()], trip=True)
    return _rank(session, actor, target, candidates, ask, limit=limit)
