"""The line under each search hit (what kind of organization and its country, a lead's stage and district, an
MoU's status and district, a meeting's date and place) in the reader's language.

The index keeps one copy of each subtitle, written in English whenever a record changes, whoever changes it. A
reader in another language gets the subtitles of the hits shown made again from their records: the vocabulary
(kind, stage, status) and the date as the pages show them, districts and countries by their Hindi names where the
reference data lists one. People, missions and documents show names, titles, cities and file names only, the
same in every language.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk import formatting, i18n, places
from investdesk.models import Engagement, Mou, Opportunity, Organization
from investdesk.models.engagement import engagement_counterparts
from investdesk.search.schemas import Hit

SEP = " · "


def _place(kind: str, english: str | None, key: str | None = None) -> str:
    """A district or country as the reader names it (``key``: the lookup key when it is not the name)."""
    if not english:
        return ""
    return (places.hindi_name(kind, key or english) if i18n.current() == "hi" else None) or english


def _country(code: str | None) -> str:
    return _place("country", formatting.country(code), code) if code else ""


def _join(*parts: str | None) -> str:
    return SEP.join(p for p in parts if p)


def _organizations(session: Session, ids: list[int]) -> dict[int, str]:
    rows = session.execute(select(Organization.id, Organization.kind, Organization.country)
                           .where(Organization.id.in_(ids)))
    return {oid: _join(formatting.label(kind) if kind else "", _country(country)) for oid, kind, country in rows}


def _opportunities(session: Session, ids: list[int]) -> dict[int, str]:
    rows = session.execute(select(Opportunity.id, Opportunity.stage, Organization.name, Opportunity.district)
                           .outerjoin(Organization, Organization.id == Opportunity.counterpart_id)
                           .where(Opportunity.id.in_(ids)))
    return {oid: _join(formatting.label(stage), org, _place("district", district))
            for oid, stage, org, district in rows}


def _mous(session: Session, ids: list[int]) -> dict[int, str]:
    rows = session.execute(select(Mou.id, Mou.status, Mou.district).where(Mou.id.in_(ids)))
    return {mid: _join(formatting.label(status), _place("district", district)) for mid, status, district in rows}


def _engagements(session: Session, ids: list[int]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    for eid, name in session.execute(
            select(engagement_counterparts.c.engagement_id, Organization.name)
            .join(Organization, Organization.id == engagement_counterparts.c.organization_id)
            .where(engagement_counterparts.c.engagement_id.in_(ids)).order_by(Organization.id)):
        names.setdefault(eid, []).append(name)
    rows = session.execute(select(Engagement.id, Engagement.date, Engagement.city).where(Engagement.id.in_(ids)))
    return {eid: _join(formatting.date(day) if day else "", city, ", ".join(names.get(eid, [])))
            for eid, day, city in rows}


MAKERS = {"organization": _organizations, "opportunity": _opportunities, "mou": _mous, "engagement": _engagements}


def localise(session: Session, hits: Sequence[Hit]) -> None:
    """Write the subtitles of these hits in the reader's language (English: the index's copy stays)."""
    if i18n.current() == i18n.DEFAULT:
        return
    for kind, make in MAKERS.items():
        mine = [h for h in hits if h.kind == kind]
        if mine:
            made = make(session, [h.id for h in mine])
            for h in mine:
                h.subtitle = made.get(h.id, h.subtitle)
