"""What happened: engagements, opportunities, outcomes; and what was offered: sectors, policies, offerings."""

from __future__ import annotations

import re
from typing import Any

from spacy.matcher import PhraseMatcher

from investdesk.extraction.rules.analysis import Analysis
from investdesk.extraction.rules.lexicon import EVENT_HEADS, OFFERING_HEADS, POLICY_HEADS
from investdesk.extraction.rules.money import find_amounts, find_jobs
from investdesk.extraction.rules.orgs import Org
from investdesk.extraction.rules.spans import cap_runs, clean_name

_COUNTERPART_KINDS = {"company", "industry_association", "research_institute", "university", "platform_network",
                      "financial_institution", "other", "government_agency"}
_PROSPECT = re.compile(
    r"\b(set up|set-up|setting up|establish\w*|invest\w*|plant|factory|facility|unit|manufactur\w*|R&D|research|"
    r"partnership|collaborat\w*|co-develop\w*|joint venture|JV|technology transfer|training|skill\w*|exchange|"
    r"expan\w*|MoUs?|memorand\w*|pacts?|agreements?|soft-landing|soft landing|opportunit\w*|proposal|project|"
    r"interest\w*|supply|sourcing|operations|commit\w*)\b", re.I)
_CONTINUATION = re.compile(r"^\s*(the (discussions?|talks|meeting|company|firm|focus)|they|their|it|its|these "
                           r"(meetings|discussions|talks)|this|both|the two)\b", re.I)
_KIND_RULES = [
    ("manufacturing_rnd_base", re.compile(r"manufactur\w* and R&D|manufacturing and research|R&D and manufactur",
                                          re.I)),
    ("joint_venture", re.compile(r"joint venture|\bJV\b", re.I)),
    ("technology_transfer", re.compile(r"technology transfer|transfer of technology", re.I)),
    ("gcc", re.compile(r"global capability cent|\bGCCs?\b", re.I)),
    ("startup_soft_landing", re.compile(r"soft[- ]landing|startup", re.I)),
    ("co_development", re.compile(r"co-develop|codevelop|joint development", re.I)),
    ("training_exchange", re.compile(r"training|skill|exchange program|human resource|manpower", re.I)),
    ("research_partnership", re.compile(r"research|testing|laborator|clinical|academ|drug development", re.I)),
    ("rnd_centre", re.compile(r"R&D (centre|center|facility|base)|research (centre|center)", re.I)),
    ("supply_agreement", re.compile(r"\bsuppl(y|ier)\b|sourcing|offtake", re.I)),
    ("manufacturing_base", re.compile(r"manufactur|plant|factory|facility|production|assembly|unit\b", re.I)),
]
_STAGE_RULES = [
    ("mou_signed", re.compile(r"\b(signed|inked|exchanged|entered into)\b[^.]{0,60}\b(MoUs?|memorand\w+|pacts?|"
                              r"agreements?|letters? of intent|LoIs?|LOIs?)\b|"
                              r"\b(MoUs?|memorand\w+|pacts?|agreements?)\b[^.]{0,80}\b(were|was) "
                              r"(signed|inked|exchanged)|\b(MoUs?|memorand\w+|pacts?|agreements?),?\s+(signed|inked)\b",
                              re.I)),
    ("committed", re.compile(r"\b(invested|has invested|will invest|plans to (open|invest|set up|build|expand)|"
                             r"(will|would) expand|announced|"
                             r"committed|is investing|to invest|broke ground|ground-?breaking)\b", re.I)),
    ("mou_expected", re.compile(r"\b(MoUs?|memorand\w+)\b[^.]{0,60}\b(expected|likely|soon|to be signed|proposed)|"
                                r"\b(expected|likely|set) to sign\b", re.I)),
    ("interest_expressed", re.compile(r"\b(expressed|showed|shown|evinced|keen)\b[^.]{0,20}\binterest|\binterested\b|"
                                      r"\bproposed (an? )?(additional |new |fresh )?investment",
                                      re.I)),
]
_LOCATION = re.compile(r"\bin ((?:[A-Z][a-z]+ )+(?:County|District|district|Parish|Region|Zone))|"
                       r"\bin ((?:[A-Z][a-z]+(?:,? and | & | and )?)+ districts?)", re.M)


def first_position(org: Org, sent: int) -> int:
    """Where an organization is first named in a sentence."""
    return min(p for p, s in zip(org.positions, org.sents, strict=True) if s == sent)


def _sentence_orgs(an: Analysis, i: int) -> list[Org]:
    return sorted((o for o in an.orgs if i in o.sents), key=lambda o: first_position(o, i))


def engagements(an: Analysis, sectors_of: Any) -> list[dict[str, Any]]:
    """One engagement per meeting sentence, with its counterparts and the city in force there."""
    out: list[dict[str, Any]] = []
    city_for: dict[str, str | None] = {}
    for i in sorted(an.meeting_sents):
        counterparts = [o for o in _sentence_orgs(an, i) if o.role == "counterpart" and o.kind in _COUNTERPART_KINDS]
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
                    "sectors": sectors_of(sent.text), "topics": [], "evidence": sent.text.strip()})
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
    return an.places.sentence_city.get(i)


def _without_names(an: Analysis, i: int) -> str:
    """A sentence with the organizations' names blanked: "Lam Research" is a name, not research."""
    text = an.sents[i].text
    for org in an.orgs:
        text = text.replace(org.name, " ")
    return text


_CLAUSE_BREAK = re.compile(r",?\s+(?:while|whereas|and also)\s+|;\s+|"
                           r"\s+and\s+(?=(?:also\s+)?(?:signed|inked|met|held|visited|toured|discussed)\b)")


def _own_clause(an: Analysis, org: Org, i: int, crowd: list[Org]) -> str:
    """The part of a sentence that speaks of this organization, when others are named in it too: "X signed an
    MoU for Rs 500 crore, while Y committed $8 billion" gives each its own amount and sectors."""
    text = an.sents[i].text
    if len(crowd) < 2:
        return text
    at = first_position(org, i) - an.sents[i].start_char
    start = 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() >= at:
            return text[start:m.start()]
        start = m.end()
    return text[start:]


def opportunities(an: Analysis, engs: list[dict[str, Any]], sectors_of: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for org in an.orgs:
        if org.role != "counterpart" or org.kind not in _COUNTERPART_KINDS - {"government_agency"} or org.name in seen:
            continue
        idxs = sorted(set(org.sents))
        context, used = [], []
        for i in idxs:
            crowd = [o for o in an.orgs if i in o.sents and o.role == "counterpart"]
            if len(crowd) >= 3 and not _STAGE_RULES[0][1].search(an.sents[i].text):
                continue  # a list of companies says nothing about each one's prospects
            context.append(_own_clause(an, org, i, crowd))
            used.append(i)
            nxt = i + 1
            if nxt < len(an.sents) and an.paragraphs[nxt] == an.paragraphs[i] and nxt not in idxs:
                follow = an.sents[nxt].text
                # The next sentence goes on about this one when it opens with its name ("ZF announced ..."),
                # with "The discussions ...", or, after a sentence about it alone, when it names no one else.
                if follow.lstrip().startswith(org.name.split()[0] + " ") or _CONTINUATION.match(follow) or (
                        len(crowd) < 2 and not any(nxt in o.sents for o in an.orgs if o is not org)):
                    context.append(follow)
        blob = " ".join(context)
        for other in an.orgs:  # "... Research Center" names a place, not a prospect
            blob = blob.replace(other.name, " ")
        if not _PROSPECT.search(blob):
            continue
        seen.add(org.name)
        kind = next((k for k, rx in _KIND_RULES if rx.search(blob)), "investment")
        stage = next((s for s, rx in _STAGE_RULES if rx.search(blob)), "discussed")
        if stage == "mou_signed":
            kind = kind if kind not in {"training_exchange", "startup_soft_landing"} else kind
        amounts = [a for a in find_amounts(blob)]
        jobs = find_jobs(blob)
        loc = _LOCATION.search(blob)
        # One MoU signed by many companies at once: its amount and jobs are the batch's, not this one's.
        signed_many = stage == "mou_signed" and any(
            len([o for o in an.orgs if i in o.sents and o.role == "counterpart"]) > 2 for i in used)
        out.append({"counterpart": org.name, "kind": "investment" if signed_many else kind,
                    "sectors": sectors_of(blob), "stage": stage,
                    "amount": amounts[0].as_dict() if amounts and not signed_many else None,
                    "jobs": jobs if not signed_many else None,
                    "location": (loc.group(1) or loc.group(2)).strip() if loc else None,
                    "evidence": an.sents[next((i for i in used if _PROSPECT.search(_without_names(an, i))),
                                              used[0])].text.strip()})
    return out


def outcomes(an: Analysis) -> list[dict[str, Any]]:
    text = an.text
    out: list[dict[str, Any]] = []

    def add(kind: str, rx: re.Pattern[str]) -> bool:
        for s in an.sents:
            if rx.search(s.text):
                amounts = find_amounts(s.text)
                parties = [o.name for o in an.orgs if o.role == "counterpart" and any(
                    s.start_char <= p < s.end_char for p in o.positions)] if kind == "mou_signed" else []
                out.append({"kind": kind, "parties": parties,
                            "amount": amounts[0].as_dict() if amounts else None, "evidence": s.text.strip()})
                return True
        return False

    signed = add("mou_signed", _STAGE_RULES[0][1])
    if not signed:
        add("mou_expected", re.compile(r"\b(MoUs?|memorand\w+|Memorandums?)\b[^.]{0,80}\b(expected|likely|soon|to be "
                                       r"signed|future|proposed|groundwork)|\b(future|proposed|upcoming)\b[^.]{0,40}"
                                       r"\b(MoUs?|memorand\w+|Memorandums?)|\b(expected|likely|set) to sign\b|"
                                       r"expected to (soon )?formali[sz]e", re.I))
    future = re.compile(r"\b(expected|will|would|likely|soon|future|unlock|pave)\b", re.I)
    for kind, rx in (("technology_transfer", r"technology transfer|transfer of technology"),
                     ("joint_venture", r"joint ventures?"), ("pilot_project", r"pilot projects?")):
        for s in an.sents:
            if re.search(rx, s.text, re.I) and future.search(s.text):
                out.append({"kind": kind, "parties": [], "amount": None, "evidence": s.text.strip()})
                break
    committed = re.compile(r"\b(invested|will invest|to invest|plans to invest|announced (an? )?[^.]{0,25}"
                           r"(investment|expansion|plant|facility|factory))\b", re.I)
    if not out and committed.search(text):
        add("investment_committed", committed)
    if not out:
        add("interest_expressed", _STAGE_RULES[3][1])
    return out


def named_things(an: Analysis) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Policies, offerings and events named in the text (capitalised names with a telling last word)."""
    policies: dict[str, dict[str, Any]] = {}
    offerings: dict[str, dict[str, Any]] = {}
    events: dict[str, dict[str, Any]] = {}
    for s in an.sents:
        text = s.text
        for m in re.finditer(r"((?:(?:[A-Z][\w&.'’-]*|&|and|for|of|\([A-Z]{2,6}\))\s+){0,7}?(?:[A-Z][\w-]*\s+)?"
                             r"(Policy|Policies|Scheme|Programme|Program|Yojana|Act|Mission)(?:\s+(?:20\d\d|19\d\d))?)",
                             text):
            name = _trim_name(m.group(1))
            if name and len(name.split()) >= 2 and name.split()[0].lower() not in POLICY_HEADS:
                policies.setdefault(name.lower(), {"name": name, "evidence": text.strip()})
        for m in re.finditer(r"((?:[A-Z][\w&.'’-]*\s){1,6})(initiative|scheme|programme|program|policy)\b", text):
            name = _trim_name(m.group(1) + m.group(2))
            if len(name.split()) >= 3:
                policies.setdefault(name.lower(), {"name": name, "evidence": text.strip()})
        for run in cap_runs(s):
            words = run.text.split()
            if len(words) < 2:
                continue
            head = words[-1].lower()
            if head in OFFERING_HEADS and not an.lex.city_country.get(run.text.lower()):
                name = _trim_name(run.text)
                if name and len(name.split()) >= 2:
                    offerings.setdefault(name.lower(), {"name": name, "kind": OFFERING_HEADS[head],
                                                        "evidence": text.strip()})
            elif head in EVENT_HEADS or any(w.lower() in {"summit", "conclave", "roadshow", "expo"} for w in words):
                events.setdefault(run.text.lower(), {"name": run.text, "city": None, "evidence": text.strip()})
    return list(policies.values()), list(offerings.values()), list(events.values())


def _trim_name(name: str) -> str:
    words = name.split()
    while words and (words[0].lower() in {"the", "and", "of", "for", "&", "a", "an", "its", "their", "this"} or
                     words[0].endswith(("'s", "’s"))):
        words = words[1:]
    return clean_name(" ".join(words))


class SectorMatcher:
    """Sector ids from terms and synonyms, matched on lower-cased words and on lemmas."""

    def __init__(self, nlp: Any, terms: dict[str, list[str]]) -> None:
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        for sector, words in terms.items():
            self.lower.add(sector, [nlp.tokenizer(w) for w in words])
            # Lemmas catch inflections the term list does not spell out ("batteries" -> "battery").
            single = [w for w in words if " " not in w and not w.endswith("ing")]
            self.lemma.add(sector, [d for d in nlp.pipe(single) if d[0].lemma_.lower() == d[0].lower_])
        self._nlp = nlp

    def in_doc(self, doc: Any) -> list[str]:
        found = {self._nlp.vocab.strings[mid] for mid, _, _ in self.lower(doc)}
        found |= {self._nlp.vocab.strings[mid] for mid, _, _ in self.lemma(doc)}
        return sorted(found)

    def in_text(self, text: str) -> list[str]:
        doc = self._nlp.tokenizer(text)
        return sorted({self._nlp.vocab.strings[mid] for mid, _, _ in self.lower(doc)})
