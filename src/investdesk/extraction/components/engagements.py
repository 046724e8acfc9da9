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
from investdesk.extraction.components.money import AMOUNT_RE as _AMOUNT
from investdesk.extraction.components.org_candidates import Org
from investdesk.extraction.components.places import first_city
from investdesk.extraction.components.sectors import sectors_in_text
from investdesk.extraction.components.sides import home_words_of
from investdesk.extraction.components.state import Analysis
from investdesk.extraction.lexicon import cue
from investdesk.extraction.normalize import clean_name

_SITE_BEFORE = cue("site_before")
_REMOTE = cue("remote_meeting")


def engagements(an: Analysis) -> list[dict[str, Any]]:
    """One engagement per meeting sentence, with its counterparts and the city in force there."""
    out: list[dict[str, Any]] = []
    city_for: dict[str, str | None] = {}
    for i in sorted(an.meeting_sents):
        counterparts = [o for o in sentence_orgs(an, i) if o.role == "counterpart" and o.kind in COUNTERPART_KINDS]
        if not counterparts:
            continue
        sent = an.sents[i]
        city = _nearest_city(an, i, counterparts[0]) or _only_city(an, i)
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
    out += _signing_round(an, {n for e in out if e["city"] for n in e["counterparts"]})
    out += _meeting_record(an, {n for e in out if e["city"] for n in e["counterparts"]})
    # A counterpart seen first without a city and later with one keeps only the city'd meeting.
    located = {n for e in out if e["city"] for n in e["counterparts"]}
    for e in out:
        if not e["city"]:
            e["counterparts"] = [n for n in e["counterparts"] if n not in located or city_for.get(n) is None]
    return [e for e in out if e["counterparts"]]


def _only_city(an: Analysis, i: int) -> str | None:
    """The one city the story is set in from its opening, for a meeting whose sentence names none and follows
    no city: a visit to one city has all its meetings there. Not for a meeting held remotely, nor one in a
    sentence naming a home city or where someone came from."""
    cities = {c for ms in an.places.settled.values() for _, c in ms}
    opening = max(4, len(an.sents) // 3)
    early = {c for j, ms in an.places.settled.items() if j <= opening for _, c in ms}
    if len(cities) != 1 or cities != early or an.places.inbound or an.places.home_cities.get(i) or \
            an.places.origins.get(i) or _REMOTE.search(an.sents[i].text):
        return None
    return cities.pop()


def _nearest_city(an: Analysis, i: int, org: Org) -> str | None:
    mentions = an.places.city_mentions.get(i, [])
    carried = an.places.sentence_city.get(i - 1) if i else None
    if mentions:
        pos = first_position(org, i)
        possessive = [c for p, c in mentions if an.text[p:p + len(c) + 2].endswith(("'s", "’s"))]
        settled = an.places.settled.get(i, [])
        if possessive or settled:  # "Osaka's KPIA"; "in Osaka, the team met KPIA"
            return (possessive or [c for p, c in settled if p < pos] or [settled[0][1]])[-1]
        if carried is None:  # only named here ("a Bhubaneswar start-up"), and no city in force before
            before = [c for p, c in mentions if p < pos]
            return (before or [mentions[0][1]])[-1]
        return carried
    carried = an.places.sentence_city.get(i)
    start = an.sents[i].start_char
    at_home = [c for p, c in an.places.home_cities.get(i, []) if re.search(r"(?:\b(?:in|at)\s+|,\s*)$", an.text[:p])
               and not _SITE_BEFORE.search(an.text[max(start, p - 60):p])]
    if carried is None and at_home:
        return at_home[0]  # met at home, in the city the sentence names (not where a plant or office is)
    return carried


def _signing_round(an: Analysis, located: set[str]) -> list[dict[str, Any]]:
    """A round of MoUs signed at home ("The agreements were exchanged at ... in Gandhinagar"; "The MoUs signed
    today are:"): one signing with every company the story gives an amount or an MoU, in the signing's city."""
    home = an.places.home_country
    cities = {c for ms in an.places.settled.values() for _, c in ms}  # where the story is, not where firms are from
    if home is None or any(an.lex.city_country[c.lower()] != home for c in cities) or \
            any(r.kind == "mou" for r in an.table_rows):
        return []
    rounds = [i for i, s in enumerate(an.sents) if _ROUND.search(s.text)]
    if not rounds:
        return []
    named = [an.places.settled.get(i, []) for i in rounds] + [an.places.settled.get(i, []) for i in range(6)]
    city = next((ms[0][1] for ms in named if ms), None)
    if city is None:
        return []
    names: list[str] = []
    for i, sent in enumerate(an.sents):
        if i < rounds[0] or not (_AMOUNT.search(sent.text) or _DEAL.search(sent.text)):
            continue
        for o in sentence_orgs(an, i):
            if o.kind == "company" and o.role in {"counterpart", "mentioned"} and o.name not in located and \
                    o.name not in names:
                names.append(o.name)
    if not names:
        return []
    sent = an.sents[rounds[0]]
    return [{"counterparts": names, "city": city, "venue": None, "date": None, "sectors": [], "topics": [],
             "evidence": sent.text.strip()}]


def _meeting_record(an: Analysis, located: set[str]) -> list[dict[str, Any]]:
    """Minutes or a note of one meeting ("Minutes of the meeting with the Taiwan business delegation held on ...
    in ..., Gandhinagar"): one meeting, in the city the heading names, with the organizations of the other
    side's people and of a "Companies:" line."""
    head = next((i for i, s in enumerate(an.sents[:12]) if _RECORD.search(s.text)), None)
    if head is None:
        return []
    start = an.sents[head].start_char
    end = an.text.find("\n", start)
    heading = an.text[start:end if end > 0 else len(an.text)]  # the whole heading line ("... Room No. 1, City")
    held = re.search(r"\bheld\b", heading, re.I)
    place = heading[held.end():] if held else heading
    cities = [c for c in (first_city(w, an.lex) for w in re.split(r"(?<=,)|\b(?:at|in)\b", place.title())) if c]
    city = cities[-1] if cities else None
    names: list[str] = []

    def add(org: Org | None) -> None:
        if org is not None and org.role != "home" and org.kind in COUNTERPART_KINDS and org.name not in located \
                and org.name not in names:
            names.append(org.name)

    home_words = {w for w in home_words_of(an) if len(w) > 2} | \
        {k for o in an.orgs if o.role == "home" for k in (o.name, o.acronym) if k}
    named = {i for p in an.people for i in p.sents}
    for p in an.people:
        if p.side != "home" and not p.delegate and p.organization and p.sents and \
                not any(w in _list_label(an, p.sents[0], named) for w in home_words):
            add(an.org_by_text(p.organization))
    for i, s in enumerate(an.sents):
        if _LISTED.match(s.text):
            for o in sentence_orgs(an, i):
                add(o)
    if not names:
        return []
    return [{"counterparts": names, "city": city, "venue": None, "date": None, "sectors": [], "topics": [],
             "evidence": heading.strip()}]


def _list_label(an: Analysis, i: int, named: set[int]) -> str:
    """The label a list of names sits under ("Government of Gujarat side:", "Delegation"): the first line
    above sentence ``i`` that names no one and is no bullet or item number."""
    for k in range(i - 1, max(-1, i - 30), -1):
        text = an.sents[k].text.strip()
        if k in named or len(text) <= 4 or re.fullmatch(r"[\d.•*–-]+|\w{1,4}\.", text):
            continue
        return text if len(text) < 80 else ""
    return ""


_RECORD = cue("meeting_record")
_LISTED = re.compile(r"\s*(?:companies|firms|investors|participants|delegation|delegates)\s*:", re.I)
_ROUND = cue("signing_round")
_DEAL = re.compile(r"\b(?:MoUs?|memorand\w+|agreements?)\b", re.I)


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
