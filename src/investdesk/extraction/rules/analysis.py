"""One document's analysis: organizations, people and places, with roles and sides."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from investdesk.extraction.rules import orgs as orgmod
from investdesk.extraction.rules import people as peoplemod
from investdesk.extraction.rules import places as placemod
from investdesk.extraction.rules.lexicon import COMMITMENT_CUES, DISTRICT_PHRASE, MEETING_CUES, Lexicon, lexicon
from investdesk.extraction.rules.orgs import Org, norm
from investdesk.extraction.rules.spans import acronym_of, looks_like_acronym

_FACILITATOR_CUE = re.compile(r"\b(organi[sz]ed (jointly )?(with|by)|jointly organi[sz]ed with|facilitated by|"
                              r"in partnership with|hosted by|in association with|in collaboration with|"
                              r"supported by)\s+$", re.I)
_DELEGATION_CUE = re.compile(r"\b(delegation|delegates|led by|accompanied|travel(l)?ed|trip|visit(ed|ing)?|tour|"
                             r"mission|present|attended|signed|met|held|roadshow|members|included|comprising|"
                             r"along with|team|concluded|reached|arrived|left for|joined|joining|addressed|"
                             r"presented|showcased|invited|meet|meetings|talks|briefed|accompany\w*|departed)\b", re.I)
_ITS_TITLE = re.compile(r"\bits\s+(?:[A-Z][\w.&-]*\s+){1,4}$")
_MET_BEFORE = re.compile(r"\b(?:(?:talks|discussions?|meetings?|interactions?|dialogue)\s+with|met(?:\s+with)?|"
                         r"called on)\s+(?:(?:the|a)\s+)?(?:[A-Z][\w.]*\s+){0,3}$")
_MENTIONED_ONLY = re.compile(r"^['’]s\s+(vision|leadership|government|dream|mission|goal|target|call|policy|"
                             r"initiative|directions?|guidance)\b", re.I)
_FOREIGN_TITLE = re.compile(r"\b(ambassador|consul|high commissioner|envoy|trade commissioner)\b", re.I)
_HOME_TITLE = re.compile(r"\b(chief minister|deputy chief minister|governor|minister|chief secretary|"
                         r"principal secretary|additional chief secretary|secretary|commissioner|lieutenant governor|"
                         r"premier|mayor)\b", re.I)


@dataclass
class Person:
    name: str
    honorific: str | None
    titles: list[str]
    organization: str | None
    side: str
    delegate: bool
    evidence: str
    present: bool = False
    met: bool = False  # named as the one the delegation met ("held talks with X")
    sents: list[int] = field(default_factory=list)


@dataclass
class Analysis:
    doc: Doc
    sents: list[Span]
    paragraphs: list[int]
    lex: Lexicon
    orgs: list[Org] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    places: placemod.Places = field(default_factory=placemod.Places)
    meeting_sents: set[int] = field(default_factory=set)
    commitment_sents: set[int] = field(default_factory=set)  # an investor's own commitment or interest
    text: str = ""  # Doc.text rebuilds the string on every call; read it once

    def sent_of(self, char: int) -> int:
        return max(0, min(bisect_right([s.start_char for s in self.sents], char) - 1, len(self.sents) - 1))

    def org_by_text(self, text: str) -> Org | None:
        key = norm(text)
        for org in self.orgs:
            if key in org.keys or (org.acronym and text == org.acronym):
                return org
        return None


def paragraphs_of(text: str, sents: list[Span]) -> list[int]:
    out, para = [], 0
    last_end = 0
    for s in sents:
        if "\n" in text[last_end:s.start_char] or "\n" in text[s.start_char:s.end_char].strip():
            para += 1
        out.append(para)
        last_end = s.end_char
    return out


def _merge_orgs(an: Analysis, cands: list[tuple[int, str, bool, str | None]], acronyms: list[tuple[str, str]],
                known: list[dict[str, object]]) -> None:
    by_key: dict[str, Org] = {}

    def add(name: str, pos: int, strong: bool, hint: str | None, acronym: str | None = None) -> Org:
        key = norm(name)
        org = by_key.get(key)
        if org is None:
            org = Org(name=name, acronym=acronym, strong=strong)
            org.kind = orgmod.org_kind(name, hint)
            an.orgs.append(org)
            by_key[key] = org
            if acronym:
                by_key[norm(acronym)] = org
        org.strong = org.strong or strong
        if acronym and not org.acronym:
            org.acronym = acronym
            by_key[norm(acronym)] = org
        org.positions.append(pos)
        org.sents.append(an.sent_of(pos))
        return org

    for defined, short in acronyms:
        add(defined, max(an.text.find(defined), 0), True, None, short)
    for k in known:
        name = str(k["name"])
        acr = str(k["acronym"]) if k.get("acronym") else None
        aliases = [str(a) for a in k.get("aliases") or []]  # type: ignore[attr-defined]
        for needle in [name, *([acr] if acr else []), *aliases]:
            for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", an.text):
                org = add(name, m.start(), True, str(k.get("kind") or "") or None, acr)
                org.known = True
                org.country = org.country or (str(k["country"]) if k.get("country") else None)
    for pos, name, strong, hint in sorted(cands, key=lambda c: (c[0], c[1])):
        key = norm(name)
        if not key:
            continue
        if key in by_key:
            add(by_key[key].name, pos, strong, hint)
            continue
        # A later short form of an earlier long name: "Kia" for "Kia Motors", "Hanwha" for "Hanwha Q Cells".
        target = None
        for org in an.orgs:
            words = norm(org.name).split()
            if re.search(r" (and|&) ", org.name):
                continue  # never fold a name into "A and B"
            if (len(words) > 1 and key == words[0] and (len(key) > 3 or name.isupper())) or \
                    (looks_like_acronym(name) and name == acronym_of(org.name) and len(name) >= 3):
                target = org
                break
            if len(key.split()) > 1 and norm(org.name).split()[:1] == key.split()[:1] and \
                    (key.startswith(norm(org.name)) or norm(org.name).startswith(key)) and \
                    not re.search(r" (and|&) ", name):
                target = org
                break
        if target is not None:
            if len(name) > len(target.name) and not target.acronym and " " in name:
                target.acronym = target.name if len(target.name.split()) == 1 else None
                by_key[norm(target.name)] = target
                target.name = name
            elif " " not in name and not target.acronym and len(name) < len(target.name):
                target.acronym = name
            by_key[key] = target
            target.positions.append(pos)
            target.sents.append(an.sent_of(pos))
            target.strong = target.strong or strong
            continue
        add(name, pos, strong, hint)


def _assign_roles(an: Analysis, home_words: set[str], home_country: str | None, dest: list[str]) -> None:
    text = an.text
    for org in an.orgs:
        name_words = set(re.findall(r"[\w.]+", org.name)) | ({org.acronym} if org.acronym else set())
        acr = (org.acronym or (org.name if looks_like_acronym(org.name) else "")).upper()
        is_home = bool(name_words & home_words) or any(acr.startswith(w) and len(w) >= 2 for w in home_words
                                                       if w.isupper()) or \
            any(re.search(r"[a-z]" + re.escape(w) + r"\b", org.name) for w in home_words if len(w) >= 4)  # JobsOhio
        if org.kind == "diplomatic_mission":
            org.role = "facilitator"
            org.country = org.country or (dest[0] if dest else None)
            continue
        if is_home:
            org.role, org.country = "home", home_country
            continue
        before_any = any(_FACILITATOR_CUE.search(text[max(0, p - 40):p]) for p in org.positions)
        if before_any or (org.kind == "investment_promotion_agency"):
            org.role = "facilitator"
        elif any(s in an.meeting_sents for s in org.sents) or (
                org.kind == "company" and any(s in an.commitment_sents for s in org.sents)):
            org.role = "counterpart"
        else:
            org.role = "mentioned"
        if org.country is None and dest:
            org.country = dest[0] if len(dest) == 1 or org.role == "counterpart" else None


def analyse(doc: Doc, known: list[dict[str, object]] | None = None) -> Analysis:
    lex = lexicon()
    sents = [s for s in doc.sents if s.text.strip()]
    text = doc.text
    an = Analysis(doc=doc, sents=sents, paragraphs=paragraphs_of(text, sents), lex=lex, text=text)
    an.meeting_sents = {i for i, s in enumerate(sents) if MEETING_CUES.search(s.text)}
    an.commitment_sents = {i for i, s in enumerate(sents) if COMMITMENT_CUES.search(s.text)}
    # Entities grouped by sentence once: asking each sentence for its entities walks the whole document.
    starts = [s.start_char for s in sents]
    ents_by_sent: list[list[Span]] = [[] for _ in sents]
    for ent in doc.ents:
        k = bisect_right(starts, ent.start_char) - 1
        if 0 <= k < len(sents):
            ents_by_sent[k].append(ent)
    person_mentions = peoplemod.mentions(sents, ents_by_sent, lex)
    person_spans = [(m.start, m.end) for m in person_mentions]
    cands: list[tuple[int, str, bool, str | None]] = []
    for s, s_ents in zip(sents, ents_by_sent, strict=True):
        cands.extend(orgmod.candidates(s, s_ents, lex, person_spans, text))
    acronyms = orgmod.acronym_definitions(text)
    _merge_orgs(an, cands, acronyms, known or [])
    not_orgs = orgmod.other_acronyms(text)
    an.orgs = [o for o in an.orgs if o.name not in not_orgs]
    by_norm = {norm(o.name): o for o in an.orgs}
    # "A and B" read as one name where A and B are named on their own too: each part takes its mentions.
    joined = [o for o in an.orgs if re.search(r" (and|&) ", o.name) and
              all(norm(p) in by_norm for p in re.split(r" (?:and|&) ", o.name))]
    for o in joined:
        for part in re.split(r" (?:and|&) ", o.name):
            by_norm[norm(part)].positions.extend(o.positions)
            by_norm[norm(part)].sents.extend(o.sents)
    an.orgs = [o for o in an.orgs if o not in joined]
    in_places = [m.span(1) for m in DISTRICT_PHRASE.finditer(text)]

    def only_a_place(o: Org) -> bool:  # every mention inside "in X and Y districts"
        return not o.known and o.kind == "company" and bool(o.positions) and all(
            any(a <= p < b for a, b in in_places) for p in o.positions)

    an.orgs = [o for o in an.orgs if not only_a_place(o)]
    an.orgs = [o for o in an.orgs if o.strong or o.known or len(o.positions) > 1 or o.kind != "company"
               or any(i in an.meeting_sents or i in an.commitment_sents for i in o.sents)]

    home, home_name = placemod.find_home(doc, text, lex, [o.name for o in an.orgs])
    home_country = home.country if home else None
    weights = placemod.find_countries(text, lex, home_country)
    venue_sents = {i for i, s in enumerate(sents) if re.match(r"\s*At the [A-Z]", s.text)}
    an.places = placemod.locate(sents, an.paragraphs, lex, home_country, venue_sents)
    city_countries: dict[str, list[str]] = {}
    for i in sorted(an.places.city_mentions):
        for _, city in an.places.city_mentions[i]:
            code = lex.city_country[city.lower()]
            city_countries.setdefault(code, [])
            if city not in city_countries[code]:
                city_countries[code].append(city)
    dest = [c for c, w in sorted(weights.items(), key=lambda kv: -kv[1]) if w >= 1.0 or c in city_countries]
    for c in city_countries:
        if c not in dest:
            dest.append(c)
    an.places.home, an.places.home_name, an.places.home_country = home, home_name, home_country
    inbound = home_country is not None and not any(c != home_country for c in city_countries) and \
        _visitors_came(text, lex, home_country)
    if inbound:  # the foreign side came to the home state: nobody from home travelled anywhere
        dest = []
    an.places.destinations = {c: city_countries.get(c, []) for c in dest}

    home_words = set()
    if home:
        home_words = {home.name, *home.aliases, *home.name.split()} - {"State", "Pradesh", "New", "West", "North",
                                                                      "South", "East", "Nadu"}
        home_words |= {home.name}
    _assign_roles(an, home_words, home_country, dest)
    an.people = _people(an, home_words, person_mentions)
    if inbound:
        for p in an.people:
            p.delegate = False
    return an


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


def _people(an: Analysis, home_words: set[str], mentions: list[peoplemod.PersonMention]) -> list[Person]:
    text = an.text
    people: list[Person] = []
    org_keys = {k for o in an.orgs for k in o.keys}
    for m in mentions:
        if norm(m.name) in org_keys:
            continue
        match = next((p for p in people if peoplemod.same_person(p.name, m.name)), None)
        if match is None:
            if len(m.name.split()) < 2:
                continue
            match = Person(name=m.name, honorific=m.honorific, titles=list(m.titles), organization=None,
                           side="mentioned", delegate=False, evidence=an.sents[m.sent].text.strip())
            people.append(match)
        elif len(m.name) > len(match.name):
            match.name = m.name
        match.honorific = match.honorific or m.honorific
        for t in m.titles:
            if t not in match.titles:
                match.titles.append(t)
        if m.org_text and not match.organization:
            org = an.org_by_text(m.org_text)
            match.organization = org.name if org else m.org_text
        sent_start = an.sents[m.sent].start_char
        if not match.organization and _ITS_TITLE.search(text[max(sent_start, m.start - 60):m.start]):
            # "a delegation from JETRO, led by its Director General X": the organization named before "its"
            earlier = [(p, o) for o in an.orgs for p in o.positions if sent_start <= p < m.start]
            if earlier:
                match.organization = max(earlier, key=lambda po: po[0])[1].name
        match.sents.append(m.sent)
        match.met = match.met or bool(_MET_BEFORE.search(text[max(an.sents[m.sent].start_char, m.start - 60):m.start]))
        after = text[m.end - 2:m.end + 40] if text[m.end - 2:m.end] in {"'s", "’s"} else text[m.end:m.end + 40]
        present = not _MENTIONED_ONLY.match(after)
        match.present = match.present or present
        if present:
            match.delegate = match.delegate or bool(_DELEGATION_CUE.search(an.sents[m.sent].text))
    home_names = {o.name for o in an.orgs if o.role == "home"}
    for p in people:
        org = an.org_by_text(p.organization) if p.organization else None
        title = " ".join(p.titles)
        lead = _lead_in(an, p)
        foreign_org = bool(p.organization) and _is_foreign_place(p.organization or "", an.lex, an.places.home_country)
        if _FOREIGN_TITLE.search(title):
            p.side = "facilitator"
        elif org is not None and org.role in {"home", "counterpart", "facilitator"}:
            p.side = org.role
        elif p.organization and p.organization in home_names:
            p.side = "home"
        elif foreign_org or _foreign(title, an.lex, an.places.home_country, home_words) or (
                _foreign(lead, an.lex, an.places.home_country, home_words)):
            p.side = "facilitator" if re.search(r"trade|organi[sz]ation|embassy|chamber", lead, re.I) else "counterpart"
        elif any(w in title for w in home_words) or _HOME_TITLE.search(title):
            p.side = "home"
        elif (host := _counterpart_host(an, p)) is not None:
            p.side, p.organization = "counterpart", p.organization or host.name
        elif p.met:
            p.side = "counterpart"
        elif p.delegate:
            p.side = "home"
        if p.side != "home":
            p.delegate = False
        elif p.present:
            p.delegate = True  # on the home side and acting in the story, not only named in passing
        else:
            p.side, p.delegate = "mentioned", False
    _delegation_lists(an, people)
    return people


_LEAD_WORDS = {"external", "trade", "organization", "organisation", "chairman", "chairperson", "and", "of", "the",
               "ceo", "president", "minister", "chief", "vice", "deputy", "prime", "foreign", "affairs", "governor",
               "mayor", "senior", "executive", "director", "general", "secretary", "for", "commerce", "industry",
               "industries", "economy", "commissioner", "ambassador", "consul", "managing", "head", "officer"}


def _lead_in(an: Analysis, p: Person) -> str:
    """The title phrase just before a person's first mention ("Japan external trade organization chairman and
    CEO", "Japan Prime Minister"), stopping at the first word that cannot belong to a title."""
    if not p.sents:
        return ""
    sent = an.sents[p.sents[0]]
    pos = an.text.find(p.name, sent.start_char, sent.end_char)
    if pos <= 0:
        return ""
    words = an.text[max(sent.start_char, pos - 80):pos].split()
    kept: list[str] = []
    for w in reversed(words):
        bare = w.strip(",.;:()'’")
        if w in {"(", ")"}:
            continue  # "Japan External Trade Organisation ( JETRO) chairman"
        if w.endswith((",", ";", ":")) or not bare or not (bare[0].isupper() or bare.lower() in _LEAD_WORDS):
            break
        kept.insert(0, bare)
    return " ".join(kept)


def _counterpart_host(an: Analysis, p: Person) -> Org | None:
    """The counterpart organization a person was met at: "... with KPIA, where they met Dr. X"."""
    for i in p.sents:
        sent = an.sents[i]
        pos = an.text.find(p.name, sent.start_char, sent.end_char)
        if pos < 0:
            continue
        lead = an.text[sent.start_char:pos]
        if not (MEETING_CUES.search(lead) or re.search(r"\b(where|hosted by|received by|welcomed by)\b", lead)):
            continue
        hosts = [o for o in an.orgs if o.role == "counterpart" and any(sent.start_char <= q < pos for q in o.positions)]
        if hosts:
            return hosts[-1]
    return None


def _is_foreign_place(text: str, lex: Lexicon, home_country: str | None) -> bool:
    key = text.lower().strip()
    region = lex.jurisdiction(text) or next((j for j in lex.jurisdictions.values() if key in
                                             (d.lower() for d in j.demonyms)), None)
    code = lex.country_of(text) or lex.city_country.get(key) or (region.country if region else None)
    return bool(code) and code != home_country


def _foreign(text: str, lex: Lexicon, home_country: str | None, home_words: set[str]) -> bool:
    """Words that place a title abroad: "Japan Prime Minister", "Governor of Jeollanam-do", "Seoul Mayor"."""
    if not text.strip() or any(w in text for w in home_words if len(w) > 2):
        return False
    words = re.findall(r"[A-Z][\w.-]+(?: [A-Z][\w.-]+)?", text)
    if any(_is_foreign_place(w, lex, home_country) or _is_foreign_place(w.split()[0], lex, home_country)
           for w in words):
        return True
    return bool(re.search(r"\b(of (the )?Republic|Prefecture|Province)\b|\b(Governor|Mayor|President|Minister|"
                          r"Premier) of [A-Z]", text))


def _delegation_lists(an: Analysis, people: list[Person]) -> None:
    """Everyone named in "Members of the delegation (A, B, and C)" is a delegate."""
    for i, s in enumerate(an.sents):
        if not re.search(r"\b(members of|delegation (included|comprised|comprising|consisting)|delegation (led )?by)\b",
                         s.text, re.I):
            continue
        for p in people:
            if i in p.sents and p.side in {"home", "mentioned"}:
                p.side, p.delegate = "home", True
