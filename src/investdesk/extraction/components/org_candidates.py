"""Organizations: candidates from capitalised runs, the NER model, lists and appositions; merged by
name, acronym and short form; given a kind."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span

from investdesk.extraction.lexicon import (
    DEMONYMS,
    EVENT_HEADS,
    NOT_ORG_HEADS,
    NOT_ORG_WORDS,
    OFFERING_HEADS,
    ORG_EDGE_WORDS,
    ORG_HEADS,
    ORG_KIND_RULES,
    POLICY_HEADS,
    PORTFOLIO_WORDS,
    TITLE_HEADS,
    TITLE_WORDS,
    VENUE_HEADS,
    Lexicon,
)
from investdesk.extraction.normalize import acronym_of, clean_name, looks_like_acronym, org_key
from investdesk.extraction.spans import Run, cap_runs

_LIST_CUE = re.compile(
    r"\b(?:compan(?:y|ies)|firms?|corporations?|majors|players|conglomerates|manufacturers|makers|groups|"
    r"enterprises|businesses|investors|MNCs|multinationals|entities)\s+(?:such as|including|like|namely|viz\.?|"
    r"[A-Z][a-z]+(?:\s(?:and|&)\s[A-Z][a-z]+)?(?=\s[A-Z]))?[:,]?\s*$")
_APPOSITION_KIND = re.compile(
    r"^,?\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}?(firm|company|maker|manufacturer|supplier|startup|start-up|"
    r"conglomerate|platform|network|association|institute|university|bank|fund|agency|group|producer|developer|"
    r"leader|specialist|provider|operator|multinational)\b", re.I)
_COMPANY_CONTEXT = re.compile(r"\b(executives?|officials?|representatives?|CEO|chairman|president|management|"
                              r"leadership|team|delegation|headquarters|offices?|campus|plant|factory|facility|"
                              r"leaders)\s+(?:of|from|at)\s+(?:the\s+)?$", re.I)
_OBJECT_CUE = re.compile(r"\b(met|meet|meeting|with|visited|toured|visit to|signed|inked|by|and|between)\s+$", re.I)

_TITLE_NEAR = re.compile(r"\b(minister|secretary|chairman|chairperson|ceo|president|governor|director|commissioner|"
                         r"ambassador|consul|mayor|advisor|adviser|officer|md|founder)\b[\w\s,&-]{0,40}$", re.I)
# First words of a public body's name, never a brand: "Ministry of ... and ... Corporation" stays whole.
_BODY_WORDS = {"ministry", "department", "office", "bureau", "council", "chamber", "federation", "association",
               "institute", "university", "centre", "center", "board", "commission", "authority", "society",
               "government", "state", "national", "federal", "royal", "the"}
_SPLIT_AFTER_HEAD = re.compile(r"^(.*\b(?:Ltd\.?|Limited|Corporation|Corp\.?|Inc\.?|Co\.?|Group|Agency|Company|"
                               r"Association|Institute|University|Bank|Ministry|Department|Organi[sz]ation|Industries|"
                               r"Holdings|GmbH|AG|Motors|Electric|Works)) (?:and|&) ([A-Z].*)$")


_MISSION_SEAT = re.compile(r"(,\s*|\s+in\s+)([A-Z][\w-]+(?: [A-Z][\w-]+)?)(?![\w-])")


@dataclass
class Org:
    name: str
    acronym: str | None = None
    kind: str = "other"
    country: str | None = None
    role: str = "mentioned"
    sents: list[int] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    strong: bool = False
    known: bool = False

    @property
    def keys(self) -> set[str]:
        keys = {org_key(self.name)}
        if self.acronym:
            keys.add(org_key(self.acronym))
        return keys


def org_kind(name: str, hint: str | None = None) -> str:
    for kind, pattern in ORG_KIND_RULES:
        if pattern.search(name):
            return kind
    return hint or "company"


def classify_name(text: str, lex: Lexicon) -> str | None:
    """What a capitalised run or listed name names: org, policy, event, offering, place, title or None (unknown)."""
    low = text.lower()
    words = low.replace("-", " ").split()
    if not words:
        return None
    head = words[-1].rstrip(".")
    if lex.country_of(text) or lex.jurisdiction(text) or low in lex.city_country:
        return "place"
    if head in POLICY_HEADS or (head.isdigit() and len(words) > 1 and words[-2] in POLICY_HEADS):
        return "policy"
    if head in EVENT_HEADS or any(w in {"summit", "conclave", "roadshow", "expo"} for w in words):
        return "event"
    if head in OFFERING_HEADS and not any(w in ORG_HEADS for w in words[:-1]) or \
            " ".join(words[-2:]) in OFFERING_HEADS and not any(w in ORG_HEADS for w in words[:-2]):
        return "offering"
    if all(w.rstrip(".") in TITLE_WORDS for w in words) or (head in TITLE_HEADS and len(words) <= 4 and
                                                            all(w in TITLE_WORDS for w in words[:-1])):
        return "title"
    if head in ORG_HEADS or any(w in {"association", "institute", "university", "embassy", "consulate", "ministry",
                                      "department", "government", "chamber", "federation", "council"}
                                for w in words):
        return "org"
    if any(rx.search(text) for kind, rx in ORG_KIND_RULES if kind in {"investment_promotion_agency",
                                                                      "diplomatic_mission", "government_agency"}):
        return "org"
    return None


def plausible(name: str) -> bool:
    """Not a name of an organization: generic words only ("State Government", "Industries", "Rs")."""
    if name.endswith("s") and name[:-1].lower() in NOT_ORG_WORDS:
        return False  # "CEOs", "MoUs", "SMEs"
    words = name.replace("-", " ").split()
    if not words or len(name) < 2 or len(words) > 12:
        return False
    if all(w.lower().rstrip(".") in NOT_ORG_WORDS for w in words):
        return False
    if words[0].lower() in {"mr", "mr.", "dr", "dr.", "ms", "ms.", "shri", "his", "her"} or words[0].islower():
        return False  # a title, or a phrase cut mid-way ("of Madhya Pradesh Government")
    if len(words) > 1 and (words[-1].lower().rstrip(".") in NOT_ORG_HEADS or "delegation" in name.lower()):
        return False  # "Korea Desk", "Uttar Pradesh Delegation", "Committee Room"
    return any(c.isalpha() for c in name)


# Words that may open an enumeration of companies ("leading Japanese firms such as ..."): adjectives and every
# demonym the lexicon knows.
_LIST_LEAD = re.compile(r"^(?:(?:the|a|an|recently|newly|announced|leading|major|global|top|prominent|big|large|"
                        + "|".join(re.escape(d) for d in sorted(DEMONYMS, key=len, reverse=True)) + r")\s+){0,4}", re.I)


_OF_PLACE = re.compile(r"^(.*\b(?:Ltd\.?|Limited|Inc\.?|Co\.|LLC|LLP|GmbH|AG|KGaA|Corporation|Corp\.?|K\.K\.|PLC|"
                       r"Pte\.? Ltd\.?))\s+of\s+(.+)$")


def list_items(text: str) -> list[tuple[int, str]]:
    """Capitalised items of an enumeration ("A, B, C and D"), with their offsets in ``text``."""
    items: list[tuple[int, str]] = []
    lead = _LIST_LEAD.match(text)
    pos = lead.end() if lead else 0
    text = text[pos:]
    # "&" joins words of one name ("Tea Estates & Exports Ltd."); items are split at commas and "and".
    for part in re.split(r"(,\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+)", text):
        if part is None:
            continue
        if re.fullmatch(r",\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+", part):
            pos += len(part)
            continue
        m = re.match(r"\s*([A-Z0-9][\w&.'’-]*(?:\s+(?:[A-Z0-9][\w&.'’-]*|of|&|de|du))*(?:\s+[a-z][\w-]*(?=\s*$))?)",
                     part)
        if not m:
            break
        name = clean_name(m.group(1))
        items.append((pos + m.start(1), name))
        rest = part[m.end():].strip()
        pos += len(part)
        if rest and not rest.startswith("("):
            break  # the enumeration ended inside this part
    return items


def split_titles(run: Run) -> list[tuple[Run, bool]]:
    """Cut a run at title phrases: "Invest UP CEO Vijay Kiran Anand" -> "Invest UP", ("Vijay Kiran Anand", person).

    The flag says the part follows a title, so it names a person."""
    toks = list(run.span)
    parts: list[tuple[Run, bool]] = []
    start, after_title, k = 0, False, 0
    while k < len(toks):
        j = k
        while j < len(toks) and toks[j].lower_.strip(".") in TITLE_WORDS and toks[j].text[:1].isupper():
            j += 1
        prev = toks[k - 2] if k > 1 and toks[k - 1].text in {"-", "–"} else toks[k - 1] if k > 0 else None
        if j > k and prev is not None and prev.lower_ in {"consulate", "consul"} and toks[k].lower_ == "general":
            k = j  # "Consulate General of India": part of the mission's name, not a person's title
            continue
        if j > k and toks[j - 1].lower_.strip(".") in TITLE_HEADS:
            if k > start:
                parts.append((Run(run.span.doc[toks[start].i:toks[k].i]), after_title))
            start, after_title, k = j, True, j
            portfolio = start < len(toks) and toks[start].lower_ == "for"
            while start < len(toks) and toks[start].lower_ in {"of", "the", "and", "to", "at", "for", "in"}:
                start += 1
                after_title = False
            if portfolio:  # "Minister for Large and Medium Industries": a portfolio, not an organization
                while start < len(toks) and toks[start].lower_.strip(".") not in TITLE_WORDS:
                    start += 1
                k = start
            continue
        k = max(j, k + 1)
    if start < len(toks):
        parts.append((Run(run.span.doc[toks[start].i:toks[-1].i + 1]), after_title))
    trimmed = []
    for part, flag in parts:  # "Information Technology and" before "Industries Minister"
        span = part.span
        while len(span) and span[-1].lower_ in {"and", "&", "of", "for", "the"}:
            span = span[:-1]
        if len(span):
            trimmed.append((Run(span), flag))
    return trimmed


Candidate = tuple[int, str, bool, str | None]


def candidates(sent: Span, sent_ents: list[Span], lex: Lexicon, person_spans: list[tuple[int, int]],
               doc_text: str) -> list[Candidate]:
    """(char offset, name, strong, kind hint) of organizations named in the sentence."""
    base = sent.start_char
    text = doc_text[base:sent.end_char]
    found: list[tuple[int, str, bool, str | None]] = []
    ents = {(e.start_char, e.end_char): e.label_ for e in sent_ents}
    org_ent_spans = [(e.start_char, e.end_char) for e in sent_ents if e.label_ == "ORG"]
    runs = []
    for whole in cap_runs(sent):
        parts = split_titles(whole)
        for k, (part, after_title) in enumerate(parts):
            # The words before "CEO X" or "President X" name the person's organization.
            titled = len(parts) > 1 and k == 0 and not after_title and parts[1][1] and \
                part.span.end < whole.span.end
            runs.append((part, after_title, titled))
    for run, after_title, titled in runs:
        kind = classify_name(run.text, lex)
        name = run.text
        start = run.span.start_char
        is_person = after_title or any(s <= start < e or start <= s < run.span.end_char for s, e in person_spans)
        before = doc_text[max(0, start - 45):start]
        if run.head in VENUE_HEADS:
            continue
        after = doc_text[run.span.end_char:run.span.end_char + 80]
        if re.match(r"^\s*(\([A-Za-z&]{2,8}\)\s*)?(Policy|Policies|Scheme|Programme|Program|Summit|Conclave|Park|"
                    r"Cluster|Corridor|Zone|Mission|Act|initiative|programme|program|scheme|policy|summit)\b", after):
            continue  # part of a longer policy, event or offering name
        hyphen_acr = re.match(r"^(.+?)-([A-Z]{2,})$", name)
        if hyphen_acr and acronym_of(hyphen_acr.group(1)).startswith(hyphen_acr.group(2)[0]):
            found.append((start, hyphen_acr.group(1), True, None))
            continue
        if all(w.lower() in PORTFOLIO_WORDS for w in name.split()):
            continue  # "Minister of Industrial Development": a portfolio, not an organization
        of_place = _OF_PLACE.match(name)
        if of_place and classify_name(of_place.group(2), lex) == "place":
            name = of_place.group(1)  # "Tokai Kasei Industries Co., Ltd. of Nagoya": where it is from
        if kind == "org" and org_kind(name) == "diplomatic_mission" and re.search(r"\bof (the )?[A-Z]", name):
            # "Embassy of India, Tokyo", "Consulate General of Singapore in Mumbai": the seat is in the name
            seat = _MISSION_SEAT.match(doc_text, run.span.end_char)
            if seat and seat.group(2).lower() in lex.city_country:
                name += doc_text[run.span.end_char:seat.end(2)]
            found.append((start, name, True, None))
            continue
        agency = org_kind(name) == "investment_promotion_agency"  # "Invest India": generic words, one name
        if kind == "org" and (plausible(name) or agency) and not (is_person and run.head not in ORG_HEADS):
            for piece_off, piece in split_joined(name, lex):
                found.append((start + piece_off, piece, True, None))
            continue
        if kind is not None:
            continue
        if titled and plausible(name) and not lex.country_of(name) and not lex.jurisdiction(name) and \
                name.lower() not in lex.city_country and name.lower() not in NOT_ORG_WORDS and \
                not all(w.lower() in PORTFOLIO_WORDS or lex.jurisdiction(w) for w in name.split()):
            found.append((start, name, True, None))
            continue
        overlaps_org = any(s <= start < e or start <= s < run.span.end_char for s, e in org_ent_spans)
        after = doc_text[run.span.end_char:run.span.end_char + 80]
        hint = None
        m = _APPOSITION_KIND.match(after)
        if m:
            hint = {"platform": "platform_network", "network": "platform_network",
                    "association": "industry_association", "institute": "research_institute",
                    "university": "university", "bank": "financial_institution", "fund": "financial_institution",
                    "agency": "government_agency"}.get(m.group(1).lower(), "company")
        contextual = bool(hint) or bool(_COMPANY_CONTEXT.search(before))
        if looks_like_acronym(name) and not contextual and not _OBJECT_CUE.search(before):
            continue  # a bare short form is an organization only where something is done with it
        if (overlaps_org and not is_person) or contextual:
            if _TITLE_NEAR.search(before) and not contextual:
                continue  # "Minister for commerce and industries Kailash Vijayvargiya" names a person
            if not contextual and len(name.split()) == 1 and re.search(r"\b(at|in|near|from|to)\s+$", before):
                continue  # "projects at Paradip": a place the gazetteer does not know
            if not contextual and any(lex.jurisdiction(w) for w in name.split() if len(w) > 3):
                continue  # "Maryland Global Gateway", "Vibrant Gujarat": a programme or event named after the state
            if len(name.split()) == 1 and run.span[0].pos_ in {"VERB", "ADJ", "ADV"}:
                continue
            if plausible(name):
                for piece_off, piece in split_joined(name, lex):
                    found.append((start + piece_off, piece, contextual, hint))
        elif looks_like_acronym(name) and plausible(name) and not is_person and \
                _OBJECT_CUE.search(before) and \
                (base <= start) and ents.get((start, run.span.end_char)) not in {"GPE", "NORP", "LOC"}:
            found.append((start, name, False, None))
    # Enumerations after "companies such as", "Japanese firms", "including".
    for m in re.finditer(r"(?:such as|including|included|include|includes|like|namely|firms|companies|corporations|"
                         r"with|:)\s+", text):
        lead = text[:m.end()]
        if not (_LIST_CUE.search(lead) or re.search(r"\b(firms|companies|corporations)\s+(such as|including|like)?\s*$",
                                                    lead) or
                (re.search(r"\b(compan(y|ies)|firms|corporations|MNCs|multinationals|investors|entities|signatories)\b",
                           lead, re.I) and re.search(r"(including|included|include|includes|such as|:)\s+$", lead))):
            continue
        items = list_items(text[m.end():])
        if len(items) >= 2 or re.search(r"(such as|including|like|namely)\s+$", text[:m.end()]):
            for off, name in items:
                if plausible(name) and classify_name(name, lex) in {None, "org"}:
                    found.append((base + m.end() + off, name, True, "company"))
    return [t for t in (_trim_edges(f) for f in found) if t[1]]


def _trim_edges(cand: Candidate) -> Candidate:
    """Without a line's label before the name ("Subject", "Visit of") or an amount after it ("for Rs")."""
    start, name, strong, hint = cand
    words = name.split()
    for n in (3, 2, 1):
        if len(words) > n and " ".join(words[:n]).lower().rstrip(":") in ORG_EDGE_WORDS["lead"]:
            cut = name.index(words[n], len(" ".join(words[:n])))
            start, name, words = start + cut, name[cut:], words[n:]
            if words and words[0].lower() == "the":
                start, name, words = start + 4, name[4:], words[1:]
            break
    for n in (2, 1):
        if len(words) > n and " ".join(words[-n:]).lower().rstrip(".:") in ORG_EDGE_WORDS["tail"]:
            words = words[:-n]
            name = name[:name.rindex(words[-1]) + len(words[-1])]
            break
    return start, name, strong, hint


def _company_head(words: str) -> bool:
    last = words.split()[-1].lower().strip(".,") if words.split() else ""
    return last in ORG_HEADS or any(rx.search(words.split()[-1]) for kind, rx in ORG_KIND_RULES if kind == "company")


_GENERIC = ORG_HEADS | NOT_ORG_WORDS | PORTFOLIO_WORDS | TITLE_WORDS | {"of", "the", "and", "&", "for", "co"}


def _distinctive(part: str) -> bool:
    """Whether a part of a joined name could be a name alone: it has a word that is not a generic head,
    remit or title word ("Al Noor Ports" can, "Logistics LLC", "Export Corporation", "Industries" cannot)."""
    return any(w.lower().strip(".,'’") not in _GENERIC for w in part.split())


def split_joined(name: str, lex: Lexicon) -> list[tuple[int, str]]:
    """"Fujikin Corporation and Mitsui" is two names; "Yokohama and Hamamatsu" is none; "Al Noor Ports &
    Logistics LLC" and "Industries & Commerce Department" are one."""
    pieces = _split_joined(name, lex)
    whole = all(plausible(p) for _, p in pieces) or name.split()[-1].lower().strip(".") in ORG_HEADS
    if len(pieces) > 1 and whole and not all(_distinctive(p) for _, p in pieces):
        return [(0, name)]
    return pieces


def _split_joined(name: str, lex: Lexicon) -> list[tuple[int, str]]:
    legal = re.match(r"^(.+?)(\s*&\s*Co\.?,?\s+(?:KGaA|KG|OHG|oHG))$", name)
    if legal:  # "Rohde & Schwarz GmbH & Co. KG": the partnership's legal form, not a second name
        pieces = _split_joined(legal.group(1), lex)
        return pieces[:-1] + [(pieces[-1][0], pieces[-1][1] + legal.group(2))] if pieces else [(0, name)]
    m = _SPLIT_AFTER_HEAD.match(name)
    if m and re.search(r"\bof\b", m.group(1)) and not _company_head(m.group(2)) and len(m.group(2).split()) <= 3:
        return [(0, name)]  # "Department of Industries and Commerce": one body with a two-part remit
    if m:
        return [(0, m.group(1)), (m.start(2), m.group(2))]
    both = re.match(r"^(.+?) (?:and|&) ([A-Z].+)$", name)
    if both and len(both.group(1).split()) >= 2 and len(both.group(2).split()) >= 2 and \
            _company_head(both.group(1)) and _company_head(both.group(2)):
        return [(0, both.group(1)), (both.start(2), both.group(2))]
    parts = re.split(r" (?:and|&) ", name)
    if len(parts) > 1 and all(classify_name(p, lex) == "place" for p in parts):
        return []
    if len(parts) == 2 and classify_name(parts[0], lex) == "place":
        return [(len(name) - len(parts[1]), parts[1])]  # "Seoul and Jeju Province"
    suffixed = re.match(r"^(.+?) (?:and|&) ((?:the )?[A-Z].* (?:Ltd\.?|Limited|Inc\.?|Corp\.?|Corporation|Group|LLC|"
                        r"Pvt\.? Ltd\.?|GmbH|AG|PLC))$", name)
    if suffixed and any(rx.search(suffixed.group(1)) for kind, rx in ORG_KIND_RULES if kind != "company"):
        # "Government of Maharashtra and Reliance Infrastructure Ltd."
        return [(0, suffixed.group(1)), (suffixed.start(2), suffixed.group(2))]
    branded = re.match(r"^([A-Z][\w-]+(?: [A-Z][\w-]+)+) (?:and|&) ([A-Z][\w-]+(?: [A-Z][\w-]+)* (?:Ltd\.?|Limited|"
                       r"Inc\.?|Corp\.?|Corporation|Group|LLC|GmbH|AG|PLC|Holdings))$", name)
    if branded and branded.group(1).split()[0].lower() not in ORG_HEADS | _BODY_WORDS:
        # "CapitaLand Investment and Keppel Corporation": a brand name, then a company with its legal ending
        return [(0, branded.group(1)), (branded.start(2), branded.group(2))]
    tail = re.match(r"^(.+) and ([A-Z][\w-]+)$", name)
    if tail and len(tail.group(1).split()) >= 2 and _company_head(tail.group(1)) and \
            tail.group(2).lower() not in _GENERIC:  # "Samsung Electronics and Coupang"
        return [(0, tail.group(1)), (tail.start(2), tail.group(2))]
    short = re.match(r"^([A-Z]{2,6}) (?:and|&) ([A-Z][\w-]+(?: [A-Z][\w-]+)+)$", name)
    if short and short.group(1).lower() not in _GENERIC:  # "EDB and Enterprise Singapore": a short form, then a name
        return [(0, short.group(1)), (short.start(2), short.group(2))]
    single = re.match(r"^([A-Z][\w-]+) and ([A-Z][\w-]+)$", name)
    if single:  # "Hitachi and Keidanren": two one-word names
        return [(0, single.group(1)), (single.start(2), single.group(2))]
    return [(0, name)]


# "Name Of The Body (NOTB)": a capitalised name and the short form defined for it in brackets.
_DEFINED = re.compile(r"((?:[A-Z][\w&.'’-]*\s+(?:(?:of|and|for|&|the|de)\s+)?){1,10})"
                      r"\(\s?([A-Za-z][A-Za-z&.-]{1,11}(?: [A-Z][a-z]+)?)\s?\)")


def acronym_definitions(text: str) -> list[tuple[str, str]]:
    """("Kansai Pharmaceutical Industries Association", "KPIA") from "... Association (KPIA)"."""
    out = []
    for m in _DEFINED.finditer(text):
        name, acr = clean_name(m.group(1)), m.group(2)
        if " " in acr:  # "Indian Institute of Technology Madras (IIT Madras)": an acronym and a place
            base, tail = acr.split(" ", 1)
            if name.endswith(" " + tail) and looks_like_acronym(base) and \
                    _acr_fits(base, name[:-len(tail) - 1]):
                out.append((name, acr))
            continue
        letters = acronym_of(name)
        if not looks_like_acronym(acr) and not acr[0].isupper():
            continue
        # Keep only the words the acronym stands for: "... Osaka's National Institute ... (NITE)"; a country's
        # name just before them stays ("Singapore Economic Development Board (EDB)").
        words = name.split()
        for k in range(len(words)):
            cand = " ".join(words[k:])
            if acronym_of(cand).startswith(acr[0].upper()) and _acr_fits(acr, cand):
                if k > 0 and _COUNTRY_WORD(words[k - 1]):
                    cand = f"{words[k - 1]} {cand}"
                name = cand
                break
        following = text[m.end():m.end() + 20].strip().split(" ")[0].lower().strip(".,")
        if following in POLICY_HEADS or following in EVENT_HEADS or following in OFFERING_HEADS:
            continue
        heads = {w.lower().strip(".,") for w in name.split()}
        if not (heads & ORG_HEADS or any(rx.search(name) for kind, rx in ORG_KIND_RULES if kind != "company")):
            continue
        if _acr_fits(acr, name) or letters[:1] == acr[:1].upper():
            out.append((clean_name(name), acr))
    return out


def _COUNTRY_WORD(word: str) -> bool:  # noqa: N802  (reads as a predicate on one word)
    from investdesk.extraction.lexicon import lexicon

    return lexicon().country_by_name.get(word.lower()) is not None


def other_acronyms(text: str) -> set[str]:
    """Short forms defined for events, policies and places ("World Economic Forum (WEF)"): not organizations."""
    out = set()
    for m in _DEFINED.finditer(text):
        if not m.group(2)[0].isupper():
            continue
        head = m.group(1).split()[-1].lower().strip(".,")
        if head in EVENT_HEADS or head in POLICY_HEADS or head in OFFERING_HEADS:
            out.add(m.group(2))
    return out


def _acr_fits(acr: str, name: str) -> bool:
    letters = [c for c in acr.upper() if c.isalpha()]
    initials = acronym_of(name)
    it = iter(initials + "".join(w.upper() for w in name.split()))
    return bool(letters) and letters[0] == (initials[:1] or "?") and all(c in it for c in letters)
