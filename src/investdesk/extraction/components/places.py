"""Where things happen: the home jurisdiction, destination countries, cities and the city of each sentence.

Writes ``doc._.places``. Reads ``doc._.sents`` and ``doc._.orgs`` (an agency's name
names its state: "Invest UP").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from investdesk.extraction.components.state import Analysis
from investdesk.extraction.lexicon import ORG_HEADS, TIME_SHIFT, Jurisdiction, Lexicon, cue, national_bodies

_HOME_AFTER = re.compile(r"^\s*(government|govt|delegation|chief minister|cm|governor|state|team|cabinet|"
                         r"industries minister|minister|department|economic development|officials|pavilion)\b", re.I)
_HOME_BEFORE = re.compile(r"(governor of|government of|delegation from|delegation of|invest in|investing in|"
                          r"investments? (in|to)|chief minister of|state of|from)\s*$", re.I)
_TRAVEL_BEFORE = re.compile(r"(visit(ing|ed|s)? to|trip to|tour of|tour to|mission to|in|to|across|left for|"
                            r"arrived in|reached|travel(l)?ed to|roadshow in|delegation to|visit of)\s*$", re.I)
# "visited Japan", "the Japan leg", "to Germany, France and the UK": a country the delegation went to.
_TRAVEL_COUNTRY_BEFORE = cue("travel_country_before")
_TRAVEL_COUNTRY_AFTER = cue("travel_country_after")
_COUNTRY_LIST_GLUE = cue("country_list_glue")
_DEMONYM_AFTER = re.compile(r"^\s*(firms?|compan(y|ies)|corporations?|investors?|businesses|delegation|"
                            r"majors?|industrialists|conglomerates?|partners?|counterparts?|government|"
                            r"automakers?|manufacturers?|enterprises|industry)\b", re.I)


_BASED = re.compile(r"[-–]based\b|\s+based\b")
# A city named as where someone passes through or comes from: "via Dubai", "a team from Osaka",
# "Tokai Kasei Co., Ltd. of Nagoya".
_ORIGIN_BEFORE = re.compile(r"\bvia\s+$|\b(?:delegation|team|mission|visitors?|companies|firms?)\s+from\s+$|"
                            r"\b(?:Ltd|Inc|Co|Corp|Corporation|GmbH|AG|LLC|Limited|Group|Industries)\.?,?\s+of\s+$")


# A run of capitalised words, or of words in capitals ("MUMBAI", "HELD ... IN THE CONFERENCE HALL, MUMBAI").
_CITY_RUN = re.compile(r"[A-Z][a-zà-ÿ]+(?:[ -][A-Z][a-zà-ÿ]+)*|(?<![\w-])[A-Z]{4,}(?:[ -][A-Z]{4,})*(?![\w-])")
# A city the story is in: after "in", "at", "to", a travel verb, or a comma ("Udyog Bhavan, Gandhinagar").
_LOCATIVE_BEFORE = re.compile(r"(?:\b(?:in|at|into|near|reached|visited|visiting|toured|touring|left for|across|"
                              r"(?:\w+ed|go|going|came|come|flew|trip|visits?|tour|mission|delegation|roadshow|way)\s+to|"
                              r"(?:the )?(?:city|capital) of)\s+(?:the\s+)?|(?-i:[A-Z][\w.)-]*),\s*|\|\s*)$", re.I)
# A heading line or a dateline that is a city: "HYDERABAD", "Chennai (5–6 Feb)", "Munich:", "KOCHI, November 4".
_HEADING_CITY = re.compile(r"[\s•*]*(?P<city>[\w .-]+?)\s*(?:$|\(|:|/|[,–-]\s*(?:[A-Z][a-z]+\.?\s+\d|\d|\())")
_SITE_BEFORE = cue("site_before")


def _city_list(text: str, start: int, mentions: list[tuple[int, str]], settled: list[tuple[int, str]]) -> list[str]:
    """The cities a sentence moves the story to: each settled one, with the cities listed after it ("to Osaka
    and Sapporo", "Tokyo, Nagoya")."""
    out: list[str] = []
    keys = {p for p, _ in settled}
    last_end = -1
    for p, c in mentions:
        glue = text[last_end - start:p - start] if last_end >= 0 else ""
        if p in keys or (out and re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*", glue)):
            out.append(c)
            last_end = p + len(c)
        else:
            last_end = -1
    return out


def _settles(text: str, offset: int, length: int, event: bool = True) -> bool:
    """Whether the city at ``offset`` of a sentence is where the story is, not a city only named: after "in",
    "at", a travel verb, a venue ("Udyog Bhavan, Gandhinagar") or a dateline's bar, or heading the line; not
    where a plant or office is ("a hub in Singapore"), a district ("in Surat district") or a possessive."""
    lead, tail = text[:offset], text[offset + length:offset + length + 12]
    if re.match(r"(?:['’]s\b|\s+(?:district|region|prefecture|province|county)\b)", tail, re.I) or \
            _SITE_BEFORE.search(lead[-60:]):
        return False
    if event and _LOCATIVE_BEFORE.search(lead):
        return True
    heading = _HEADING_CITY.match(text)
    return heading is not None and heading.start("city") == offset


@dataclass
class Places:
    home: Jurisdiction | None = None
    home_name: str | None = None
    home_country: str | None = None
    destinations: dict[str, list[str]] = field(default_factory=dict)   # country -> cities, in order
    city_mentions: dict[int, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    sentence_city: dict[int, str | None] = field(default_factory=dict)  # city in force for each sentence
    inbound: bool = False  # the foreign side came to the home state: nobody from home travelled anywhere
    origins: dict[int, list[str]] = field(default_factory=dict)  # cities named as where someone came from
    home_cities: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # home cities named, by sentence
    # The cities each sentence places the story in ("in Osaka", "HYDERABAD", "Udyog Bhavan, Gandhinagar"), as
    # opposed to those it only names ("a Bhubaneswar start-up", "Singapore's park", "a plant in Pune").
    settled: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    at_home: bool = False  # no city abroad places the story: it happened in the home country


def find_home(doc: Doc, text: str, lex: Lexicon, org_names: list[str]) -> tuple[Jurisdiction | None, str | None]:
    """The jurisdiction sending the delegation or signing for the state, by weighted mentions."""
    first_sents = list(islice(doc.sents, 3))
    early_end = first_sents[-1].end_char if first_sents else 0
    scores: dict[str, float] = defaultdict(float)
    by_name: dict[str, Jurisdiction] = {}
    for m in lex.jurisdiction_re.finditer(text):
        j = lex.jurisdiction(m.group(0))
        if j is None:
            continue
        by_name[j.name] = j
        w = 1.0
        if text[max(0, m.start() - 4):m.start()] == "New " and f"new {m.group(0).lower()}" in lex.city_country:
            scores[j.name] += 0.2  # "New Delhi": the capital city where meetings are held, not a state
            continue
        if m.start() < early_end:
            w += 1.5
        if _HOME_AFTER.match(text[m.end():m.end() + 30]) or \
                _HOME_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            w += 2
        if text[m.end():m.end() + 2] in {"'s", "’s"}:
            w += 0.5
        scores[j.name] += w
    for org in org_names:  # "Invest UP", "Guidance Tamil Nadu": an agency names its state
        for word in re.findall(r"[A-Z][\w.]*(?: [A-Z][\w.]*)*", org):
            for key in (word, word.replace(".", "")):
                named = lex.jurisdiction(key) if (key.isupper() or len(key) > 3) else None
                if named:
                    by_name[named.name] = named
                    scores[named.name] += 1.5
    national = _national_agency(text, lex, org_names, early_end)
    if national is not None and (not scores or max(scores.values()) < 2.5):
        # No state promotes here: a national agency does ("IDA Ireland", "Invest India", "EDB Singapore").
        return national, national.name
    if not scores:
        return None, None
    name = max(scores, key=lambda n: scores[n])
    return by_name[name], name


_AGENCY = re.compile(r"^Invest\b|\bInvest [A-Z]|\bIDA\b|\bEconomic Development (Board|Agency|Corporation)\b|"
                     r"\bInvestment (Promotion|Authority|Agency|Board)\b|\bTrade and Investment\b|"
                     r"\bDevelopment International\b|\bTrade Organi[sz]ation\b")


def _national_agency(text: str, lex: Lexicon, org_names: list[str], early_end: int) -> Jurisdiction | None:
    """The country of the investment agency a document is about, when its name names a country ("IDA
    Ireland", "Singapore Economic Development Board", "Invest India"), weighted by its mentions."""
    scores: dict[str, float] = defaultdict(float)
    national = national_bodies()
    for org in org_names:
        known = national.get(org.lower())
        if not _AGENCY.search(org) and known is None:
            continue
        words = re.findall(r"[A-Z][\w.]*", org)
        code = next((c for n in (2, 1) for k in range(len(words) - n + 1)
                     if (c := lex.country_of(" ".join(words[k:k + n])))), None) or known
        for m in re.finditer(re.escape(org), text):
            # "Singapore's Economic Development Board": the country written just before the name
            before = re.search(r"([A-Z][\w.]*(?: [A-Z][\w.]*)?)(?:['’]s)?\s+$", text[max(0, m.start() - 30):m.start()])
            found = code or (lex.country_by_name.get(before.group(1).lower()) if before else None)
            if found:
                scores[found] += 1.0 + (1.5 if m.start() < early_end else 0.0)
    if not scores:
        return None
    code = max(scores, key=lambda c: scores[c])
    names = lex.country_names.get(code) or [code]
    demonyms = tuple(d for d, c in lex.country_by_demonym.items() if c == code)
    return Jurisdiction(names[0], code, tuple(names[1:]), demonyms)


def find_countries(text: str, lex: Lexicon, home_country: str | None) -> dict[str, float]:
    """Foreign countries the story takes place in or deals with, with a weight."""
    weights: dict[str, float] = defaultdict(float)
    last_end, last_travel = -1, False  # the country named just before, and whether it was travelled to
    for m in lex.country_re.finditer(text):
        code = lex.country_by_name.get(m.group(0).lower())
        lead = text[max(0, m.start() - 60):m.start()]
        travel = bool(_TRAVEL_BEFORE.search(lead[-25:]) or _TRAVEL_COUNTRY_BEFORE.search(lead) or
                      _TRAVEL_COUNTRY_AFTER.match(text[m.end():m.end() + 25]) or
                      (last_travel and last_end >= 0 and _COUNTRY_LIST_GLUE.match(text[last_end:m.start()])))
        last_end, last_travel = m.end(), travel
        if code and code != home_country:
            weights[code] += 1.0 if travel else 0.3
    for m in lex.demonym_re.finditer(text):
        code = lex.country_by_demonym.get(m.group(0).lower())
        if code and code != home_country:
            weights[code] += 1.0 if _DEMONYM_AFTER.match(text[m.end():m.end() + 25]) else 0.2
    return dict(weights)


def city_of(text: str, lex: Lexicon) -> tuple[str, str] | None:
    key = text.lower().strip()
    if key in lex.city_country:
        return lex.city_names[key], lex.city_country[key]
    return None


def first_city(text: str, lex: Lexicon) -> str | None:
    """The first known city named in a text, of any country ("... held at Khanapara, Guwahati on ...")."""
    for m in re.finditer(r"[A-Z][a-zà-ÿ]+(?:[ -][A-Z][a-zà-ÿ]+)*", text):
        if _BASED.match(text, m.end()):
            continue
        words = m.group(0).split()
        for n in range(len(words), 0, -1):
            for k in range(len(words) - n + 1):
                found = city_of(" ".join(words[k:k + n]), lex)
                if found:
                    return found[0]
    return None


def locate(sents: list[Span], lex: Lexicon, home_country: str | None,
           venue_sents: set[int], movers: set[int] | None = None) -> Places:
    """Cities named in each sentence and the city in force there (carried forward within a story). With
    ``movers``, only those sentences (meetings, datelines) move the story to the city they are in."""
    places = Places()
    for i, sent in enumerate(sents):
        for m in _CITY_RUN.finditer(sent.text):
            if _BASED.match(sent.text, m.end()):
                continue  # "a Chicago-based firm": where it is based, not where the meeting was
            words = m.group(0).split()
            if len(words) > 1 and (words[-1].lower() in ORG_HEADS or words[-1].lower() in {"marine", "steel"}):
                continue  # "Pohang Marine Industries", "Dubai Chamber": a name, not a place
            # The longest known city inside the run: "In Osaka", "Ho Chi Minh City", "Tokyo Metropolitan".
            spans = sorted(((k, n) for n in range(len(words), 0, -1) for k in range(len(words) - n + 1)),
                           key=lambda kn: -kn[1])
            for k, n in spans:
                found = city_of(" ".join(words[k:k + n]), lex)
                if found and lex.country_of(found[0]) and len(lex.country_re.findall(sent.text)) >= 3:
                    found = None  # "countries such as Singapore, Indonesia and Japan": a country in a list
                lead = sent.text[:m.start() + (len(" ".join(words[:k])) + 1 if k else 0)]
                if found and _ORIGIN_BEFORE.search(lead):
                    # "to New York via Dubai", "a team from Osaka": passing through or coming from
                    if not re.search(r"\bvia\s+$", lead):
                        places.origins.setdefault(i, []).append(found[0])
                    found = None
                if found and found[1] != home_country:
                    offset = m.start() + len(" ".join(words[:k])) + (1 if k else 0)
                    places.city_mentions[i].append((sent.start_char + offset, found[0]))
                    if _settles(sent.text, offset, len(found[0]), movers is None or i in movers):
                        places.settled.setdefault(i, []).append((sent.start_char + offset, found[0]))
                    break
    current: str | None = None
    # A stay in one city only: a new day ("On the first day alone, ...") is still there.
    one_city = len({c for cities in places.city_mentions.values() for _, c in cities}) == 1
    for i, sent in enumerate(sents):
        stripped = sent.text.strip()
        opener = re.match(r"(?:In|At|From)\s+([A-Z][\w.]*(?:\s[A-Z][\w.]*)*),", stripped)
        if not one_city and (TIME_SHIFT.search(stripped) or i in venue_sents or
                             (opener and not city_of(opener.group(1), lex))):
            current = None  # a new day, a named venue, or "In California," leave no known city in force
        cities = places.city_mentions.get(i)
        if places.origins.get(i) and not cities:
            current = None  # "a team from Nagoya met the minister": not where the last city was
        if cities:
            places.sentence_city[i] = cities[-1][1]
            # A city only named ("Cambridge is the front-runner", "the Pune plant") does not move the story;
            # one the story is in ("in Osaka", "HYDERABAD" as a heading, "Tokyo:") does.
            moved = _city_list(sent.text, sent.start_char, cities, places.settled.get(i, []))
            if moved:
                # A sentence listing several cities ("to Tokyo, Yokohama and Hamamatsu") leaves no single place.
                last = moved[-1]
                same_country = {c for c in moved if lex.city_country[c.lower()] == lex.city_country[last.lower()]}
                current = last if len(same_country) == 1 else None
        else:
            places.sentence_city[i] = current
    return places


_VISITORS = re.compile(r"\b(?:delegation|team|mission|investors?|business leaders)\s+(?:from|of)\s+(?:the\s+)?"
                       r"([A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,5})")
_TRAVEL_OUT = re.compile(r"\b(?:visits? to|trip to|tour (?:of|to)|mission to|delegation to|roadshows? in|"
                         r"travel(?:l)?ed to|arrived in|was in|were in)\s+(?:the\s+)?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)")


def _visitors_came(text: str, lex: Lexicon, home_country: str) -> bool:
    """A delegation from abroad visiting the home state ("a delegation from JETRO met the minister"), with no
    word of the home side travelling abroad."""
    def foreign(name: str) -> bool:
        words = name.split()
        return any((c := lex.country_of(" ".join(words[:n]))) is not None and c != home_country
                   for n in range(len(words), 0, -1))

    if any(foreign(m.group(1)) for m in _TRAVEL_OUT.finditer(text)):
        return False
    return any(foreign(m.group(1)) for m in _VISITORS.finditer(text))


def find_places(doc: Doc) -> Places:
    """Home, destinations with their cities, and the city in force in each sentence."""
    an = Analysis(doc)
    lex, sents, text = an.lex, an.sents, an.text
    # An embassy's or consulate's name names its seat and its country, never the promoting side's state.
    home, home_name = find_home(doc, text, lex, [o.name for o in an.orgs if o.kind != "diplomatic_mission"])
    home_country = home.country if home else None
    weights = find_countries(text, lex, home_country)
    venue_sents = {i for i, s in enumerate(sents) if re.match(r"\s*At the [A-Z]", s.text)}
    places = locate(sents, lex, home_country, venue_sents)
    city_countries: dict[str, list[str]] = {}
    for i in sorted(places.city_mentions):
        for _, city in places.city_mentions[i]:
            code = lex.city_country[city.lower()]
            city_countries.setdefault(code, [])
            if city not in city_countries[code]:
                city_countries[code].append(city)
    dest = [c for c, w in sorted(weights.items(), key=lambda kv: -kv[1]) if w >= 1.0 or c in city_countries]
    for c in city_countries:
        if c not in dest:
            dest.append(c)
    for origin in (city for cities in places.origins.values() for city in cities):
        code = lex.city_country[origin.lower()]
        if code != home_country and code not in dest:
            dest.append(code)
    if not city_countries:
        # Signed at home with companies from abroad ("Osaka-based Hoshino Seiki"): the counterparts' countries.
        for m in re.finditer(r"([A-Z][a-zà-ÿ]+(?:[ -][A-Z][a-zà-ÿ]+)*)(?=[-–]based\b)", text):
            found = city_of(m.group(1).split("-")[-1], lex) or city_of(m.group(1), lex)
            based_in: str | None = found[1] if found else lex.country_of(m.group(1))
            if based_in and based_in != home_country and based_in not in dest:
                dest.append(based_in)
    no_city_abroad = bool(home_country) and not any(places.settled.values())
    if no_city_abroad:
        # Everything happened at home (a signing in Gandhinagar, a visit received in Mumbai; cities abroad only
        # named, as where firms come from): the home cities named are where the meetings were.
        # Home cities are named for much else (where a plant goes, where offices are): only a meeting's
        # sentence or a dateline moves the story to one.
        at_home = locate(sents, lex, None, venue_sents, movers=an.meeting_sents)
        places.city_mentions, places.settled = at_home.city_mentions, at_home.settled
        places.sentence_city = at_home.sentence_city
    elif home_country:
        # A tour abroad with meetings at home too (a signing in the capital before leaving): the home cities
        # named in a sentence, kept apart from the destinations.
        at_home = locate(sents, lex, None, venue_sents)
        places.home_cities = {i: [(p, c) for p, c in cities if lex.city_country[c.lower()] == home_country]
                              for i, cities in at_home.city_mentions.items()}
    places.home, places.home_name, places.home_country = home, home_name, home_country
    places.at_home = no_city_abroad
    places.inbound = home_country is not None and not any(c != home_country for c in city_countries) and \
        _visitors_came(text, lex, home_country)
    if places.inbound:
        dest = []
    places.destinations = {c: city_countries.get(c, []) for c in dest}
    return places


@Language.factory("investdesk_places")
def make_places(nlp: Language, name: str) -> Any:
    def places(doc: Doc) -> Doc:
        doc._.places = find_places(doc)
        return doc

    return places
