"""Policies, offerings and events named in the text: capitalised names with a telling last word.

Writes ``doc._.policies``, ``doc._.offerings`` (never an organization's name) and ``doc._.events``.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from investdesk.extraction.components.state import Analysis
from investdesk.extraction.lexicon import EVENT_HEADS, OFFERING_HEADS, POLICY_HEADS, TITLE_HEADS
from investdesk.extraction.normalize import clean_name
from investdesk.extraction.spans import cap_runs

# "Pithampur industrial area", "GIDC Sanand-II industrial estate": a place's name and a lower-case kind of site.
_SITE_PHRASE = re.compile(
    r"((?:[A-Z][\w&.'’-]*\s+){1,4})(" + "|".join(sorted((re.escape(h) for h in OFFERING_HEADS if " " in h),
                                                      key=len, reverse=True)) + r")\b(?:\s+\(([A-Z]{2,6})\))?", re.I)

# "the Hosur leather goods park", "the Kattupalli marine engineering cluster": a place's name, words in lower case
# saying what is made there, and a one-word kind of site.
_SITE_HEADS = ("park", "parks", "cluster", "clusters", "complex", "zone", "estate", "corridor")
_MADE_THERE = re.compile(r"(?<![\w'’.-])([A-Z][a-z][\w-]*(?:\s+[A-Z][a-z][\w-]*)?)\s+((?:[a-z][\w-]*\s+){1,3})("
                         + "|".join(_SITE_HEADS) + r")\b")
_NOT_MADE_THERE = {"the", "a", "an", "and", "or", "of", "for", "in", "at", "on", "to", "with", "by", "is", "are", "was",
                   "were", "will", "has", "have", "its", "their", "as", "two", "three", "new", "proposed", "existing"}

# "Chakan Phase II", "Talegaon Phase IV": a numbered phase of an industrial estate.
_PHASE = re.compile(r"^(?:[IVX]+|\d+[A-Z]?)$")


def named_things(an: Analysis) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Policies, offerings and events named in the text (capitalised names with a telling last word)."""
    policies: dict[str, dict[str, Any]] = {}
    offerings: dict[str, dict[str, Any]] = {}
    events: dict[str, dict[str, Any]] = {}
    made_there: list[tuple[re.Match[str], str]] = []
    for s in an.sents:
        text = s.text
        for m in re.finditer(r"((?:(?:[A-Z][\w&.'’-]*|&|and|for|of|\([A-Z]{2,6}\))\s+){0,7}?(?:[A-Z][\w-]*\s+)?"
                             r"(Policy|Policies|Scheme|Programme|Program|Yojana|Act|Mission)\b(?:\s+(?:20\d\d|19\d\d))?)",
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
            elif " ".join(words[-2:]).lower() in OFFERING_HEADS:
                name = _trim_name(run.text)
                offerings.setdefault(name.lower(), {"name": name, "kind": OFFERING_HEADS[" ".join(words[-2:]).lower()],
                                                    "evidence": text.strip()})
            elif len(words) >= 3 and words[-2].lower() == "phase" and _PHASE.match(words[-1].rstrip(".,")):
                for part in re.split(r"\s+(?:and|&)\s+", run.text):
                    p = _trim_name(part.rstrip(".,")).split()
                    if len(p) >= 3 and p[-2].lower() == "phase" and _PHASE.match(p[-1]) and p[0].lower() != "phase":
                        offerings.setdefault(" ".join(p).lower(), {"name": " ".join(p), "kind": "industrial_park",
                                                                   "evidence": text.strip()})
            elif head in EVENT_HEADS or any(w.lower() in {"summit", "conclave", "roadshow", "expo"} for w in words):
                events.setdefault(run.text.lower(), {"name": run.text, "city": None, "evidence": text.strip()})
        for m in _SITE_PHRASE.finditer(text):
            place = m.group(1).split()
            # The capitalised words before the phrase, without a sentence's opening word ("At", "The").
            while place and (place[0].lower() in {"the", "at", "in", "a", "an", "its", "of"} or
                             not place[0][:1].isupper()):
                place = place[1:]
            if not place or not m.group(2)[:1].islower():
                continue  # capitalised phrases are read as runs above
            name = _trim_name(" ".join(place) + " " + m.group(2))
            if not any(name.lower() in k or k in name.lower() for k in offerings):
                offerings.setdefault(name.lower(), {"name": name, "kind": OFFERING_HEADS[m.group(2).lower()],
                                                    "evidence": text.strip()})
        for m in _MADE_THERE.finditer(text):
            place, made = m.group(1).split(), m.group(2).split()
            if not (m.start() == 0 and len(place) == 1) and not any(w in _NOT_MADE_THERE for w in made):
                made_there.append((m, text))  # not "Rents in the western corridor", "Singapore is two time zones"
    for m, text in made_there:
        # "the Mehsana ceramic park" beside "the Mehsana Ceramic Park": the site named again, not another one.
        kind_words = f"{m.group(2).split()[-1]} {m.group(3)}".lower()
        if any(kind_words in k or m.group(0).lower() in k for k in offerings):
            continue
        # "the Orion battery complex", "the Nagoya aerospace cluster": a company's plant, or a site abroad.
        place = m.group(1)
        country = an.lex.city_country.get(place.lower()) or an.lex.country_of(place)
        home = an.places.home_country
        if an.org_by_text(place) is not None or (country and home and country != home):
            continue
        name = _trim_name(m.group(0))
        offerings.setdefault(name.lower(), {"name": name, "kind": OFFERING_HEADS.get(m.group(3), "industrial_park"),
                                            "evidence": text.strip()})
    return list(policies.values()), list(offerings.values()), list(events.values())


# A title or an office named after a policy ("Minister of Industrial Policy", "Head of International Programme").
_NOT_POLICY_WORDS = (TITLE_HEADS - {"general", "executive"}) | {"department", "ministry", "office"}


def _trim_name(name: str) -> str:
    words = name.split()
    while words and (words[0].lower() in {"the", "and", "of", "for", "&", "a", "an", "its", "their", "this"} or
                     words[0].endswith(("'s", "’s"))):
        words = words[1:]
    return clean_name(" ".join(words))


@Language.factory("investdesk_named")
def make_named(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        an = Analysis(doc)
        policies, offerings, events = named_things(an)
        org_names = {o.name.lower() for o in an.orgs}
        policies = [p for p in policies if p["name"].lower() not in org_names and
                    not set(p["name"].lower().split()) & _NOT_POLICY_WORDS]
        # "Electronics Manufacturing Policy" is the tail of "Uttar Pradesh Electronics Manufacturing Policy 2020".
        names = [p["name"].lower() for p in policies]
        doc._.policies = [p for p in policies if not any(p["name"].lower() in n and p["name"].lower() != n
                                                         for n in names)]
        # "Karnataka Udyog Mitra and Aerospace Valley": an organization and an offering named together.
        for o in offerings:
            left, sep, right = o["name"].partition(" and ")
            if sep and left.lower() in org_names and len(right.split()) >= 2:
                o["name"] = right
        doc._.offerings = [o for o in offerings if o["name"].lower() not in org_names]
        doc._.events = events
        return doc

    return component
