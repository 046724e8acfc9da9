"""People: names from the NER model and from titles ("Governor Brian Kemp"), their honorifics and titles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from investdesk.extraction.components.state import ents_by_sent
from investdesk.extraction.lexicon import (
    COUNTRY_NAMES,
    DEMONYMS,
    EVENT_HEADS,
    HONORIFICS,
    NOT_ORG_HEADS,
    NOT_PERSON_WORDS,
    ORG_HEADS,
    PORTFOLIO_WORDS,
    TITLE_HEADS,
    TITLE_WORDS,
    VENUE_HEADS,
    Lexicon,
    lexicon,
)
from investdesk.extraction.normalize import clean_name

_HONORIFIC_RE = re.compile(
    r"^(?:(?:" + "|".join(re.escape(h) for h in sorted(HONORIFICS, key=len, reverse=True)) + r")\s+)+")
_TITLE_TOKEN = re.compile(r"^[A-Z][\w.&-]*$")
_APPOSITION = re.compile(
    r"^,\s*(?:the\s+)?(?P<title>(?:[A-Z][\w.&-]*|of|and|the|for|to|in|&)(?:\s+(?:[A-Z][\w.&'’-]*|of|and|the|for|to|"
    r"in|&|at))*)")
_NAME_AFTER_TITLE = re.compile(
    r"^\s*(?:(?:Dr|Mr|Ms|Mrs|Prof|Shri|Smt)\.?\s+)?"
    r"(?P<name>(?:[A-Z]\.?\s?){0,3}[A-Z][a-zà-ÿ'’-]+(?:[A-Z][a-zà-ÿ]+)?"
    r"(?:[ -](?:[A-Z]\.?(?=\s[A-Z])|[A-Z][a-zà-ÿ'’-]+(?:[A-Z][a-zà-ÿ]+)?)){0,4}"
    r"|[A-Z]{2,4}\s[A-Z][a-z]+)")


# An Indian or English honorific, then up to four capitalised words (initials allowed): a person's whole name.
_HONORIFIC_NAME = re.compile(
    r"\b(?:Shri|Sri|Smt\.?|Thiru|Tmt\.?|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.?)\s+"
    r"(?P<name>(?:[A-Z]\.\s?){0,3}[A-Z][a-zà-ÿ'’-]+(?:\s(?:[A-Z]\.?(?=\s[A-Z])|[A-Z][a-zà-ÿ'’-]+)){0,3})"
    r"(?=$|[\s,.;:)])")


_HEADS = "|".join(sorted(TITLE_HEADS, key=len, reverse=True))  # "Vice-Chancellor" before "Chancellor"
_TITLE_THEN_NAME = re.compile(
    r"\b(?i:" + _HEADS + r")\b"
    r"(?:\s+(?:to the|of|for|and|to)\s+(?:[a-z]+\s+){0,3}?[a-z]+(?=\s+[A-Z]))?")


# "Minister for Trade and Investment, Tim Pallas," / "the chairman of the Mahindra Group, Anand Mahindra,": a
# title, a comma, then the name set off by commas.
_TITLE_COMMA_NAME = re.compile(
    r"(?P<title>(?:\b[A-Z][\w.-]*\s+){0,3}\b(?i:" + _HEADS + r")\b)"
    r"(?:\s+(?P<prep>for|of)\s+(?:the\s+)?(?P<what>[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|and|of|&))*))?"
    r",\s+(?P<name>[A-Z][a-zà-ÿ]+(?:[ -][A-Z][a-zà-ÿ'’-]+){1,3}),")


_TITLE_AFTER_COMMA = re.compile(
    r"\s*(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,3}(?i:" + _HEADS + r")\b")


_NAME_THEN_TITLE = re.compile(
    r"(?<![\w-])((?:[A-Z][a-z]+|[A-Z]\.?)(?: (?:[A-Z][a-z]+|[A-Z]\.?)){1,3}),\s+(?:the\s+)?"
    r"(?i:" + "|".join(sorted(TITLE_HEADS | {"chief", "deputy", "senior", "vice", "joint"}, key=len, reverse=True))
    + r")\b")


# Titles news writes in lower case after a name ("Klaus Schwab, founder of the World Economic Forum").
_LOWER_TITLE = re.compile(r"\s*(?:the\s+)?(?:co-)?founder|\s*(?:the\s+)?(?:chairman|chairperson|chief executive|"
                          r"managing director|president and)\b")


_LOWER_APPOSITION = re.compile(
    r"^,\s*(?:the\s+)?(?P<title>(?:co-)?founder|chairman|chairperson|chief executive|managing director)"
    r"(?:\s+(?:of|at)\s+(?:the\s+)?(?P<org>[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|of|and|for|&))*))?")


# Title words news writes in lower case between an organization and a name ("Lulu Group chairman M A Yusuff Ali").
_LOWER_TITLE_WORDS = {"chairman", "chairperson", "chairwoman", "founder", "co-founder", "president", "chief",
                      "executive", "managing", "director"}



# A title after a name may open with a country's name or demonym ("X, U.S. Ambassador", "Y, Indian Consul").
_TITLE_OPENERS = TITLE_WORDS | {w.lower().strip(".") for w in DEMONYMS | COUNTRY_NAMES} | \
    {w.lower() for w in DEMONYMS | COUNTRY_NAMES}


@dataclass
class PersonMention:
    name: str
    honorific: str | None
    titles: list[str] = field(default_factory=list)
    org_text: str | None = None
    sent: int = 0
    start: int = 0
    end: int = 0


def split_honorific(name: str) -> tuple[str, str | None]:
    m = _HONORIFIC_RE.match(name)
    if not m:
        return name, None
    return name[m.end():].strip(), m.group(0).strip()


def _is_name(name: str, lex: Lexicon) -> bool:
    words = name.split()
    if not words or len(words) > 5:
        return False
    if any(w.lower().strip(".,") in {"minister", "governor", "chief", "ceo", "director", "president", "secretary",
                                     "association", "institute", "university", "company", "ltd", "corporation",
                                     "government", "department", "ministry", "policy", "the", "of", "and",
                                     "delegation", "india", "japan", "state", "province", "prefecture", "county",
                                     "district", "city", "initiative"} for w in words):
        return False
    if lex.country_of(name) or lex.jurisdiction(name) or name.lower() in lex.city_country:
        return False
    if any(w.lower().strip(".,()") in NOT_PERSON_WORDS for w in words[1:]):
        return False  # "Udyog Bhavan", "Gomti Nagar", "Draft MoU", "Kisan SAMPADA Yojana"
    if words[-1].lower().strip(".,") in NOT_ORG_HEADS or words[0].lower() in VENUE_HEADS:
        return False  # "Japan Desk", "South-West Asia Team", "Hotel Le Méridien"
    if any(w.lower().strip(".,") in ORG_HEADS | EVENT_HEADS | {"promotion", "export", "trade", "investment",
                                                                "development", "economic", "federation", "alliance"}
           for w in words):
        return False
    if any((lex.jurisdiction(" ".join(words[k:k + n])) or " ".join(words[k:k + n]).lower() in lex.city_country or
            lex.country_of(" ".join(words[k:k + n])))
           for n in (2, 1) for k in range(len(words)) if len(" ".join(words[k:k + n])) > 3):
        return False
    return all(w[0].isupper() for w in words)


_TITLE_TO_PLACE = re.compile(
    r"((?:[A-Z][\w.]*\s)*(?:Ambassador|Consul General|High Commissioner|Envoy|Minister|President|Governor|Mayor|"
    r"Secretary|Chairman|Commissioner)\s(?:to|of|for)\s(?:the\s)?(?:[A-Z][\w.-]*\s?)+)\s*$")


_ORG_WORDS = re.compile(
    r"\b(Ministry|Department|Directorate|Association|Institute|Agency|Corporation|Council|Chamber|Federation|"
    r"Government|Bank|University|Company|Ltd|Limited|GmbH|AG|KGaA|SE|Inc|Corp|LLC|Pte|Group|Authority|Board|"
    r"Embassy|Consulate|Commission|Holdings|Industries)\b")


def _title_before(text: str) -> tuple[list[str], str | None]:
    """Title words written just before a name: "Invest UP CEO", "Director General Dr.", "Governor"."""
    remit = re.search(r"\s*(\([A-Z][^()]{0,80}\))\s*$", text)
    if remit:  # "Principal Secretary (Industries) Hemant Sharma": the remit stays with the title
        titles, org = _title_before(text[:remit.start()])
        if titles:
            return [f"{titles[0]} {remit.group(1)}"], org
    placed = _TITLE_TO_PLACE.search(text)
    if placed and placed.group(1).split()[-1][0].isupper():
        # "U.S. Ambassador to South Korea Philip Goldberg", "the Governor of Jeollanam-do Kim Young-rok"
        return [placed.group(1).strip()], None
    words = text.rstrip().split()
    title: list[str] = []
    honor = None
    while words and re.fullmatch(r"(Dr|Mr|Ms|Mrs|Prof|Shri|Smt|Sri)\.?", words[-1]):
        honor = words.pop()
    while words and (_TITLE_TOKEN.match(words[-1]) or words[-1] in _LOWER_TITLE_WORDS) and \
            all(part in TITLE_WORDS | {"general"} for part in words[-1].lower().strip(".,").split("-")):
        title.insert(0, words.pop())
    org_words: list[str] = []
    if title:
        while words and _TITLE_TOKEN.match(words[-1]) and words[-1].lower() not in {"the", "and"} and \
                len(org_words) < 4 and not words[-1].endswith(","):
            org_words.insert(0, words.pop())
    titles = [" ".join(title)] if title and title[-1].lower().strip(".").split("-")[-1] in TITLE_HEADS | {"general"} \
        else []
    if org_words and all(w.lower() in PORTFOLIO_WORDS | {"large", "medium", "small", "micro", "heavy", "major"}
                         for w in org_words):
        org_words = []  # "Large and Medium Industries Minister": the portfolio, not an organization
    return titles, (" ".join(org_words) or None) if titles else (honor and None)


_OWNER = r"(?P<org>[A-Z][\w&.-]*(?:\s+(?:[A-Z][\w&.-]*|of|&)){0,5})['’]s?\s+"
_OWNED_TITLE = r"(?P<title>(?:[\w-]+\s+){0,5}?[\w-]+)"
# "IDA Ireland's Head of India, X" / "Kalinga Robotics' co-founder X" and "X, EDB's Regional Director for South Asia":
# a title the text gives as an organization's.
_POSSESSIVE_BEFORE = re.compile(r"(?:^|(?<=[\s(\"“]))" + _OWNER + _OWNED_TITLE + r",?\s*$")
_POSSESSIVE_AFTER = re.compile(r"^,\s*(?:the\s+)?" + _OWNER + _OWNED_TITLE + r"(?=\s*(?:[,;.)]|$))")


def _possessive_title(before: str, after: str, lex: Lexicon) -> tuple[str, str] | None:
    """The organization and title of "ORG's TITLE, NAME" or "NAME, ORG's TITLE", when the title is one and the
    owner is no place ("Japan's Prime Minister" names a country's office, not an organization)."""
    for m in (_POSSESSIVE_BEFORE.search(before[-120:]), _POSSESSIVE_AFTER.match(after[:140])):
        if not m:
            continue
        org, title = m.group("org").strip(), m.group("title").strip()
        words = title.lower().split()
        if (words[0].strip(".") not in TITLE_WORDS | {"head", "founder", "co-founder"} and not title[0].isupper()) or \
                not any(w.strip(".") in TITLE_HEADS | {"head", "founder", "co-founder"} for w in words):
            continue
        if lex.country_of(org) or lex.jurisdiction(org) or org.lower() in lex.city_country or \
                org.split()[0].lower() in {"the", "his", "her", "its", "their", "state", "company", "firm"}:
            continue
        return org, title
    return None


def mentions(sents: list[Span], ents_by_sent: list[list[Span]], lex: Lexicon) -> list[PersonMention]:
    found: list[PersonMention] = []
    for i, sent in enumerate(sents):
        text, base = sent.text, sent.start_char
        spans: list[tuple[int, int]] = []
        for e in ents_by_sent[i]:
            if e.label_ == "PERSON":
                spans.append((e.start_char - base, e.end_char - base))
        # Names right after a title the model may have missed ("Industries Minister TRB Rajaa",
        # "principal secretary Arun Kumar Gupta", "minister for commerce and industries Kailash Vijayvargiya").
        appositions: dict[int, re.Match[str]] = {}
        for m in _TITLE_THEN_NAME.finditer(text):
            rest = text[m.end():]
            offset = 0
            # Step over the rest of the title ("Director General Dr. X", "Consul General X").
            while True:
                w = re.match(r"^(?:\s+|-)([A-Z][\w.]*)", rest[offset:])
                if not w or w.group(1).lower().strip(".") not in TITLE_WORDS | {"general"}:
                    break
                offset += w.end()
            remit = re.match(r"^\s*\([A-Z][^()]{0,60}\)", rest[offset:])  # "Secretary (Industries and Mines)"
            if remit:
                offset += remit.end()
            nm = _NAME_AFTER_TITLE.match(rest[offset:])
            if nm:
                s = m.end() + offset + nm.start("name")
                spans.append((s, s + len(nm.group("name"))))
        for m in _TITLE_COMMA_NAME.finditer(text):
            # Not in a list of "Name, Title" pairs ("X, Advisor to the Chief Minister, Y, CEO of Z"): there the
            # title belongs to the name before it.
            if re.search(r"\b(?:to|of)\s+(?:the\s+)?$", text[:m.start("title")]) or \
                    _TITLE_AFTER_COMMA.match(text, m.end()):
                continue
            spans.append((m.start("name"), m.end("name")))
            appositions[m.start("name")] = m
        # "Awanish Kumar Awasthi, Advisor to ..." : a name with a title in apposition.
        for m in _NAME_THEN_TITLE.finditer(text):
            if text[m.end(1) + 2:m.end(1) + 3].isupper() or _LOWER_TITLE.match(text, m.end(1) + 1):
                spans.append((m.start(1), m.end(1)))
        # "Shri Raghvendra Kumar Singh", "Smt. A B C": an honorific opens a name whole, whatever the model cut.
        for m in _HONORIFIC_NAME.finditer(text):
            a, b = m.start("name"), m.end("name")
            spans = [(x, y) for x, y in spans if y <= m.start() or x >= b]
            spans.append((a, b))
        # The model sometimes drops a first name: "Amit Kumar Agrawal" read as "Kumar Agrawal".
        spans = [(a - len(fm.group(1)) - 1, b) if (fm := re.search(r"(?:^|[,;:]\s*|\band\s+)([A-Z][a-z]{2,})\s$",
                                                                     text[:a])) and
                 fm.group(1).lower() not in TITLE_WORDS | {"the", "and", "with", "by", "from", "minister"} else (a, b)
                 for a, b in spans]
        for a, b in sorted(set(spans)):
            raw = clean_name(text[a:b])
            raw = re.sub(r"\s+(?:and|who|said|has|had)$", "", raw)
            name, honor = split_honorific(raw)
            before = text[:a]
            if honor is None:
                hm = re.search(r"((?:His|Her) (?:Excellency|Highness)|The Hono(?:u)?rable|Hon'ble|Dr\.|Prof\.|"
                               r"Shri|Smt\.)\s*$", before)
                if hm:
                    honor = hm.group(1)
                    before = before[:hm.start()]
            name = re.sub(r"^(?:Dr|Mr|Ms|Mrs|Prof)\.?\s+", "", name)
            # "Ministers Nara Lokesh (HRD)": a plural title before a list of names is not part of the first.
            if len(name.split()) > 2 and name.split()[0].endswith("s") and \
                    name.split()[0][:-1].lower() in TITLE_WORDS:
                name = name.split(" ", 1)[1]
            # "Director Life Sciences Shakti Nagappan": the portfolio is not part of the name.
            while len(name.split()) > 2 and name.split()[0].lower() in PORTFOLIO_WORDS:
                name = name.split(" ", 1)[1]
            if name.startswith("Lady ") and before.rstrip().endswith("First"):
                name, before = name[len("Lady "):], before.rstrip()[: -len("First")] + " First Lady "
            if not _is_name(name, lex):
                continue
            titles, org_text = _title_before(before)
            ap = appositions.get(a)
            if ap and not titles:
                if ap.group("prep") == "of" and re.search(r"\b[A-Z]", ap.group("what") or ""):
                    titles, org_text = [ap.group("title").strip()], clean_name(ap.group("what"))
                else:
                    titles = [text[ap.start("title"):ap.end("what") if ap.group("what") else ap.end("title")].strip()]
            if not titles and honor:
                prev = re.search(r"(?:^|[;:(]|\band\s)\s*([^;:,()]*\b(?:" + "|".join(TITLE_HEADS) +
                                 r")\b[^;:,()]*),\s*$", before, re.I)
                if prev:
                    titles = [prev.group(1).strip()]
            after = text[b:]
            of = re.match(r"^\s+(?:of|from|at)\s+(?:the\s+)?((?:[A-Z][\w&.'’-]*\s?(?:(?:of|and|for|&)\s)?)+)", after)
            if of and not org_text:
                org_text = clean_name(of.group(1))
            low = _LOWER_APPOSITION.match(after)
            if low and not titles:
                titles = [low.group("title")]
                if low.group("org") and not org_text:
                    org_text = clean_name(low.group("org"))
            am = _APPOSITION.match(after)
            if am and not titles:
                t = am.group("title")
                t = re.split(r",| and (?=[A-Z][a-z]+ [A-Z])", t)[0].strip()
                t_words = t.split()
                if t_words and (t_words[0].lower().strip(".") in _TITLE_OPENERS or (
                        t_words[0][:1].isupper() and any(w.lower() in TITLE_HEADS for w in t_words[1:4]))):
                    # "Roland Weigert, State Secretary, Bavarian Ministry of Economic Affairs,"; "Claudia Riedl,
                    # Head of Global Sourcing, Schwarzwald Medizintechnik GmbH"; "X, Director, KOTRA Mumbai"
                    org_after = re.match(r"^,\s*[^,]+,\s*((?:the\s+)?[A-Z][\w&.'’-]*"
                                         r"(?:\s+(?:[A-Z][\w&.'’-]*|of|and|for|&))*)", after)
                    after_org = org_after.group(1) if org_after else ""
                    named_after = bool(_ORG_WORDS.search(after_org) or re.match(
                        r"[A-Z][A-Za-z]{0,2}[A-Z]{1,5}\b", after_org))  # an acronym: "MIDC", "KOTRA"
                    of = re.search(r"\b(?:of|at)\s+(.+)$", t)
                    if of and not re.match(r"(the )?(state|republic|government|chief minister)", of.group(1), re.I) \
                            and (_ORG_WORDS.search(of.group(1)) or not named_after):
                        org_text = clean_name(of.group(1))
                        t = t[:of.start()].strip()
                    titles = [t]
                    if named_after and not org_text:
                        org_text = clean_name(after_org)
            owned = _possessive_title(before, after, lex)
            if owned:  # "IDA Ireland's Head of Asia, X": the organization owns the title ("Asia" is its remit)
                org_text, titles = owned[0], titles or [owned[1]]
            found.append(PersonMention(name=name, honorific=honor, titles=titles, org_text=org_text, sent=i,
                                       start=base + a, end=base + b))
    return found


def same_person(a: str, b: str) -> bool:
    """"Stalin" and "M K Stalin", "Kemp" and "Brian Kemp", "Yoon Suk" and "Yoon Suk-yeol"."""
    la, lb = a.lower(), b.lower()
    wa, wb = la.split(), lb.split()
    if la == lb or (len(wa) == 1 and wa[0] == wb[-1]) or (len(wb) == 1 and wb[0] == wa[-1]):
        return True
    short, long_ = sorted((la, lb), key=len)
    return len(short.split()) >= 2 and long_.startswith(short) and long_[len(short)] in "- "


@Language.factory("investdesk_people")
def make_people(nlp: Language, name: str) -> Any:
    """Writes ``doc._.person_mentions``: every named person with honorific, titles and organization as written."""
    def people(doc: Doc) -> Doc:
        sents = doc._.sents or []
        doc._.person_mentions = mentions(sents, ents_by_sent(doc, sents), lexicon())
        return doc

    return people
