"""Engagements: one per meeting, with its counterparts and the city in force there.

Writes ``doc._.engagements``. Reads the meeting sentences, ``doc._.orgs`` (with roles), ``doc._.places``
and ``doc._.table_rows`` (a meeting table's rows are engagements of their own).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from investdesk.extraction.components.common import COUNTERPART_KINDS, first_position, sentence_orgs
from investdesk.extraction.components.org_candidates import Org
from investdesk.extraction.components.places import first_city
from investdesk.extraction.components.sectors import sectors_in_text
from investdesk.extraction.components.state import Analysis
from investdesk.extraction.lexicon import cue
from investdesk.extraction.normalize import clean_name

_SITE_BEFORE = cue("site_before")


def engagements(an: Analysis) -> list[dict[str, Any]]:
    """One engagement per meeting sentence, with its counterparts and the city in force there."""
    out: list[dict[str, Any]] = []
    city_for: dict[str, str | None] = {}
    for i in sorted(an.meeting_sents):
        counterparts = [o for o in sentence_orgs(an, i) if o.role == "counterpart" and o.kind in COUNTERPART_KINDS]
        if not counterparts:
            continue
        sent = an.sents[i]
        city = _nearest_city(an, i, counterparts[0])
        venue = None
        vm = re.match(r"\s*At the ((?:[A-Z][\w-]*\s?)+)", sent.text)
        if vm:
            venue = clean_name(vm.group(1))
        names = []
        for o in counterparts:
            if o.name in city_for and (city_for[o.name] or not city):
                continue
            city_for[o.name] = city
            names.append(o.name)
        if not names:
            continue
        out.append({"counterparts": names, "city": city, "venue": venue, "date": None,
                    "sectors": sectors_in_text(sent.text), "topics": [], "evidence": sent.text.strip()})
    # A counterpart seen first without a city and later with one keeps only the city'd meeting.
    located = {n for e in out if e["city"] for n in e["counterparts"]}
    for e in out:
        if not e["city"]:
            e["counterparts"] = [n for n in e["counterparts"] if n not in located or city_for.get(n) is None]
    return [e for e in out if e["counterparts"]]


def _nearest_city(an: Analysis, i: int, org: Org) -> str | None:
    mentions = an.places.city_mentions.get(i, [])
    if mentions:
        pos = first_position(org, i)
        before = [c for p, c in mentions if p < pos]
        possessive = [c for p, c in mentions if an.text[p:p + len(c) + 2].endswith(("'s", "’s"))]
        return (possessive or before or [mentions[0][1]])[-1]
    carried = an.places.sentence_city.get(i)
    start = an.sents[i].start_char
    at_home = [c for p, c in an.places.home_cities.get(i, []) if re.search(r"(?:\b(?:in|at)\s+|,\s*)$", an.text[:p])
               and not _SITE_BEFORE.search(an.text[max(start, p - 60):p])]
    if carried is None and at_home:
        return at_home[0]  # met at home, in the city the sentence names (not where a plant or office is)
    return carried


_SIGNING = re.compile(r"\b(signed|exchanged|executed|inked|summit|conclave|held at|held in)\b", re.I)


def table_engagements(an: Analysis) -> list[dict[str, Any]]:
    """One engagement per row of a meeting table, with the row's city and date; cancelled rows are none."""
    out: list[dict[str, Any]] = []
    for row in an.table_rows:
        if row.kind != "meeting" or row.total or row.cancelled or not row.company:
            continue
        org = an.org_by_text(row.company)
        venue = row.cells.get("venue")
        city = row.city or (first_city(venue, an.lex) if venue else None)
        out.append({"counterparts": [org.name if org else row.company], "city": city, "venue": venue,
                    "date": row.date, "sectors": sectors_in_text(row.text), "topics": [], "evidence": row.text})
    signed = [row for row in an.table_rows if row.kind == "mou" and row.company and not row.total
              and not row.cancelled]
    if signed and an.genre == "mou_list":
        # An MoU list is one signing: every company in it, in the city the list's heading names.
        heading = [s.text for s in an.sents[:8] if " | " not in s.text]
        # The city of the signing: in a sentence about it ("signed at ... Guwahati"), else the first one named.
        head = " ".join([t for t in heading if _SIGNING.search(t)] + heading)
        names: list[str] = []
        for row in signed:
            org = an.org_by_text(row.company or "")
            name = org.name if org else (row.company or "")
            if name not in names:
                names.append(name)
        out.append({"counterparts": names, "city": first_city(head, an.lex), "venue": None, "date": None,
                    "sectors": sorted({s for row in signed for s in sectors_in_text(row.sectors_text or "")}),
                    "topics": [], "evidence": an.sents[0].text.strip() if an.sents else signed[0].text})
    return out


def _table_names(an: Analysis) -> set[str]:
    """Organizations a table row already speaks for: the prose does not make a second item of them."""
    names = set()
    for row in an.table_rows:
        if row.company:
            org = an.org_by_text(row.company)
            names.add(org.name if org else row.company)
    return names


@Language.factory("investdesk_engagements")
def make_engagements(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        an = Analysis(doc)
        tabled = _table_names(an)
        prose = [{**e, "counterparts": [n for n in e["counterparts"] if n not in tabled]} for e in engagements(an)]
        doc._.engagements = table_engagements(an) + [e for e in prose if e["counterparts"]]
        return doc

    return component
